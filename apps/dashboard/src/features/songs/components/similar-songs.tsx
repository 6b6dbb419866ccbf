import { Link, useLocation } from '../../../router';
import { QueryState, SkeletonLines } from '../../../ui/query-state';
import { SongFeedback } from '../../feedback/components/song-feedback';
import { Reason } from '../../recommendations/components/reason';
import { useSimilarSongs } from '../api/use-songs';
import { type BackState, songPath } from '../routes';
import { SongCover } from './song-cover';

/** "More like this": the API's look-alikes for a song, each with its reason, and a Like button when signed in. */
export function SimilarSongs({ id, signedIn }: { id: string; signedIn: boolean }) {
  const similar = useSimilarSongs(id);
  const { pathname, search, state } = useLocation();
  // Keep where the song page itself was opened from, so "back" still leads out of the chain of look-alikes.
  const backState: BackState = (state as BackState | null)?.from
    ? (state as BackState)
    : { from: `${pathname}${search}` };

  return (
    <section className="card similar-songs" aria-labelledby="similar-title">
      <h2 id="similar-title">Similar songs</h2>
      <QueryState
        query={similar}
        label="similar songs"
        loading={<SkeletonLines count={4} />}
        isEmpty={(list) => list.items.length === 0}
        empty={<p>No look-alikes for this song yet.</p>}
        compact
      >
        {(list) => (
          <ol className="similar-list">
            {list.items.map((item) => (
              <li key={item.id} className="similar-row" data-song-id={item.id}>
                <SongCover id={item.id} size="small" />
                <div className="similar-row__body">
                  <Link to={songPath(item.id)} state={backState} className="similar-row__title">
                    {item.name}
                  </Link>
                  <span className="similar-row__artists">{item.artists.join(', ')}</span>
                  <Reason reason={item.reason} />
                </div>
                {signedIn ? <SongFeedback songId={item.id} songName={item.name} events={['like']} compact /> : null}
              </li>
            ))}
          </ol>
        )}
      </QueryState>
    </section>
  );
}
