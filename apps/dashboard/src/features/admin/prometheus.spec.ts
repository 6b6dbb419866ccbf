import { METRICS_TEXT } from '../../test/fake-api';
import { parsePrometheusText, PrometheusParseError } from './prometheus';
import { histogramQuantile, summarizeServiceMetrics } from './service-metrics';

describe('parsePrometheusText', () => {
  it('groups a real-looking scrape into typed families, histogram series under their base name', () => {
    const families = parsePrometheusText(METRICS_TEXT);

    expect(families.get('process_cpu_user_seconds_total')).toEqual({
      name: 'process_cpu_user_seconds_total',
      type: 'counter',
      help: 'Total user CPU time spent in seconds.',
      samples: [{ name: 'process_cpu_user_seconds_total', labels: {}, value: 1.234567 }],
    });
    const requests = families.get('http_request_duration_seconds');
    expect(requests?.type).toBe('histogram');
    // 5 series × (6 buckets + sum + count)
    expect(requests?.samples).toHaveLength(40);
    expect(requests?.samples[0]).toEqual({
      name: 'http_request_duration_seconds_bucket',
      labels: { le: '0.005', method: 'GET', route: '/v1/songs', status_code: '200' },
      value: 2,
    });
    expect(families.has('http_request_duration_seconds_bucket')).toBe(false);
    expect(families.get('encore_model_info')?.samples[0].labels).toEqual({
      provider: 'engine',
      version: 'engine-20261125T122700Z-80797319',
    });
    expect(families.get('nodejs_gc_duration_seconds')?.samples).toHaveLength(4);
  });

  it('unescapes label values and reads special values and timestamps', () => {
    const families = parsePrometheusText(
      [
        'odd{path="C:\\\\tmp",quote="say \\"hi\\"",nl="a\\nb",empty=""} NaN 1700000000000',
        'up +Inf',
        'down -Inf',
        'spaced { a = "1" , } 2.5e-3',
      ].join('\n'),
    );
    const odd = families.get('odd')?.samples[0];
    expect(odd?.labels).toEqual({ path: 'C:\\tmp', quote: 'say "hi"', nl: 'a\nb', empty: '' });
    expect(odd?.value).toBeNaN();
    expect(odd?.timestamp).toBe(1_700_000_000_000);
    expect(families.get('odd')?.type).toBe('untyped');
    expect(families.get('up')?.samples[0].value).toBe(Number.POSITIVE_INFINITY);
    expect(families.get('down')?.samples[0].value).toBe(Number.NEGATIVE_INFINITY);
    expect(families.get('spaced')?.samples[0]).toEqual({ name: 'spaced', labels: { a: '1' }, value: 0.0025 });
  });

  it('keeps _count and _sum as their own families when the base is not a histogram', () => {
    const families = parsePrometheusText('# TYPE jobs_count gauge\njobs_count 3\n');
    expect(families.get('jobs_count')?.samples[0].value).toBe(3);
  });

  it('names the line of malformed input', () => {
    expect(() => parsePrometheusText('ok 1\nbroken{a="1" 2')).toThrow(
      new PrometheusParseError(2, 'expected , or } after label a'),
    );
    expect(() => parsePrometheusText('x{a="1} 2')).toThrow('metrics line 1: unterminated value of label a');
    expect(() => parsePrometheusText('\n\nx twelve')).toThrow('metrics line 3: "twelve" is not a number');
    expect(() => parsePrometheusText('x')).toThrow('metrics line 1: x has no value');
    expect(() => parsePrometheusText('x 1 2 3')).toThrow('metrics line 1: unexpected "3" after the value');
    expect(() => parsePrometheusText('# TYPE x meter')).toThrow('metrics line 1: unknown metric type "meter"');
    expect(() => parsePrometheusText('{a="1"} 1')).toThrow('metrics line 1: expected a metric name');
    expect(() => parsePrometheusText('x{a 1} 1')).toThrow('metrics line 1: expected = after label a');
    expect(() => parsePrometheusText('x{a=1} 1')).toThrow('metrics line 1: expected a quoted value for label a');
  });
});

describe('histogramQuantile', () => {
  const inf = Number.POSITIVE_INFINITY;

  it('interpolates inside the bucket that holds the rank', () => {
    // 10 observations: 4 in (0, 1], 6 in (1, 3]. Median rank 5 → 1 + 2 × (5 − 4) / 6.
    const buckets = [
      { le: 1, count: 4 },
      { le: 3, count: 10 },
      { le: inf, count: 10 },
    ];
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(1 + 2 / 6, 12);
    // Rank 2 in the first bucket interpolates from 0.
    expect(histogramQuantile(0.2, buckets)).toBeCloseTo(0.5, 12);
    expect(histogramQuantile(1, buckets)).toBe(3);
  });

  it('answers the largest finite bound when the rank falls in +Inf, and null without data', () => {
    expect(
      histogramQuantile(0.99, [
        { le: inf, count: 10 },
        { le: 0.1, count: 9 },
      ]),
    ).toBe(0.1);
    expect(histogramQuantile(0.5, [{ le: inf, count: 0 }])).toBeNull();
    expect(histogramQuantile(0.5, [])).toBeNull();
    expect(() => histogramQuantile(1.5, [])).toThrow('quantile must be within 0…1 (got 1.5)');
  });
});

describe('summarizeServiceMetrics', () => {
  it('counts requests and errors, estimates p50/p99 and the cache hit rate, and names the model', () => {
    const summary = summarizeServiceMetrics(parsePrometheusText(METRICS_TEXT));

    // /v1/songs 10 + recommendations 10 + interactions 1; /health and /metrics are monitoring traffic.
    expect(summary.requests).toBe(21);
    expect(summary.serverErrors).toBe(1);
    // Summed cumulative buckets: 0.005→2, 0.01→8, 0.025→14, 0.05→18, 0.1→20, +Inf→21.
    // p50: rank 10.5 lies in (0.01, 0.025]: 0.01 + 0.015 × (10.5 − 8) / (14 − 8) = 0.01625 s.
    expect(summary.latency.p50).toBeCloseTo(0.01625, 12);
    // p99: rank 20.79 is past the 0.1 bucket (20), in +Inf: the largest finite bound.
    expect(summary.latency.p99).toBe(0.1);
    expect(summary.cache).toEqual({ hits: 30, misses: 10, hitRate: 0.75 });
    expect(summary.model).toEqual({ provider: 'engine', version: 'engine-20261125T122700Z-80797319' });
  });

  it('has no latency, hit rate or model before any traffic', () => {
    expect(summarizeServiceMetrics(parsePrometheusText('# TYPE http_request_duration_seconds histogram\n'))).toEqual({
      requests: 0,
      serverErrors: 0,
      latency: { p50: null, p99: null },
      cache: { hits: 0, misses: 0, hitRate: null },
      model: null,
    });
  });
});
