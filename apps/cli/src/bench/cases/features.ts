import { SongFeatureEncoder } from '@encore/features';
import { defineBenchCase } from '../bench-case';
import { fullCatalog } from './bench-data';

/** Catalog → songs × dim feature rows (standardised audio, genres, popularity buckets), into a reused buffer. */
export const encodeFullCatalog = defineBenchCase({
  id: 'features-encode',
  name: 'features: encode full catalog',
  unit: 'songs',
  setup: async (env) => {
    const catalog = await fullCatalog(env);
    const encoder = SongFeatureEncoder.fit(catalog);
    return { catalog, encoder, out: new Float32Array(catalog.size * encoder.dim) };
  },
  run: ({ catalog, encoder, out }) => {
    encoder.encodeInto(catalog, out);
    return catalog.size;
  },
});
