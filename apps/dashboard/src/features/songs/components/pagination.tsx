import { formatCount } from '../../../ui/format';
import { totalPages } from '../song-filters';

export interface PaginationProps {
  page: number;
  limit: number;
  total: number;
  onPage: (page: number) => void;
}

export function Pagination({ page, limit, total, onPage }: PaginationProps) {
  const pages = totalPages(total, limit);
  const first = total === 0 ? 0 : (page - 1) * limit + 1;
  const last = Math.min(total, page * limit);
  return (
    <nav className="pagination" aria-label="Pagination">
      <p className="pagination__summary">
        {formatCount(first)}–{formatCount(last)} of {formatCount(total)} songs
      </p>
      <div className="pagination__controls">
        <button type="button" className="button" onClick={() => onPage(page - 1)} disabled={page <= 1}>
          <span aria-hidden="true">←</span> Previous
        </button>
        <span className="pagination__page" aria-live="polite">
          Page {formatCount(page)} of {formatCount(pages)}
        </span>
        <button type="button" className="button" onClick={() => onPage(page + 1)} disabled={page >= pages}>
          Next <span aria-hidden="true">→</span>
        </button>
      </div>
    </nav>
  );
}
