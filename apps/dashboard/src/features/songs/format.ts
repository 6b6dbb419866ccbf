const PITCH_CLASSES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'];

export function formatDuration(ms: number): string {
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/** Spotify encodes key as a pitch class (-1 = not detected) and mode as 1 = major, 0 = minor. */
export function formatKey(key: number, mode: number): string {
  const pitch = PITCH_CLASSES[key];
  if (pitch === undefined) return 'Unknown';
  return `${pitch} ${mode === 1 ? 'major' : 'minor'}`;
}
