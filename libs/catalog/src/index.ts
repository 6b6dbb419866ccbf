export { Catalog, CatalogBuilder, AUDIO_FEATURES, type AudioFeature, type Song } from './lib/catalog';
