export interface GenreTagsProps {
  genres: string[];
  max?: number;
  /** Genres being filtered on: listed first and highlighted, so a row shows why it matched. */
  matched?: readonly string[];
}

export function GenreTags({ genres, max = Infinity, matched = [] }: GenreTagsProps) {
  const ordered =
    matched.length > 0
      ? [...genres.filter((g) => matched.includes(g)), ...genres.filter((g) => !matched.includes(g))]
      : genres;
  const shown = ordered.slice(0, max);
  const hidden = ordered.length - shown.length;
  return (
    <span className="tags">
      {shown.map((genre) => (
        <span key={genre} className={matched.includes(genre) ? 'tag tag--match' : 'tag'}>
          {genre}
        </span>
      ))}
      {hidden > 0 ? (
        <span className="tag tag--more" title={ordered.slice(max).join(', ')}>
          +{hidden}
        </span>
      ) : null}
    </span>
  );
}
