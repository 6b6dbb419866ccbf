import { screen } from '@testing-library/react';
import { renderWithProviders } from '../../test/render';
import { HEALTH, json, stubApi } from '../../test/fake-api';
import { HealthIndicator } from './health-indicator';

describe('HealthIndicator', () => {
  it('shows the catalog size when the API is up', async () => {
    stubApi();
    renderWithProviders(<HealthIndicator />);
    expect(await screen.findByText('1,234 songs')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveClass('health--ok');
  });

  it('flags a degraded API', async () => {
    stubApi({ '/health': () => json({ ...HEALTH, status: 'degraded' }) });
    renderWithProviders(<HealthIndicator />);
    await screen.findByText('1,234 songs');
    expect(screen.getByRole('status')).toHaveClass('health--warn');
  });

  it('says the API is offline when /health fails', async () => {
    stubApi({
      '/health': () => {
        throw new TypeError('fetch failed');
      },
    });
    renderWithProviders(<HealthIndicator />);
    expect(await screen.findByText('API offline')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveClass('health--down');
  });
});
