import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ingestCatalogText, type Catalog } from '@encore/catalog';
import {
  lastfmArtistTags,
  movieLensGenreAttributes,
  parseLastfmTagAssignments,
  parseLastfmTags,
  parseMovieLensItems,
} from '@encore/datasets';
import { buildInteractionMatrix } from '@encore/features';
import { attributeFeatures, ContentRecommender, songFeatures } from '../index';

// The repository's sibling `shared/data`; CI always has it, so a missing file fails loudly.
const DATA = resolve(__dirname, '../../../../../shared/data');

describe('content vectors on the real datasets', () => {
  it('HetRec Last.fm: tf-idf tag vectors put like artists together', () => {
    const dir = resolve(DATA, 'hetrec2011-lastfm-2k');
    const tags = lastfmArtistTags(
      parseLastfmTagAssignments(readFileSync(resolve(dir, 'user_taggedartists.dat'), 'utf8')),
      parseLastfmTags(readFileSync(resolve(dir, 'tags.dat'), 'latin1')),
    );
    const features = attributeFeatures(tags);
    const similarTo = (artistId: string) =>
      features.mostSimilar(features.indexOf(artistId), 8).map((s) => features.itemIds[s.index]);
    // artists.dat: 289 Britney Spears → 67 Madonna, 300 Katy Perry; 51 Duran Duran → 997 The Human League.
    expect(similarTo('289')).toEqual(expect.arrayContaining(['300', '67']));
    expect(similarTo('51')).toContain('997');
    expect(features.vocabulary.length).toBeGreaterThan(3000);
  });

  it('MovieLens 100K: genre flags make Toy Story most like other animated children’s films', () => {
    const films = parseMovieLensItems(readFileSync(resolve(DATA, 'ml-100k/u.item'), 'latin1'));
    expect(films).toHaveLength(1682);
    const features = attributeFeatures(movieLensGenreAttributes(films), {
      items: films.map((f) => f.itemId),
      minItems: 1,
    });
    expect(features.vocabulary).toHaveLength(19);
    const similar = features.mostSimilar(0, 5);
    expect(similar[0].score).toBeCloseTo(1, 6); // same three genres
    for (const s of similar) expect(films[s.index].genres).toEqual(expect.arrayContaining(['Animation', "Children's"]));
  });

  describe('Spotify 114K: audio features + genres', () => {
    let catalog: Catalog;
    beforeAll(() => {
      catalog = ingestCatalogText(readFileSync(resolve(DATA, 'spotify-tracks-114k/dataset.csv'), 'utf8')).catalog;
    });

    const shareGenre = (a: number, genres: Set<string>) => catalog.genresOf(a).some((g) => genres.has(g));

    it('finds same-genre songs as the most similar, over the whole catalog', () => {
      const features = songFeatures(catalog);
      expect(features.size).toBe(catalog.size);
      expect(features.denseDim).toBe(12);
      const model = new ContentRecommender(features);
      model.fit(buildInteractionMatrix([], { items: catalog.ids }));
      for (const id of ['5SuOikwiRyPMVoIQDJUgSV', '6Sq7ltF9Qa7SNFBsV5Cogx']) {
        const i = catalog.indexOf(id);
        const similar = model.similarItems(i, 10);
        expect(similar).toHaveLength(10);
        const own = new Set(catalog.genresOf(i));
        expect(similar.filter((s) => shareGenre(s.index, own)).length).toBeGreaterThanOrEqual(8);
      }
    });

    it('folds in a guest who likes three songs of one genre and answers from that genre', () => {
      const model = new ContentRecommender(songFeatures(catalog));
      model.fit(buildInteractionMatrix([], { items: catalog.ids }));
      const liked: number[] = [];
      const target = catalog.genreIndex('black-metal');
      for (let i = 0; i < catalog.size && liked.length < 3; i++) if (catalog.hasGenre(i, target)) liked.push(i);
      const scores = model.scoreInteractions(liked, [1, 1, 1], new Float32Array(catalog.size));
      for (const i of liked) scores[i] = -Infinity;
      const top = [...scores.keys()].sort((a, b) => scores[b] - scores[a]).slice(0, 20);
      const genres = new Set(liked.flatMap((i) => catalog.genresOf(i)));
      expect(top.filter((i) => shareGenre(i, genres)).length).toBeGreaterThanOrEqual(16);
      expect(model.explainInteractions(liked, [1, 1, 1], top[0]).seedItem).toBeDefined();
    });
  });
});
