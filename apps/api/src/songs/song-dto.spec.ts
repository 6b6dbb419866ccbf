import { Catalog } from '@encore/catalog';
import { songFixture } from '@encore/catalog/testing';
import { toSongDto } from './song-dto';

describe('toSongDto', () => {
  it('copies every field and rounds float32 columns back to the source precision', () => {
    const catalog = Catalog.fromSongs([
      songFixture('x', {
        name: 'Comedy',
        artists: ['Gen Hoshino', 'Guest'],
        album: 'Comedy',
        genres: ['acoustic', 'j-pop'],
        popularity: 73,
        durationMs: 230666,
        explicit: true,
        features: { danceability: 0.676, loudness: -6.746, instrumentalness: 1.01e-6, tempo: 87.917 },
      }),
    ]);
    // Float32 storage alone would give 0.6759999990463257.
    expect(Math.fround(0.676)).not.toBe(0.676);
    expect(toSongDto(catalog, 0)).toEqual({
      id: 'x',
      name: 'Comedy',
      artists: ['Gen Hoshino', 'Guest'],
      album: 'Comedy',
      genres: ['acoustic', 'j-pop'],
      popularity: 73,
      durationMs: 230666,
      explicit: true,
      features: {
        danceability: 0.676,
        energy: 0.5,
        key: 0,
        loudness: -6.746,
        mode: 1,
        speechiness: 0.5,
        acousticness: 0.5,
        instrumentalness: 1.01e-6,
        liveness: 0.5,
        valence: 0.5,
        tempo: 87.917,
        timeSignature: 4,
      },
    });
  });

  it('builds each song once per catalog and shares it frozen', () => {
    const a = Catalog.fromSongs([songFixture('x', { name: 'First' })]);
    const b = Catalog.fromSongs([songFixture('x', { name: 'Second' })]);
    const dto = toSongDto(a, 0);
    expect(toSongDto(a, 0)).toBe(dto);
    expect(Object.isFrozen(dto) && Object.isFrozen(dto.features)).toBe(true);
    expect(toSongDto(b, 0).name).toBe('Second');
  });
});
