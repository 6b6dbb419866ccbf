/** Thrown for anything the user typed wrong; the CLI prints it with the usage line and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface OptionSpec {
  /** Long name without dashes: `threads` is given as `--threads 4` or `--threads=4`. */
  name: string;
  type: 'boolean' | 'string' | 'integer' | 'number';
  description: string;
  /** Placeholder shown in help, e.g. `N`, `FILE`. */
  valueName?: string;
  /** Smallest accepted value for integer/number options. */
  min?: number;
  /** A string option that may be given several times (`--param a=1 --param b=2`); read with `strings()`. */
  repeatable?: boolean;
}

export interface PositionalSpec {
  name: string;
  description: string;
  optional?: boolean;
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'json',
    type: 'boolean',
    description: 'print one JSON object on stdout (human output and progress go to stderr)',
  },
  { name: 'help', type: 'boolean', description: 'show this help' },
];

export class ParsedArgs {
  constructor(
    readonly positionals: readonly string[],
    private readonly values: ReadonlyMap<string, string | number | boolean | string[]>,
  ) {}

  flag(name: string): boolean {
    return this.values.get(name) === true;
  }

  string(name: string): string | undefined {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : undefined;
  }

  /** A string option that must be given; its absence is a usage error naming it. */
  requiredString(name: string, valueName = 'VALUE'): string {
    const v = this.string(name);
    if (v === undefined) throw new UsageError(`missing --${name} ${valueName}`);
    return v;
  }

  /** Every value of a repeatable option, in the order given (empty when absent). */
  strings(name: string): string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? [...v] : typeof v === 'string' ? [v] : [];
  }

  number(name: string): number | undefined {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : undefined;
  }

  has(name: string): boolean {
    return this.values.has(name);
  }
}

/**
 * Parses `argv` against the option specs: `--name value`, `--name=value`, `--flag`, `--` ends
 * options. Unknown options, missing or malformed values and a wrong number of positionals are
 * {@link UsageError}s. With `--help` the positional count is not checked.
 */
export function parseArgs(
  argv: readonly string[],
  options: readonly OptionSpec[],
  positionals: readonly PositionalSpec[],
): ParsedArgs {
  const specs = new Map([...GLOBAL_OPTIONS, ...options].map((o) => [o.name, o]));
  const values = new Map<string, string | number | boolean | string[]>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg !== '-')
        throw new UsageError(`unknown option ${arg} (options are spelled --name)`);
      rest.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = specs.get(name);
    if (!spec) throw new UsageError(`unknown option --${name}`);
    if (spec.type === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} is a flag and takes no value`);
      values.set(name, true);
      continue;
    }
    let raw: string;
    if (eq !== -1) raw = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length || argv[i + 1].startsWith('--'))
        throw new UsageError(`--${name} needs a value (${spec.valueName ?? 'VALUE'})`);
      raw = argv[++i];
    }
    const value = convert(spec, raw);
    if (spec.repeatable) {
      const list = values.get(name);
      values.set(name, Array.isArray(list) ? [...list, String(value)] : [String(value)]);
    } else values.set(name, value);
  }
  if (!values.has('help')) {
    const required = positionals.filter((p) => !p.optional).length;
    if (rest.length < required) throw new UsageError(`missing ${positionals[rest.length].name}`);
    if (rest.length > positionals.length)
      throw new UsageError(`unexpected argument ${JSON.stringify(rest[positionals.length])}`);
  }
  return new ParsedArgs(rest, values);
}

function convert(spec: OptionSpec, raw: string): string | number {
  if (spec.type === 'string') {
    if (raw === '') throw new UsageError(`--${spec.name} needs a non-empty value`);
    return raw;
  }
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || (spec.type === 'integer' && !Number.isInteger(value))) {
    throw new UsageError(
      `--${spec.name} must be ${spec.type === 'integer' ? 'an integer' : 'a number'}, got ${JSON.stringify(raw)}`,
    );
  }
  if (spec.min !== undefined && value < spec.min)
    throw new UsageError(`--${spec.name} must be at least ${spec.min}, got ${raw}`);
  return value;
}

/** Help text: usage line, positionals and options in aligned columns. */
export function formatHelp(
  usage: string,
  summary: string,
  options: readonly OptionSpec[],
  positionals: readonly PositionalSpec[],
): string {
  const rows: [string, string][] = [
    ...positionals.map((p): [string, string] => [p.name, p.description]),
    ...[...options, ...GLOBAL_OPTIONS].map((o): [string, string] => [
      o.type === 'boolean' ? `--${o.name}` : `--${o.name} ${o.valueName ?? 'VALUE'}${o.repeatable ? ' …' : ''}`,
      o.description,
    ]),
  ];
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    `Usage: ${usage}`,
    '',
    summary,
    '',
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    '',
  ].join('\n');
}
