import { ItemFeatures } from './index';

/**
 * Item vectors for the features contract fixture's 13 items (`contractInteractions()`): i0–i5
 * lean towards the first dense axis and carry the tag "warm", i6–i11 towards the second with
 * "cool", mirroring the two taste blocks; i12 (untouched by every user) has both tags.
 */
export function contractItemFeatures(): ItemFeatures {
  const ids = Array.from({ length: 13 }, (_, i) => `i${i}`);
  const dense = new Float32Array(13 * 2);
  const offsets = new Int32Array(14);
  const tagIds: number[] = [];
  for (let i = 0; i < 13; i++) {
    const warm = i < 6;
    dense[i * 2] = warm ? 1 : 0.2 + 0.05 * (i % 3);
    dense[i * 2 + 1] = warm ? 0.2 + 0.05 * (i % 3) : 1;
    if (i === 12) tagIds.push(0, 1);
    else tagIds.push(warm ? 0 : 1);
    offsets[i + 1] = tagIds.length;
  }
  return ItemFeatures.build({
    ids,
    dense: { dim: 2, values: dense },
    sparse: {
      offsets,
      ids: Int32Array.from(tagIds),
      values: new Float32Array(tagIds.length).fill(1),
      vocabulary: ['warm', 'cool'],
    },
  });
}
