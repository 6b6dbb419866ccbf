import { screen, within } from '@testing-library/react';
import type { ModelListDto, ModelVersionDto } from '@encore/api-contract';
import { App } from '../../../app/app';
import { ADMIN, errorBody, HEALTH, json, never, signIn, stubApi } from '../../../test/fake-api';
import { renderWithProviders } from '../../../test/render';
import { AdminPage, formatLatency, formatUptime } from './admin-page';

const SERVICE_HEALTH = {
  ...HEALTH,
  uptimeSeconds: 3725,
  checks: {
    catalog: { status: 'up' as const, detail: '1234 songs' },
    store: { status: 'up' as const, detail: 'sqlite' },
    cache: { status: 'up' as const, detail: 'memory' },
    recommender: { status: 'up' as const, detail: 'engine engine-20261125T122700Z-80797319 400 listeners' },
  },
};

const MODEL: ModelVersionDto = {
  version: 'engine-1',
  kind: 'encore-engine',
  createdAt: '2026-11-25T12:44:21.526Z',
  metrics: {},
  trainingFingerprint: null,
  params: {},
  active: false,
};

const term = (name: string) => screen.getByText(name, { selector: 'dt' }).nextElementSibling as HTMLElement;

describe('AdminPage', () => {
  it('shows the service panel from /health and figures parsed from /metrics', async () => {
    signIn(ADMIN);
    const api = stubApi({ '/health': () => json(SERVICE_HEALTH) });
    renderWithProviders(<AdminPage />, { route: '/admin' });

    expect(await screen.findByText('Requests', { selector: 'dt' })).toBeInTheDocument();
    await screen.findByText('Provider', { selector: 'dt' });
    expect(term('Status')).toHaveTextContent('ok');
    expect(term('Provider')).toHaveTextContent('engine');
    expect(term('Model version')).toHaveTextContent('engine-20261125T122700Z-80797319');
    expect(term('Cache')).toHaveTextContent('Up · memory');
    expect(term('Store')).toHaveTextContent('Up · sqlite');
    expect(term('Uptime')).toHaveTextContent('1 h 2 min');

    // The figures of the parser spec: 21 requests, 1 server error, p50 16.25 ms, p99 100 ms, 30 hits / 10 misses.
    expect(term('Requests')).toHaveTextContent('21');
    expect(term('Server errors')).toHaveTextContent('1');
    expect(term('Latency p50')).toHaveTextContent('16 ms');
    expect(term('Latency p99')).toHaveTextContent('100 ms');
    expect(term('Cache hit rate')).toHaveTextContent('75.0%30 hits · 10 misses');
    // From /v1/admin/stats.
    await screen.findByText('Interactions', { selector: 'dt' });
    expect(term('Interactions')).toHaveTextContent('37,747stored · memory cache of 6');

    // An API without the models module answers 404, which leaves no trace on the page.
    expect(api.requests('/v1/models')).toHaveLength(1);
    expect(screen.queryByRole('heading', { name: 'Model versions' })).not.toBeInTheDocument();
    expect(screen.queryByText(/model versions/i)).not.toBeInTheDocument();
    // The scrape is sent with the admin's token (METRICS_PUBLIC=false requires it).
    expect(api.calls('/metrics')[0].headers['authorization']).toBe('Bearer jwt-a1');
  });

  it('lists saved model versions with their held-out metrics when the API has the models module', async () => {
    signIn(ADMIN);
    const list: ModelListDto = {
      active: 'engine-2',
      served: { version: 'engine-1', loadedFrom: 'artifact' },
      items: [
        { ...MODEL, version: 'engine-2', active: true, metrics: { 'ndcg@10': 0.31234, 'precision@10': 0.12 } },
        { ...MODEL, version: 'engine-1' },
      ],
    };
    stubApi({ '/v1/models': () => json(list) });
    renderWithProviders(<AdminPage />, { route: '/admin' });

    const section = (await screen.findByRole('heading', { name: 'Model versions' })).closest('section') as HTMLElement;
    const rows = within(section).getAllByRole('row').slice(1);
    // The version cell carries its status tags.
    expect(rows.map((row) => within(row).getByRole('rowheader').textContent)).toEqual([
      'engine-2active',
      'engine-1serving',
    ]);
    const cells = (row: HTMLElement) =>
      within(row)
        .getAllByRole('cell')
        .map((c) => c.textContent);
    // Trained | nDCG@10 | Precision@10 | Recall@10 | Coverage@10
    expect(cells(rows[0]).slice(1, 5)).toEqual(['0.312', '0.120', '—', '—']);
    expect(cells(rows[1]).slice(1, 5)).toEqual(['—', '—', '—', '—']);
  });

  it('reports a models API failure other than 404 with a retry', async () => {
    signIn(ADMIN);
    stubApi({ '/v1/models': () => json(errorBody(503, 'artifact store unavailable'), 503) });
    renderWithProviders(<AdminPage />, { route: '/admin' });

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Couldn’t load model versions');
    expect(alert).toHaveTextContent('artifact store unavailable');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('shows loading, then an error with a retry for metrics it cannot read', async () => {
    signIn(ADMIN);
    stubApi({ '/metrics': never, '/health': never });
    const { unmount } = renderWithProviders(<AdminPage />, { route: '/admin' });
    expect(screen.getByRole('status', { name: 'Loading metrics' })).toBeInTheDocument();
    expect(screen.getByRole('status', { name: 'Loading service health' })).toBeInTheDocument();
    unmount();

    stubApi({ '/metrics': () => new Response('garbage{', { status: 200 }) });
    renderWithProviders(<AdminPage />, { route: '/admin' });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Couldn’t load metrics');
    expect(alert).toHaveTextContent('metrics line 1');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('is for admins only: listeners get an explanation and no nav link', async () => {
    signIn();
    stubApi();
    renderWithProviders(<App />, { route: '/admin' });

    expect(screen.getByRole('heading', { name: 'Admins only' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Admin' })).not.toBeInTheDocument();
  });

  it('is linked from the nav for admins', async () => {
    signIn(ADMIN);
    stubApi({ '/v1/models': () => json(errorBody(404, 'Cannot GET /v1/models'), 404) });
    const { user } = renderWithProviders(<App />, { route: '/' });

    await user.click(screen.getByRole('link', { name: 'Admin' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Service' })).toBeInTheDocument();
  });
});

describe('admin formatting', () => {
  it('formats latency and uptime', () => {
    expect(formatLatency(null)).toBe('—');
    expect(formatLatency(0.0004)).toBe('< 1 ms');
    expect(formatLatency(0.01625)).toBe('16 ms');
    expect(formatLatency(2.5)).toBe('2.50 s');
    expect(formatUptime(59)).toBe('0 min');
    expect(formatUptime(3725)).toBe('1 h 2 min');
    expect(formatUptime(90_000)).toBe('1 d 1 h');
  });
});
