import { QueryState } from '../../../ui/query-state';
import { GenreChips, GenreFilter } from '../../genres/genre-filter';
import { useSongs } from '../api/use-songs';
import { Pagination } from '../components/pagination';
import { SearchBox } from '../components/search-box';
import { SongTable } from '../components/song-table';
import { SortSelect } from '../components/sort-select';
import { useSongFilters } from '../use-song-filters';
import '../songs.css';

export function SongBrowserPage() {
  const [filters, setFilters] = useSongFilters();
  const songs = useSongs(filters);
  const filtered = filters.q !== '' || filters.genres.length > 0;

  return (
    <section className="page" aria-labelledby="browse-title">
      <header className="page-head">
        <h1 id="browse-title">Browse songs</h1>
        <p className="muted">Search the catalog, narrow it by genre, and open a song to see how it sounds.</p>
      </header>

      <div className="toolbar">
        <SearchBox value={filters.q} onSearch={(q) => setFilters({ q }, { replace: true })} />
        <div className="toolbar__filters">
          <GenreFilter selected={filters.genres} onChange={(genres) => setFilters({ genres })} />
          <SortSelect value={filters.sort} hasQuery={filters.q !== ''} onChange={(sort) => setFilters({ sort })} />
        </div>
      </div>
      <GenreChips selected={filters.genres} onChange={(genres) => setFilters({ genres })} />

      <QueryState
        query={songs}
        label="songs"
        loading={<TableSkeleton />}
        isEmpty={(page) => page.items.length === 0}
        empty={(page) =>
          page.total > 0 ? (
            <>
              <p className="empty-title">There is no page {page.page} for this search.</p>
              <button type="button" className="link-button" onClick={() => setFilters({ page: 1 })}>
                Go to the first page
              </button>
            </>
          ) : (
            <>
              <p className="empty-title">No songs match {filters.q ? <>“{filters.q}”</> : 'these filters'}.</p>
              {filtered ? (
                <button type="button" className="link-button" onClick={() => setFilters({ q: '', genres: [] })}>
                  Clear search and genres
                </button>
              ) : null}
            </>
          )
        }
      >
        {(page) => (
          <>
            <SongTable songs={page.items} offset={(page.page - 1) * page.limit} matchedGenres={filters.genres} />
            <Pagination
              page={page.page}
              limit={page.limit}
              total={page.total}
              onPage={(next) => {
                setFilters({ page: next });
                window.scrollTo({ top: 0, behavior: 'smooth' });
              }}
            />
          </>
        )}
      </QueryState>
    </section>
  );
}

function TableSkeleton() {
  return (
    <div className="table-skeleton" aria-hidden="true">
      {Array.from({ length: 8 }, (_, i) => (
        <div key={i} className="table-skeleton__row">
          <span className="skeleton" style={{ width: '1.5rem' }} />
          <span className="skeleton" style={{ width: `${55 - ((i * 13) % 25)}%` }} />
          <span className="skeleton" style={{ width: '18%' }} />
        </div>
      ))}
    </div>
  );
}
