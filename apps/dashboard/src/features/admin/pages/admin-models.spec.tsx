import { screen, waitFor, within } from '@testing-library/react';
import type { ModelListDto, ModelVersionDto, TrainingJobDto } from '@encore/api-contract';
import { ADMIN, errorBody, json, signIn, stubApi } from '../../../test/fake-api';
import { renderWithProviders } from '../../../test/render';
import { AdminPage } from './admin-page';

const model = (version: string, overrides: Partial<ModelVersionDto> = {}): ModelVersionDto => ({
  version,
  kind: 'encore-engine',
  createdAt: '2026-11-25T12:44:21.526Z',
  metrics: { 'precision@10': 0.1, 'recall@10': 0.2, 'ndcg@10': 0.3 },
  trainingFingerprint: null,
  params: {},
  active: false,
  ...overrides,
});

const ONE_MODEL: ModelListDto = {
  active: 'engine-1',
  served: { version: 'engine-1', loadedFrom: 'artifact' },
  items: [model('engine-1', { active: true })],
};

const job = (overrides: Partial<TrainingJobDto>): TrainingJobDto => ({
  id: 'job-1',
  kind: 'train',
  status: 'running',
  progress: 0.4,
  step: 'training on all interactions',
  createdAt: '2026-11-25T13:00:00.000Z',
  startedAt: '2026-11-25T13:00:00.100Z',
  finishedAt: null,
  request: {},
  ...overrides,
});

const versionRows = async () => {
  const section = (await screen.findByRole('heading', { name: 'Model versions' })).closest('section') as HTMLElement;
  return within(section)
    .getAllByRole('rowheader')
    .map((cell) => cell.textContent);
};

describe('AdminPage model versions', () => {
  it('trains a new model, follows the job until it succeeds, then shows the new version', async () => {
    signIn(ADMIN);
    let list = ONE_MODEL;
    const jobs = [job({}), job({ status: 'succeeded', progress: 1, step: 'done', version: 'engine-2' })];
    const api = stubApi({
      '/v1/models': () => json(list),
      '/v1/models/train': () => json({ jobId: 'job-1', status: 'queued' }, 202),
      '/v1/jobs/job-1': () => {
        const next = jobs.shift() as TrainingJobDto;
        if (next.status === 'succeeded') list = { ...ONE_MODEL, items: [model('engine-2'), ...ONE_MODEL.items] };
        return json(next);
      },
    });
    const { user } = renderWithProviders(<AdminPage />, { route: '/admin' });

    expect(await versionRows()).toEqual(['engine-1activeserving']);
    await user.click(screen.getByRole('button', { name: 'Train new model' }));

    const progress = await screen.findByRole('region', { name: 'Training job' });
    await within(progress).findByText('training on all interactions');
    expect(within(progress).getByText('running')).toBeInTheDocument();
    expect(within(progress).getByRole('progressbar', { name: 'Training progress' })).toHaveAttribute('value', '40');
    // Only one job at a time.
    expect(screen.getByRole('button', { name: 'Train new model' })).toBeDisabled();

    // The next poll answers succeeded, and the list is fetched again with the published version.
    await within(progress).findByText('succeeded', {}, { timeout: 3000 });
    expect(within(progress).getByText('published engine-2')).toBeInTheDocument();
    await waitFor(async () => expect(await versionRows()).toEqual(['engine-2', 'engine-1activeserving']));
    expect(api.calls('/v1/models/train')).toMatchObject([{ method: 'POST', body: {} }]);
    expect(api.requests('/v1/jobs/job-1')).toHaveLength(2);
    expect(screen.getByRole('button', { name: 'Train new model' })).toBeEnabled();
  });

  it('shows why a training job failed', async () => {
    signIn(ADMIN);
    stubApi({
      '/v1/models': () => json(ONE_MODEL),
      '/v1/models/train': () => json({ jobId: 'job-1', status: 'queued' }, 202),
      '/v1/jobs/job-1': () => json(job({ status: 'failed', step: 'evaluating', error: 'no interactions to train on' })),
    });
    const { user } = renderWithProviders(<AdminPage />, { route: '/admin' });

    await user.click(await screen.findByRole('button', { name: 'Train new model' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Training failed: no interactions to train on');
  });

  it('explains a 409 when another job is already running', async () => {
    signIn(ADMIN);
    const message = 'training job job-0 is running; one job runs at a time (GET /v1/jobs/job-0)';
    stubApi({
      '/v1/models': () => json(ONE_MODEL),
      '/v1/models/train': () => json(errorBody(409, message), 409),
    });
    const { user } = renderWithProviders(<AdminPage />, { route: '/admin' });

    await user.click(await screen.findByRole('button', { name: 'Train new model' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('A training job is already running; wait for it to finish.');
    expect(alert).toHaveTextContent(message);
    expect(screen.queryByRole('region', { name: 'Training job' })).not.toBeInTheDocument();
  });

  it('activates another version, refetching models and recommendations', async () => {
    signIn(ADMIN);
    let list: ModelListDto = { ...ONE_MODEL, items: [model('engine-2'), ...ONE_MODEL.items] };
    const api = stubApi({
      '/v1/models': () => json(list),
      '/v1/models/': () => {
        list = { ...list, active: 'engine-2', items: [model('engine-2', { active: true }), model('engine-1')] };
        return json({ active: 'engine-2', previous: 'engine-1' });
      },
    });
    const { user, client } = renderWithProviders(<AdminPage />, { route: '/admin' });
    const invalidate = vi.spyOn(client, 'invalidateQueries');

    expect(await versionRows()).toEqual(['engine-2', 'engine-1activeserving']);
    // The active version has nothing to activate.
    expect(screen.queryByRole('button', { name: 'Activate engine-1' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Activate engine-2' }));

    await waitFor(async () => expect(await versionRows()).toEqual(['engine-2active', 'engine-1serving']));
    expect(api.calls('/v1/models/engine-2/activate')).toMatchObject([{ method: 'POST' }]);
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['models'] });
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['recommendations'] });
    expect(screen.getByRole('button', { name: 'Activate engine-1' })).toBeInTheDocument();
  });

  it('shows the API message when a version cannot be activated (422)', async () => {
    signIn(ADMIN);
    const message = 'model version engine-2 is corrupt: checksum mismatch for factors.bin';
    stubApi({
      '/v1/models': () => json({ ...ONE_MODEL, items: [model('engine-2'), ...ONE_MODEL.items] }),
      '/v1/models/': () => json(errorBody(422, message), 422),
    });
    const { user, client } = renderWithProviders(<AdminPage />, { route: '/admin' });
    const invalidate = vi.spyOn(client, 'invalidateQueries');

    await user.click(await screen.findByRole('button', { name: 'Activate engine-2' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(`Couldn’t activate engine-2: ${message}`);
    expect(invalidate).not.toHaveBeenCalled();
  });
});
