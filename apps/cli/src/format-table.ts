/**
 * An aligned plain-text table: a header, a rule, then the rows. `right` lists the columns to
 * right-align (numbers); a row shorter than the header spans its last cell (e.g. a message).
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly number[] = [],
): string {
  const widths = header.map((h, i) =>
    Math.max(
      h.length,
      ...rows.filter((r) => r.length === header.length || i < r.length - 1).map((r) => (r[i] ?? '').length),
    ),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        if (i === cells.length - 1 && cells.length < header.length) return cell;
        return right.includes(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]);
      })
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const count = (n: number): string => n.toLocaleString('en-US');

export const fixed = (n: number, digits: number): string => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

export const seconds = (ms: number): string => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
