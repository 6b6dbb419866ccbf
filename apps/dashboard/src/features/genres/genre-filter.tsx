import { useEffect, useId, useRef, useState } from 'react';
import type { GenreDto } from '@encore/api-contract';
import { QueryState } from '../../ui/query-state';
import { formatCount } from '../../ui/format';
import { useGenres } from './api/use-genres';
import './genres.css';

export interface GenreFilterProps {
  selected: string[];
  onChange: (genres: string[]) => void;
}

/** A disclosure with a filterable checkbox list: the full catalog has over a hundred genres. */
export function GenreFilter({ selected, onChange }: GenreFilterProps) {
  const genres = useGenres();
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const toggle = (name: string) =>
    onChange(selected.includes(name) ? selected.filter((g) => g !== name) : [...selected, name].sort());

  useEffect(() => {
    if (!open) return;
    const closeOutside = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const closeOnEscape = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      rootRef.current?.querySelector('button')?.focus();
    };
    document.addEventListener('pointerdown', closeOutside);
    document.addEventListener('keydown', closeOnEscape);
    return () => {
      document.removeEventListener('pointerdown', closeOutside);
      document.removeEventListener('keydown', closeOnEscape);
    };
  }, [open]);

  const panelId = useId();
  return (
    <div className="genre-filter" ref={rootRef}>
      <button
        type="button"
        className="button genre-filter__toggle"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={selected.length > 0 ? `Genres, ${selected.length} selected` : 'Genres'}
        onClick={() => setOpen((o) => !o)}
      >
        Genres
        {selected.length > 0 ? (
          <span className="count-badge" aria-hidden="true">
            {selected.length}
          </span>
        ) : null}
        <svg className="chevron" viewBox="0 0 24 24" aria-hidden="true">
          <path d="m6 9 6 6 6-6" />
        </svg>
      </button>
      {open ? (
        <div className="genre-filter__panel" id={panelId}>
          <QueryState
            query={genres}
            label="genres"
            compact
            isEmpty={(g) => g.length === 0}
            empty={<p>No genres in the catalog.</p>}
          >
            {(list) => (
              <GenreOptions genres={list} selected={selected} onToggle={toggle} onClear={() => onChange([])} />
            )}
          </QueryState>
        </div>
      ) : null}
    </div>
  );
}

/** The picked genres as removable chips, shown under the toolbar so the picks stay visible with the list closed. */
export function GenreChips({ selected, onChange }: GenreFilterProps) {
  if (selected.length === 0) return null;
  return (
    <ul className="chips" aria-label="Selected genres">
      {selected.map((name) => (
        <li key={name}>
          <button
            type="button"
            className="chip"
            onClick={() => onChange(selected.filter((g) => g !== name))}
            aria-label={`Remove genre ${name}`}
          >
            {name}
            <span aria-hidden="true">×</span>
          </button>
        </li>
      ))}
      {selected.length > 1 ? (
        <li>
          <button type="button" className="link-button" onClick={() => onChange([])}>
            Clear genres
          </button>
        </li>
      ) : null}
    </ul>
  );
}

interface GenreOptionsProps {
  genres: GenreDto[];
  selected: string[];
  onToggle: (name: string) => void;
  onClear: () => void;
}

function GenreOptions({ genres, selected, onToggle, onClear }: GenreOptionsProps) {
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const shown = needle ? genres.filter((g) => g.name.toLowerCase().includes(needle)) : genres;
  return (
    <fieldset className="genre-options">
      <legend className="visually-hidden">Filter by genre</legend>
      <div className="genre-options__head">
        <input
          type="search"
          className="input input--small"
          placeholder="Find a genre…"
          aria-label="Find a genre"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          autoFocus
        />
        <button type="button" className="link-button" onClick={onClear} disabled={selected.length === 0}>
          Clear
        </button>
      </div>
      <div className="genre-options__list">
        {shown.length === 0 ? <p className="muted">No genre matches “{filter}”.</p> : null}
        {shown.map((genre) => (
          <label key={genre.name} className="genre-option">
            <input type="checkbox" checked={selected.includes(genre.name)} onChange={() => onToggle(genre.name)} />
            <span className="genre-option__name">{genre.name}</span>
            <span className="genre-option__count" aria-label={`${genre.songs} songs`}>
              {formatCount(genre.songs)}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
