import { render, screen } from '@testing-library/react';
import type { ModelVersionDto } from '@encore/api-contract';
import { describeModelMetrics, ModelMetricsChart } from './model-metrics-chart';

const model = (version: string, metrics: Record<string, number>): ModelVersionDto => ({
  version,
  kind: 'encore-engine',
  createdAt: '2026-11-25T12:00:00.000Z',
  metrics,
  trainingFingerprint: null,
  params: {},
  active: false,
});

// Newest first, as GET /v1/models lists them.
const MODELS = [
  model('engine-3', { 'precision@10': 0.125, 'recall@10': 0.25, 'ndcg@10': 0.3125, 'coverage@10': 0.9 }),
  model('engine-2', {}),
  model('engine-1', { 'precision@10': 0.05, 'ndcg@10': 0.1 }),
];

describe('ModelMetricsChart', () => {
  it('draws one bar group per evaluated version, oldest first, scaled to the largest figure', () => {
    const { container } = render(<ModelMetricsChart models={MODELS} />);

    const chart = screen.getByRole('img');
    expect(chart).toHaveAccessibleName(
      'Held-out metrics per model version. ' +
        'engine-3: Precision@10 0.125, Recall@10 0.250, nDCG@10 0.313; ' +
        'engine-1: Precision@10 0.050, Recall@10 not reported, nDCG@10 0.100; ' +
        'not evaluated: engine-2.',
    );
    const groups = [...container.querySelectorAll('.metric-chart__group')];
    expect(groups.map((g) => g.getAttribute('data-version'))).toEqual(['engine-1', 'engine-3']);
    // engine-1 has no recall: two bars; engine-3 has all three (coverage is not charted).
    expect(groups.map((g) => g.querySelectorAll('rect').length)).toEqual([2, 3]);

    // Axis top = 0.3125 rounded up to a tenth = 0.4 over a 140 px plot: nDCG 0.3125 → 109.375 px, 0.1 → 35 px.
    const heights = (g: Element) => [...g.querySelectorAll('rect')].map((r) => Number(r.getAttribute('height')));
    expect(heights(groups[1])).toEqual([43.75, 87.5, 109.375]);
    expect(heights(groups[0])).toEqual([17.5, 35]);

    expect(screen.getByText('Not evaluated: engine-2')).toBeInTheDocument();
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Precision@10',
      'Recall@10',
      'nDCG@10',
    ]);
  });

  it('says so when no version has been evaluated', () => {
    render(<ModelMetricsChart models={[model('engine-1', {})]} />);
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
    expect(screen.getByText('No version has been evaluated yet.')).toBeInTheDocument();
    expect(describeModelMetrics([model('engine-1', {})])).toBe(
      'Held-out metrics per model version. not evaluated: engine-1.',
    );
  });
});
