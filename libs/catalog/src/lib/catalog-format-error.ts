/** Why a whole catalog file was refused (a bad row is only rejected and reported; these stop the ingest). */
export type CatalogFormatProblem =
  'empty' | 'missing-columns' | 'duplicate-columns' | 'unterminated-header' | 'encoding';

/**
 * The one error type the ingest throws for a file it cannot read as a catalog: the message names the problem
 * (the missing columns and the header found, the encoding and where it goes wrong…) for the person who
 * supplied the file, and `problem` lets a program tell the cases apart.
 */
export class CatalogFormatError extends Error {
  override readonly name = 'CatalogFormatError';

  constructor(
    readonly problem: CatalogFormatProblem,
    message: string,
  ) {
    super(message);
  }
}
