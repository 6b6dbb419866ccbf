import { formatHelp, type OptionSpec, parseArgs, UsageError } from './args';

const options: OptionSpec[] = [
  { name: 'threads', type: 'integer', min: 1, valueName: 'N', description: 'threads' },
  { name: 'rate', type: 'number', description: 'a rate' },
  { name: 'out', type: 'string', valueName: 'FILE', description: 'output' },
  { name: 'verbose', type: 'boolean', description: 'more' },
];
const positionals = [{ name: 'FILE', description: 'input' }];

describe('parseArgs', () => {
  it('reads positionals, --name value, --name=value and flags', () => {
    const args = parseArgs(
      ['in.csv', '--threads', '3', '--out=x.json', '--verbose', '--rate', '-0.5', '--json'],
      options,
      positionals,
    );
    expect(args.positionals).toEqual(['in.csv']);
    expect(args.number('threads')).toBe(3);
    expect(args.number('rate')).toBe(-0.5);
    expect(args.string('out')).toBe('x.json');
    expect(args.flag('verbose')).toBe(true);
    expect(args.flag('json')).toBe(true);
    expect(args.flag('help')).toBe(false);
    expect(args.has('threads')).toBe(true);
    expect(args.number('missing')).toBeUndefined();
  });

  it('collects every value of a repeatable option in order', () => {
    const specs: OptionSpec[] = [{ name: 'param', type: 'string', repeatable: true, description: 'k=v' }];
    const args = parseArgs(['--param', 'a=1', '--param=b=2'], specs, []);
    expect(args.strings('param')).toEqual(['a=1', 'b=2']);
    expect(parseArgs([], specs, []).strings('param')).toEqual([]);
    expect(formatHelp('x', 'y', specs, [])).toContain('--param VALUE …');
  });

  it('treats everything after -- as positional', () => {
    expect(parseArgs(['--', '--weird-name.csv'], options, positionals).positionals).toEqual(['--weird-name.csv']);
  });

  it.each([
    [['in.csv', '--nope'], 'unknown option --nope'],
    [['in.csv', '-t', '2'], 'unknown option -t (options are spelled --name)'],
    [['in.csv', '--threads'], '--threads needs a value (N)'],
    [['in.csv', '--threads', '--verbose'], '--threads needs a value (N)'],
    [['in.csv', '--threads', 'two'], '--threads must be an integer, got "two"'],
    [['in.csv', '--threads', '1.5'], '--threads must be an integer, got "1.5"'],
    [['in.csv', '--threads', '0'], '--threads must be at least 1, got 0'],
    [['in.csv', '--rate', 'fast'], '--rate must be a number, got "fast"'],
    [['in.csv', '--out='], '--out needs a non-empty value'],
    [['in.csv', '--verbose=yes'], '--verbose is a flag and takes no value'],
    [[], 'missing FILE'],
    [['a.csv', 'b.csv'], 'unexpected argument "b.csv"'],
  ])('rejects %j with a UsageError: %s', (argv, message) => {
    expect(() => parseArgs(argv, options, positionals)).toThrow(new UsageError(message));
  });

  it('does not insist on positionals when --help is given', () => {
    expect(parseArgs(['--help'], options, positionals).flag('help')).toBe(true);
  });
});

describe('formatHelp', () => {
  it('aligns positionals and options, global options last', () => {
    const help = formatHelp('tool run FILE', 'Runs it.', options.slice(0, 1), positionals);
    expect(help.split('\n')).toEqual([
      'Usage: tool run FILE',
      '',
      'Runs it.',
      '',
      '  FILE         input',
      '  --threads N  threads',
      '  --json       print one JSON object on stdout (human output and progress go to stderr)',
      '  --help       show this help',
      '',
    ]);
  });
});
