import type { SongSort } from '@encore/api-contract';
import { SONG_SORTS } from '../song-filters';

export function SortSelect({
  value,
  hasQuery,
  onChange,
}: {
  value: SongSort;
  hasQuery: boolean;
  onChange: (sort: SongSort) => void;
}) {
  return (
    <label className="field field--inline">
      <span className="field__label">Sort</span>
      <select className="select" value={value} onChange={(event) => onChange(event.target.value as SongSort)}>
        {SONG_SORTS.map((sort) => (
          <option key={sort.value} value={sort.value} disabled={sort.value === 'relevance' && !hasQuery}>
            {sort.label}
          </option>
        ))}
      </select>
    </label>
  );
}
