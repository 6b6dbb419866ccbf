import type { MouseEvent } from 'react';
import type { SongDto } from '@encore/api-contract';
import { Link, navigate, useLocation } from '../../../router';
import { type BackState, songPath } from '../routes';
import { GenreTags } from './genre-tags';
import { Popularity } from './popularity';

export interface SongTableProps {
  songs: SongDto[];
  /** Rank of the first row minus one, so numbering continues across pages. */
  offset: number;
  matchedGenres?: readonly string[];
}

export function SongTable({ songs, offset, matchedGenres }: SongTableProps) {
  const { pathname, search } = useLocation();
  const state: BackState = { from: `${pathname}${search}` };

  // The title link is the keyboard path; a click anywhere else on the row is a mouse convenience.
  const openRow = (event: MouseEvent<HTMLTableRowElement>, id: string) => {
    if (event.defaultPrevented || window.getSelection()?.toString()) return;
    navigate(songPath(id), { state });
  };

  return (
    <div className="song-table-wrap">
      <table className="song-table">
        <caption className="visually-hidden">Songs</caption>
        <thead>
          <tr>
            <th scope="col" className="song-table__rank">
              #
            </th>
            <th scope="col">Title</th>
            <th scope="col" className="song-table__album">
              Album
            </th>
            <th scope="col" className="song-table__genres">
              Genres
            </th>
            <th scope="col" className="song-table__popularity">
              Popularity
            </th>
          </tr>
        </thead>
        <tbody>
          {songs.map((song, i) => (
            <tr key={song.id} onClick={(event) => openRow(event, song.id)}>
              <td className="song-table__rank">{offset + i + 1}</td>
              <td className="song-table__title">
                <Link to={songPath(song.id)} state={state} className="song-link">
                  {song.name}
                </Link>
                {song.explicit ? (
                  <span className="badge badge--explicit" title="Explicit" aria-label="Explicit">
                    E
                  </span>
                ) : null}
                <span className="song-table__artists">{song.artists.join(', ')}</span>
              </td>
              <td className="song-table__album">{song.album}</td>
              <td className="song-table__genres">
                <GenreTags genres={song.genres} max={2} matched={matchedGenres} />
              </td>
              <td className="song-table__popularity">
                <Popularity value={song.popularity} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
