import { type ReactNode, useEffect, useRef } from 'react';
import type { SongDto } from '@encore/api-contract';
import { Link, useLocation } from '../../../router';
import { signInPath, useSession } from '../../../session';
import { formatCount } from '../../../ui/format';
import { QueryState, SkeletonLines } from '../../../ui/query-state';
import { SongFeedback } from '../../feedback/components/song-feedback';
import { useFeatureAverages, useSong } from '../api/use-songs';
import { AudioFeatures } from '../components/audio-features';
import { GenreTags } from '../components/genre-tags';
import { Popularity } from '../components/popularity';
import { SimilarSongs } from '../components/similar-songs';
import { SongCover } from '../components/song-cover';
import type { FeatureAverages } from '../feature-averages';
import { type BackState, songPath } from '../routes';
import { formatDuration, formatKey } from '../format';
import '../songs.css';

function backTarget(state: unknown): string {
  const from = (state as Partial<BackState> | null)?.from;
  // Only same-app paths: history state can outlive a deploy, and must never become an open redirect.
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') ? from : '/';
}

export function SongDetailPage({ id }: { id: string }) {
  const song = useSong(id);
  const averages = useFeatureAverages();
  const session = useSession();
  const { state } = useLocation();

  return (
    <section className="page">
      <Link to={backTarget(state)} className="back-link">
        <span aria-hidden="true">←</span> Back to songs
      </Link>
      <QueryState
        query={song}
        label="the song"
        loading={<DetailSkeleton />}
        notFound={
          <div className="query-state query-state--empty" role="status">
            <p className="empty-title">This song is not in the catalog.</p>
            <Link to="/">Browse all songs</Link>
          </div>
        }
      >
        {(data) => (
          <>
            <SongDetail
              song={data}
              average={averages.data}
              actions={
                session ? (
                  <SongFeedback songId={data.id} songName={data.name} />
                ) : (
                  <p className="muted song-hero__signin">
                    <Link to={signInPath(songPath(data.id))}>Sign in</Link> to like songs and get recommendations.
                  </p>
                )
              }
            />
            <SimilarSongs id={data.id} signedIn={session !== null} />
          </>
        )}
      </QueryState>
    </section>
  );
}

export interface SongDetailProps {
  song: SongDto;
  average?: FeatureAverages | null;
  /** Like/Play for a signed-in listener, or an invitation to sign in. */
  actions?: ReactNode;
}

export function SongDetail({ song, average, actions }: SongDetailProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Moving focus to the new page's heading tells screen-reader users that the view changed.
    headingRef.current?.focus();
    document.title = `${song.name} · Encore`;
    return () => {
      document.title = 'Encore';
    };
  }, [song.id, song.name]);

  const { features } = song;
  return (
    <article className="song-detail" aria-labelledby="song-title">
      <header className="song-hero">
        <SongCover id={song.id} />
        <div className="song-hero__text">
          <p className="eyebrow">
            Song{song.explicit ? <span className="badge badge--explicit">Explicit</span> : null}
          </p>
          <h1 id="song-title" ref={headingRef} tabIndex={-1}>
            {song.name}
          </h1>
          <p className="song-hero__artists">{song.artists.join(', ')}</p>
          <p className="song-hero__album">
            <span className="muted">Album</span> {song.album}
          </p>
          <GenreTags genres={song.genres} />
          {actions ? <div className="song-hero__actions">{actions}</div> : null}
        </div>
      </header>

      <dl className="facts">
        <div className="fact">
          <dt>Popularity</dt>
          <dd>
            <Popularity value={song.popularity} />
          </dd>
        </div>
        <div className="fact">
          <dt>Duration</dt>
          <dd>{formatDuration(song.durationMs)}</dd>
        </div>
        <div className="fact">
          <dt>Key</dt>
          <dd>{formatKey(features.key, features.mode)}</dd>
        </div>
        <div className="fact">
          <dt>Tempo</dt>
          <dd>{formatCount(Math.round(features.tempo))} BPM</dd>
        </div>
        <div className="fact">
          <dt>Time signature</dt>
          <dd>{features.timeSignature}/4</dd>
        </div>
      </dl>

      <section className="card" aria-labelledby="features-title">
        <h2 id="features-title">Audio features</h2>
        <AudioFeatures features={features} average={average} />
      </section>
    </article>
  );
}

function DetailSkeleton() {
  return (
    <div className="song-hero" aria-hidden="true">
      <div className="song-cover song-cover--large skeleton" />
      <div className="song-hero__text" style={{ flex: 1 }}>
        <SkeletonLines count={4} />
      </div>
    </div>
  );
}
