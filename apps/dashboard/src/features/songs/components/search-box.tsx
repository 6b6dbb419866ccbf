import { type FormEvent, useState } from 'react';
import { useDebouncedCallback } from '../../../ui/use-debounced-callback';

export const SEARCH_DEBOUNCE_MS = 250;

export interface SearchBoxProps {
  value: string;
  onSearch: (q: string) => void;
}

/** Local text for instant typing; the (URL) search follows after a pause, or at once on Enter. */
export function SearchBox({ value, onSearch }: SearchBoxProps) {
  const [text, setText] = useState(value);
  const [lastValue, setLastValue] = useState(value);
  const debounced = useDebouncedCallback(onSearch, SEARCH_DEBOUNCE_MS);

  // Back/forward changes the URL under us: adopt it (React's "adjust state on prop change" pattern).
  if (value !== lastValue) {
    setLastValue(value);
    setText(value);
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    debounced.cancel();
    onSearch(text);
  };

  return (
    <form role="search" className="search-box" onSubmit={submit}>
      <label htmlFor="song-search" className="visually-hidden">
        Search songs
      </label>
      <svg className="search-box__icon" viewBox="0 0 24 24" aria-hidden="true">
        <circle cx="11" cy="11" r="7" />
        <path d="m20 20-3.5-3.5" />
      </svg>
      <input
        id="song-search"
        type="search"
        placeholder="Search songs, artists, albums…"
        autoComplete="off"
        spellCheck={false}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          debounced.run(event.target.value);
        }}
      />
    </form>
  );
}
