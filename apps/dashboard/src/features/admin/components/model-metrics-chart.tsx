import type { ModelVersionDto } from '@encore/api-contract';

/** The three held-out figures to compare versions by, in bar order. */
export const CHART_METRICS = [
  { key: 'precision@10', label: 'Precision@10', className: 'metric-chart__bar--precision' },
  { key: 'recall@10', label: 'Recall@10', className: 'metric-chart__bar--recall' },
  { key: 'ndcg@10', label: 'nDCG@10', className: 'metric-chart__bar--ndcg' },
] as const;

const isEvaluated = (model: ModelVersionDto) => CHART_METRICS.some((m) => model.metrics[m.key] !== undefined);
const figure = (value: number | undefined) => (value === undefined ? 'not reported' : value.toFixed(3));

/** One sentence per version, for screen readers (the SVG itself is a single image to them). */
export function describeModelMetrics(models: readonly ModelVersionDto[]): string {
  const evaluated = models.filter(isEvaluated);
  const parts = evaluated.map(
    (model) => `${model.version}: ${CHART_METRICS.map((m) => `${m.label} ${figure(model.metrics[m.key])}`).join(', ')}`,
  );
  const skipped = models.filter((model) => !isEvaluated(model)).map((model) => model.version);
  if (skipped.length > 0) parts.push(`not evaluated: ${skipped.join(', ')}`);
  return `Held-out metrics per model version. ${parts.join('; ')}.`;
}

const HEIGHT = 180;
const PLOT_TOP = 10;
const PLOT_BOTTOM = 150;
const LEFT = 40;
const BAR = 16;
const GAP = 4;
const GROUP_PAD = 28;
const GROUP_WIDTH = CHART_METRICS.length * (BAR + GAP) - GAP;

/** The axis top: the largest figure rounded up to a tenth, so small metrics still fill the plot. */
function axisMax(models: readonly ModelVersionDto[]): number {
  let max = 0;
  for (const model of models) for (const m of CHART_METRICS) max = Math.max(max, model.metrics[m.key] ?? 0);
  return Math.min(1, Math.max(0.1, Math.ceil(max * 10) / 10));
}

/** Grouped bars of precision, recall and nDCG at 10, oldest version on the left; plain SVG. */
export function ModelMetricsChart({ models }: { models: readonly ModelVersionDto[] }) {
  const evaluated = models.filter(isEvaluated).reverse();
  const skipped = models.filter((model) => !isEvaluated(model));
  if (evaluated.length === 0) {
    return <p className="muted">No version has been evaluated yet.</p>;
  }
  const top = axisMax(evaluated);
  const y = (value: number) => PLOT_BOTTOM - ((PLOT_BOTTOM - PLOT_TOP) * value) / top;
  const width = LEFT + evaluated.length * (GROUP_WIDTH + GROUP_PAD) + GROUP_PAD;
  const ticks = [0, top / 2, top];

  return (
    <figure className="metric-chart">
      <ul className="metric-chart__legend">
        {CHART_METRICS.map((m) => (
          <li key={m.key}>
            <span className={`metric-chart__swatch ${m.className}`} aria-hidden="true" />
            {m.label}
          </li>
        ))}
      </ul>
      <div className="metric-chart__scroll">
        <svg
          role="img"
          aria-label={describeModelMetrics(models)}
          width={width}
          height={HEIGHT}
          viewBox={`0 0 ${width} ${HEIGHT}`}
        >
          {ticks.map((tick) => (
            <g key={tick} className="metric-chart__tick">
              <line x1={LEFT} x2={width} y1={y(tick)} y2={y(tick)} />
              <text x={LEFT - 6} y={y(tick)} dy="0.32em" textAnchor="end">
                {tick.toFixed(2)}
              </text>
            </g>
          ))}
          {evaluated.map((model, i) => {
            const x0 = LEFT + GROUP_PAD + i * (GROUP_WIDTH + GROUP_PAD);
            return (
              <g key={model.version} className="metric-chart__group" data-version={model.version}>
                {CHART_METRICS.map((m, j) => {
                  const value = model.metrics[m.key];
                  if (value === undefined) return null;
                  return (
                    <rect
                      key={m.key}
                      className={`metric-chart__bar ${m.className}`}
                      x={x0 + j * (BAR + GAP)}
                      y={y(value)}
                      width={BAR}
                      height={PLOT_BOTTOM - y(value)}
                    >
                      <title>{`${model.version} ${m.label} ${value.toFixed(3)}`}</title>
                    </rect>
                  );
                })}
                <text className="metric-chart__label" x={x0 + GROUP_WIDTH / 2} y={PLOT_BOTTOM + 18} textAnchor="middle">
                  {model.version.length > 18 ? `…${model.version.slice(-16)}` : model.version}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
      {skipped.length > 0 ? (
        <figcaption className="muted">Not evaluated: {skipped.map((model) => model.version).join(', ')}</figcaption>
      ) : null}
    </figure>
  );
}
