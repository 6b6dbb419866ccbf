import type { ReactNode } from 'react';
import type { UseInfiniteQueryResult, UseQueryResult } from '@tanstack/react-query';
import { ApiError } from '../api/client';
import './query-state.css';

export interface QueryStateProps<T> {
  query: UseQueryResult<T, Error> | UseInfiniteQueryResult<T, Error>;
  /** What is being loaded, for screen readers and the error title ("songs", "genres"). */
  label: string;
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode | ((data: T) => ReactNode);
  /** Shape-alike placeholder shown on the first load; defaults to a few skeleton lines. */
  loading?: ReactNode;
  /** Shown instead of the generic error when the API answers 404. */
  notFound?: ReactNode;
  compact?: boolean;
}

/** Loading, empty and error states rendered the same way for every query in the app. */
export function QueryState<T>({
  query,
  label,
  children,
  isEmpty,
  empty,
  loading,
  notFound,
  compact,
}: QueryStateProps<T>) {
  if (query.isPending) {
    return (
      <div className="query-state query-state--loading" role="status" aria-busy="true" aria-label={`Loading ${label}`}>
        {loading ?? <SkeletonLines count={compact ? 1 : 4} />}
      </div>
    );
  }
  if (query.isError) {
    const error = query.error;
    if (notFound && error instanceof ApiError && error.status === 404) return <>{notFound}</>;
    return (
      <div className={`query-state query-state--error${compact ? ' query-state--compact' : ''}`} role="alert">
        <div>
          <p className="query-state__title">Couldn’t load {label}</p>
          <p className="query-state__message">{error.message}</p>
          {error instanceof ApiError && error.body.requestId ? (
            <p className="query-state__meta">Request id {error.body.requestId}</p>
          ) : null}
        </div>
        <button type="button" className="button" onClick={() => void query.refetch()} disabled={query.isFetching}>
          {query.isFetching ? 'Retrying…' : 'Try again'}
        </button>
      </div>
    );
  }
  if (isEmpty?.(query.data)) {
    return (
      <div className="query-state query-state--empty" role="status">
        {(typeof empty === 'function' ? empty(query.data) : empty) ?? <p>Nothing here yet.</p>}
      </div>
    );
  }
  // Previous results stay on screen while the next page or filter loads; dim them so the wait is visible.
  const stale = query.isPlaceholderData && query.isFetching;
  return (
    <div className={stale ? 'query-state__content is-stale' : 'query-state__content'} aria-busy={stale}>
      {children(query.data)}
    </div>
  );
}

export function SkeletonLines({ count }: { count: number }) {
  return (
    <div className="skeleton-lines" aria-hidden="true">
      {Array.from({ length: count }, (_, i) => (
        <span key={i} className="skeleton" style={{ width: `${92 - ((i * 17) % 40)}%` }} />
      ))}
    </div>
  );
}
