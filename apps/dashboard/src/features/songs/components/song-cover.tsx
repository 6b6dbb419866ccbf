/** A stable, per-song gradient stands in for cover art (the catalog has none). */
export function coverHue(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0;
  return Math.abs(hash) % 360;
}

export function SongCover({ id, size = 'large' }: { id: string; size?: 'large' | 'small' }) {
  return (
    <div className={`song-cover song-cover--${size}`} style={{ ['--hue' as string]: coverHue(id) }} aria-hidden="true">
      <svg viewBox="0 0 24 24">
        <path d="M9 18V5l12-2v13" />
        <circle cx="6" cy="18" r="3" />
        <circle cx="18" cy="16" r="3" />
      </svg>
    </div>
  );
}
