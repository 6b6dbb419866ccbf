/**
 * A small reader for the Prometheus text exposition format (version 0.0.4), enough for the admin panel:
 * `# HELP` / `# TYPE` comments, samples with escaped label values, NaN/±Inf values and optional timestamps.
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface PrometheusSample {
  /** The sample's own name (`x_bucket`, `x_sum`, `x_count` for histograms). */
  name: string;
  labels: Readonly<Record<string, string>>;
  value: number;
  timestamp?: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help: string;
  samples: PrometheusSample[];
}

export class PrometheusParseError extends Error {
  override readonly name = 'PrometheusParseError';

  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`metrics line ${line}: ${reason}`);
  }
}

const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
/** Suffixes whose samples belong to the family without them, when that family is a histogram or summary. */
const SUFFIXES = ['_bucket', '_sum', '_count'] as const;

function parseValue(text: string, line: number): number {
  switch (text) {
    case 'NaN':
      return Number.NaN;
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
  }
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new PrometheusParseError(line, `"${text}" is not a number`);
  return value;
}

/** Reads `{a="x",b="y\"z"}` starting at `start` (the `{`); returns the labels and the index after `}`. */
function parseLabels(text: string, start: number, line: number): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  let i = start + 1;
  for (;;) {
    while (text[i] === ' ') i++;
    if (text[i] === '}') return [labels, i + 1];
    const name = LABEL_NAME.exec(text.slice(i))?.[0];
    if (!name) throw new PrometheusParseError(line, `expected a label name at column ${i + 1}`);
    i += name.length;
    while (text[i] === ' ') i++;
    if (text[i] !== '=') throw new PrometheusParseError(line, `expected = after label ${name}`);
    i++;
    while (text[i] === ' ') i++;
    if (text[i] !== '"') throw new PrometheusParseError(line, `expected a quoted value for label ${name}`);
    i++;
    let value = '';
    for (;;) {
      const c = text[i];
      if (c === undefined) throw new PrometheusParseError(line, `unterminated value of label ${name}`);
      if (c === '"') break;
      if (c === '\\') {
        const next = text[i + 1];
        value += next === 'n' ? '\n' : (next ?? '');
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    labels[name] = value;
    i++;
    while (text[i] === ' ') i++;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new PrometheusParseError(line, `expected , or } after label ${name}`);
  }
}

function familyName(sample: string, families: Map<string, MetricFamily>): string {
  for (const suffix of SUFFIXES) {
    if (!sample.endsWith(suffix)) continue;
    const base = families.get(sample.slice(0, -suffix.length));
    if (base && (base.type === 'histogram' || base.type === 'summary')) return base.name;
  }
  return sample;
}

function family(families: Map<string, MetricFamily>, name: string): MetricFamily {
  let found = families.get(name);
  if (!found) {
    found = { name, type: 'untyped', help: '', samples: [] };
    families.set(name, found);
  }
  return found;
}

/** Parses a scrape into metric families by name; throws a PrometheusParseError naming the line for malformed input. */
export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    const lineNo = n + 1;
    if (line === '') continue;
    if (line.startsWith('#')) {
      const [, keyword, name, ...rest] = line.split(/\s+/);
      if (keyword === 'HELP' && name) family(families, name).help = rest.join(' ').replace(/\\n/g, '\n');
      else if (keyword === 'TYPE' && name) {
        const type = rest[0] as MetricType;
        if (!TYPES.has(type)) throw new PrometheusParseError(lineNo, `unknown metric type "${rest[0] ?? ''}"`);
        family(families, name).type = type;
      }
      continue; // other comments are free text
    }
    const name = NAME.exec(line)?.[0];
    if (!name) throw new PrometheusParseError(lineNo, 'expected a metric name');
    let i = name.length;
    while (line[i] === ' ') i++;
    let labels: Record<string, string> = {};
    if (line[i] === '{') [labels, i] = parseLabels(line, i, lineNo);
    const [valueText, timestampText, extra] = line.slice(i).trim().split(/\s+/);
    if (valueText === undefined || valueText === '') throw new PrometheusParseError(lineNo, `${name} has no value`);
    if (extra !== undefined) throw new PrometheusParseError(lineNo, `unexpected "${extra}" after the value`);
    const sample: PrometheusSample = { name, labels, value: parseValue(valueText, lineNo) };
    if (timestampText !== undefined) sample.timestamp = parseValue(timestampText, lineNo);
    family(families, familyName(name, families)).samples.push(sample);
  }
  return families;
}
