/**
 * The song catalog in columnar form: one array per attribute, numeric columns as typed
 * arrays, multi-valued attributes (artists, genres) as a vocabulary plus offsets, so a
 * 114K-song catalog is a handful of allocations rather than 114K objects.
 */
export const AUDIO_FEATURES = [
  'danceability',
  'energy',
  'key',
  'loudness',
  'mode',
  'speechiness',
  'acousticness',
  'instrumentalness',
  'liveness',
  'valence',
  'tempo',
  'timeSignature',
] as const;
export type AudioFeature = (typeof AUDIO_FEATURES)[number];

/** One song as a plain object, for API responses and tests (never for hot loops). */
export interface Song {
  id: string;
  name: string;
  artists: string[];
  album: string;
  genres: string[];
  popularity: number;
  durationMs: number;
  explicit: boolean;
  features: Record<AudioFeature, number>;
}

export class Catalog {
  private idIndex: Map<string, number> | null = null;

  constructor(
    readonly ids: string[],
    readonly names: string[],
    readonly albums: string[],
    /** Vocabulary of artist names; song i's artists are artistIds[artistOffsets[i] … artistOffsets[i+1]). */
    readonly artistNames: string[],
    readonly artistOffsets: Int32Array,
    readonly artistIds: Int32Array,
    /** Vocabulary of genres; song i's genres are genreIds[genreOffsets[i] … genreOffsets[i+1]). */
    readonly genreNames: string[],
    readonly genreOffsets: Int32Array,
    readonly genreIds: Int32Array,
    readonly popularity: Float32Array,
    readonly durationMs: Float32Array,
    readonly explicit: Uint8Array,
    readonly audio: Record<AudioFeature, Float32Array>,
  ) {}

  get size(): number {
    return this.ids.length;
  }

  /** Dense index of a song id, or -1. */
  indexOf(id: string): number {
    if (!this.idIndex) {
      this.idIndex = new Map();
      for (let i = 0; i < this.ids.length; i++) this.idIndex.set(this.ids[i], i);
    }
    return this.idIndex.get(id) ?? -1;
  }

  artistsOf(i: number): string[] {
    const out: string[] = [];
    for (let p = this.artistOffsets[i]; p < this.artistOffsets[i + 1]; p++)
      out.push(this.artistNames[this.artistIds[p]]);
    return out;
  }

  genresOf(i: number): string[] {
    const out: string[] = [];
    for (let p = this.genreOffsets[i]; p < this.genreOffsets[i + 1]; p++) out.push(this.genreNames[this.genreIds[p]]);
    return out;
  }

  /** The vocabulary index of a genre name, or -1. */
  genreIndex(name: string): number {
    return this.genreNames.indexOf(name);
  }

  hasGenre(i: number, genreIndex: number): boolean {
    for (let p = this.genreOffsets[i]; p < this.genreOffsets[i + 1]; p++)
      if (this.genreIds[p] === genreIndex) return true;
    return false;
  }

  song(i: number): Song {
    const features = {} as Record<AudioFeature, number>;
    for (const f of AUDIO_FEATURES) features[f] = this.audio[f][i];
    return {
      id: this.ids[i],
      name: this.names[i],
      artists: this.artistsOf(i),
      album: this.albums[i],
      genres: this.genresOf(i),
      popularity: this.popularity[i],
      durationMs: this.durationMs[i],
      explicit: this.explicit[i] === 1,
      features,
    };
  }

  /** Builds a catalog from plain song objects (fixtures, tests, small imports). */
  static fromSongs(songs: readonly Song[]): Catalog {
    const b = new CatalogBuilder();
    for (const s of songs) b.add(s);
    return b.build();
  }
}

/** Appends songs one at a time and freezes them into a columnar Catalog. */
export class CatalogBuilder {
  private readonly ids: string[] = [];
  private readonly names: string[] = [];
  private readonly albums: string[] = [];
  private readonly artistNames: string[] = [];
  private readonly artistVocab = new Map<string, number>();
  private readonly artistOffsets: number[] = [0];
  private readonly artistIds: number[] = [];
  private readonly genreNames: string[] = [];
  private readonly genreVocab = new Map<string, number>();
  private readonly genreOffsets: number[] = [0];
  private readonly genreIds: number[] = [];
  private readonly popularity: number[] = [];
  private readonly durationMs: number[] = [];
  private readonly explicit: number[] = [];
  private readonly audio: Record<AudioFeature, number[]> = Object.fromEntries(
    AUDIO_FEATURES.map((f) => [f, []]),
  ) as unknown as Record<AudioFeature, number[]>;

  get size(): number {
    return this.ids.length;
  }

  add(song: Song): number {
    this.ids.push(song.id);
    this.names.push(song.name);
    this.albums.push(song.album);
    for (const a of song.artists) this.artistIds.push(intern(a, this.artistVocab, this.artistNames));
    this.artistOffsets.push(this.artistIds.length);
    for (const g of song.genres) this.genreIds.push(intern(g, this.genreVocab, this.genreNames));
    this.genreOffsets.push(this.genreIds.length);
    this.popularity.push(song.popularity);
    this.durationMs.push(song.durationMs);
    this.explicit.push(song.explicit ? 1 : 0);
    for (const f of AUDIO_FEATURES) this.audio[f].push(song.features[f]);
    return this.ids.length - 1;
  }

  build(): Catalog {
    const audio = {} as Record<AudioFeature, Float32Array>;
    for (const f of AUDIO_FEATURES) audio[f] = Float32Array.from(this.audio[f]);
    return new Catalog(
      this.ids.slice(),
      this.names.slice(),
      this.albums.slice(),
      this.artistNames.slice(),
      Int32Array.from(this.artistOffsets),
      Int32Array.from(this.artistIds),
      this.genreNames.slice(),
      Int32Array.from(this.genreOffsets),
      Int32Array.from(this.genreIds),
      Float32Array.from(this.popularity),
      Float32Array.from(this.durationMs),
      Uint8Array.from(this.explicit),
      audio,
    );
  }
}

function intern(name: string, vocab: Map<string, number>, names: string[]): number {
  let id = vocab.get(name);
  if (id === undefined) {
    id = names.length;
    vocab.set(name, id);
    names.push(name);
  }
  return id;
}
