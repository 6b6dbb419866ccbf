/** Personalize limits an id (USER_ID, ITEM_ID) to 256 characters. */
export const MAX_ID_LENGTH = 256;
/** …and a categorical cell (all its `|`-joined values) to 1000 characters; longer ones fail the import job. */
export const MAX_CATEGORICAL_LENGTH = 1000;

const NEEDS_QUOTES = /[",\r\n]/;
const LINE_BREAK = /[\r\n]+/g;

/** One CSV field: quoted (with doubled quotes) when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Why an id cannot be exported, or null. Personalize wants every record on one physical line,
 * so an id with a line break cannot be written even quoted (and rewriting it would change the id).
 */
export function idProblem(id: string): string | null {
  if (id.length === 0) return 'empty id';
  if (id.length > MAX_ID_LENGTH) return `id longer than ${MAX_ID_LENGTH} characters`;
  if (/[\r\n]/.test(id)) return 'id with a line break';
  return null;
}

/**
 * A categorical cell from a list of values: `|` inside a value would split it, so it becomes `/`;
 * line breaks become spaces; duplicates and blanks go. Values that would push the cell past
 * {@link MAX_CATEGORICAL_LENGTH} are left off (`truncated` says so).
 */
export function categoricalCell(values: Iterable<string>): { cell: string; truncated: boolean } {
  const seen = new Set<string>();
  let cell = '';
  let truncated = false;
  for (const raw of values) {
    const value = raw.replace(LINE_BREAK, ' ').replace(/\|/g, '/').trim();
    if (value === '' || seen.has(value)) continue;
    seen.add(value);
    const next = cell === '' ? value : `${cell}|${value}`;
    if (next.length > MAX_CATEGORICAL_LENGTH) {
      truncated = true;
      if (cell === '') cell = value.slice(0, MAX_CATEGORICAL_LENGTH);
      break;
    }
    cell = next;
  }
  return { cell, truncated };
}

/**
 * A float column value. Catalog columns are Float32Arrays, whose values print as e.g.
 * 0.6760000228881836; seven significant digits give back the number the source file held.
 */
export function floatField(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(7)));
}
