import { useEffect, useRef } from 'react';
import type { SongDto } from '@encore/api-contract';
import { Link, useLocation } from '../../../router';
import { formatCount } from '../../../ui/format';
import { QueryState, SkeletonLines } from '../../../ui/query-state';
import { useSong } from '../api/use-songs';
import { AudioFeatures } from '../components/audio-features';
import { GenreTags } from '../components/genre-tags';
import { Popularity } from '../components/popularity';
import type { BackState } from '../routes';
import { formatDuration, formatKey } from '../format';
import '../songs.css';

function backTarget(state: unknown): string {
  const from = (state as Partial<BackState> | null)?.from;
  // Only same-app paths: history state can outlive a deploy, and must never become an open redirect.
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') ? from : '/';
}

export function SongDetailPage({ id }: { id: string }) {
  const song = useSong(id);
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
        {(data) => <SongDetail song={data} />}
      </QueryState>
    </section>
  );
}

/** A stable, per-song gradient stands in for cover art (the catalog has none). */
function coverHue(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0;
  return Math.abs(hash) % 360;
}

export function SongDetail({ song }: { song: SongDto }) {
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
  const hue = coverHue(song.id);
  return (
    <article className="song-detail" aria-labelledby="song-title">
      <header className="song-hero">
        <div className="song-hero__cover" style={{ ['--hue' as string]: hue }} aria-hidden="true">
          <svg viewBox="0 0 24 24">
            <path d="M9 18V5l12-2v13" />
            <circle cx="6" cy="18" r="3" />
            <circle cx="18" cy="16" r="3" />
          </svg>
        </div>
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
        <AudioFeatures features={features} />
      </section>
    </article>
  );
}

function DetailSkeleton() {
  return (
    <div className="song-hero" aria-hidden="true">
      <div className="song-hero__cover skeleton" />
      <div className="song-hero__text" style={{ flex: 1 }}>
        <SkeletonLines count={4} />
      </div>
    </div>
  );
}
