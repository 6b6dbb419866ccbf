import {
  ARTIFACT_FORMAT_VERSION,
  MANIFEST_FILE,
  decodeArtifact,
  encodeArtifact,
  fingerprintInteractions,
  sha256Hex,
  type ModelState,
} from '../index';
import { blobFromLittleEndianBytes, blobToLittleEndianBytes } from './artifact';

function sampleState(): ModelState {
  return {
    kind: 'implicit-als',
    params: { factors: 2, regularization: 0.01, iterations: 3 },
    blobs: {
      userFactors: new Float32Array([0.5, -1.25, 3.4028234663852886e38, Number.MIN_VALUE]),
      itemBias: new Float64Array([Math.PI, -0, Number.MAX_VALUE]),
      rowPtr: new Int32Array([0, 2, -2147483648, 2147483647]),
      counts: new Uint32Array([0, 4294967295, 7]),
      flags: new Uint8Array([0, 1, 255]),
      empty: new Float32Array(0),
    },
    meta: { userIds: ['u1', 'u2'], itemIds: ['a', 'b'] },
  };
}

const info = {
  createdAt: '2026-11-25T10:00:00.000Z',
  metrics: { ndcg: 0.25 },
  trainingFingerprint: 'f00d',
  version: 'v7',
};

function withFile(
  files: Record<string, Uint8Array>,
  name: string,
  bytes: Uint8Array | undefined,
): Record<string, Uint8Array> {
  const copy = { ...files };
  if (bytes === undefined) delete copy[name];
  else copy[name] = bytes;
  return copy;
}

function manifestJson(files: Record<string, Uint8Array>): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(files[MANIFEST_FILE]));
}

describe('encodeArtifact / decodeArtifact', () => {
  it('round-trips every dtype bit for bit, with kind, params, meta and info', () => {
    const state = sampleState();
    const { files, manifest } = encodeArtifact(state, info);
    expect(Object.keys(files).sort()).toEqual([
      'blobs/counts.bin',
      'blobs/empty.bin',
      'blobs/flags.bin',
      'blobs/itemBias.bin',
      'blobs/rowPtr.bin',
      'blobs/userFactors.bin',
      MANIFEST_FILE,
    ]);
    expect(manifest.formatVersion).toBe(ARTIFACT_FORMAT_VERSION);
    expect(manifest.blobs['itemBias']).toEqual({
      file: 'blobs/itemBias.bin',
      dtype: 'float64',
      length: 3,
      byteLength: 24,
      sha256: sha256Hex(files['blobs/itemBias.bin']),
    });
    const decoded = decodeArtifact(files);
    expect(decoded.manifest).toEqual(manifest);
    expect(decoded.manifest).toMatchObject({
      createdAt: info.createdAt,
      version: 'v7',
      trainingFingerprint: 'f00d',
      metrics: { ndcg: 0.25 },
    });
    expect(decoded.state.kind).toBe('implicit-als');
    expect(decoded.state.params).toEqual(state.params);
    expect(decoded.state.meta).toEqual(state.meta);
    for (const [name, blob] of Object.entries(state.blobs)) {
      const back = decoded.state.blobs[name];
      expect(back.constructor).toBe(blob.constructor);
      expect(new Uint8Array(back.buffer, back.byteOffset, back.byteLength)).toEqual(
        new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength),
      );
    }
    expect(Object.is(decoded.state.blobs['itemBias'][1], -0)).toBe(true);
  });

  it('writes little-endian bytes', () => {
    const { files } = encodeArtifact(
      { kind: 'x', params: {}, meta: {}, blobs: { v: new Int32Array([0x01020304]) } },
      info,
    );
    expect(Array.from(files['blobs/v.bin'])).toEqual([4, 3, 2, 1]);
  });

  it('converts through DataView on a big-endian host (simulated)', () => {
    const f = new Float64Array([1.5, -2]);
    const bytes = blobToLittleEndianBytes(f, false);
    expect(bytes).toEqual(blobToLittleEndianBytes(f, true));
    expect(Array.from(blobFromLittleEndianBytes(bytes, 'float64', false))).toEqual([1.5, -2]);
  });

  it('copies unaligned input into an aligned typed array', () => {
    const { files } = encodeArtifact({ kind: 'x', params: {}, meta: {}, blobs: { v: new Float32Array([1, 2]) } }, info);
    const padded = new Uint8Array(9);
    padded.set(files['blobs/v.bin'], 1);
    const { state } = decodeArtifact({ ...files, 'blobs/v.bin': padded.subarray(1) });
    expect(Array.from(state.blobs['v'])).toEqual([1, 2]);
  });

  it('refuses a blob with one byte altered, naming the file', () => {
    const { files } = encodeArtifact(sampleState(), info);
    const tampered = files['blobs/userFactors.bin'].slice();
    tampered[5] ^= 0x01;
    expect(() => decodeArtifact(withFile(files, 'blobs/userFactors.bin', tampered))).toThrow(
      /blobs\/userFactors\.bin has sha256 [0-9a-f]{64} but the manifest says [0-9a-f]{64}; the file is corrupt or was altered/,
    );
  });

  it('refuses a truncated blob, naming the file', () => {
    const { files } = encodeArtifact(sampleState(), info);
    const cut = files['blobs/rowPtr.bin'].subarray(0, 10);
    expect(() => decodeArtifact(withFile(files, 'blobs/rowPtr.bin', cut))).toThrow(
      'blobs/rowPtr.bin is 10 bytes but the manifest says 16 (4 × int32); the file is truncated',
    );
  });

  it('refuses a missing blob file', () => {
    const { files } = encodeArtifact(sampleState(), info);
    expect(() => decodeArtifact(withFile(files, 'blobs/flags.bin', undefined))).toThrow(
      'blobs/flags.bin (blob "flags") is missing from the artifact',
    );
  });

  it('refuses a missing manifest', () => {
    const { files } = encodeArtifact(sampleState(), info);
    expect(() => decodeArtifact(withFile(files, MANIFEST_FILE, undefined))).toThrow('artifact has no manifest.json');
  });

  it('refuses a manifest that is not JSON', () => {
    const { files } = encodeArtifact(sampleState(), info);
    const broken = files[MANIFEST_FILE].subarray(0, 40);
    expect(() => decodeArtifact(withFile(files, MANIFEST_FILE, broken))).toThrow(/^manifest.json is not valid JSON/);
  });

  it('refuses other format versions and manifests without one', () => {
    const { files } = encodeArtifact(sampleState(), info);
    const json = manifestJson(files);
    const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
    expect(() => decodeArtifact(withFile(files, MANIFEST_FILE, enc({ ...json, formatVersion: 2 })))).toThrow(
      'manifest.json has format version 2; this build reads format version 1 only (retrain or upgrade the reader)',
    );
    expect(() => decodeArtifact(withFile(files, MANIFEST_FILE, enc({ ...json, formatVersion: '1' })))).toThrow(
      /format version "1"/,
    );
    const { formatVersion: _omit, ...noVersion } = json;
    expect(() => decodeArtifact(withFile(files, MANIFEST_FILE, enc(noVersion)))).toThrow(/has no formatVersion/);
  });

  it('refuses manifest entries that would point outside blobs/ or lie about sizes', () => {
    const { files } = encodeArtifact(sampleState(), info);
    const json = manifestJson(files) as { blobs: Record<string, Record<string, unknown>> };
    const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
    const traversal = structuredClone(json);
    traversal.blobs['flags']['file'] = '../../etc/passwd';
    expect(() => decodeArtifact(withFile(files, MANIFEST_FILE, enc(traversal)))).toThrow(
      'manifest.json: blobs.flags.file must be "blobs/flags.bin"',
    );
    const wrongSize = structuredClone(json);
    wrongSize.blobs['counts']['byteLength'] = 13;
    expect(() => decodeArtifact(withFile(files, MANIFEST_FILE, enc(wrongSize)))).toThrow(
      'manifest.json: blobs.counts.byteLength must be length × 4 = 12',
    );
    const badType = structuredClone(json);
    badType.blobs['counts']['dtype'] = 'int64';
    expect(() => decodeArtifact(withFile(files, MANIFEST_FILE, enc(badType)))).toThrow(
      /blobs.counts.dtype must be one of/,
    );
  });

  it('refuses blob names that are not safe file names, and non-finite metrics', () => {
    const state: ModelState = { kind: 'x', params: {}, meta: {}, blobs: { '../up': new Uint8Array(1) } };
    expect(() => encodeArtifact(state, info)).toThrow(/blob name "..\/up" must match/);
    expect(() => encodeArtifact({ ...state, blobs: {} }, { ...info, metrics: { ndcg: NaN } })).toThrow(
      'metric "ndcg" is NaN; manifest metrics must be finite numbers',
    );
    expect(() => encodeArtifact({ ...state, blobs: {} }, { createdAt: 'yesterday' })).toThrow(/not an ISO-8601 date/);
  });

  it('encodes the same state to the same bytes (deterministic manifest)', () => {
    const a = encodeArtifact(sampleState(), info);
    const b = encodeArtifact(sampleState(), info);
    expect(a.files[MANIFEST_FILE]).toEqual(b.files[MANIFEST_FILE]);
  });
});

describe('fingerprintInteractions', () => {
  const rows = [
    { userId: 'u1', itemId: 'a', weight: 2 },
    { userId: 'u2', itemId: 'b' },
    { userId: 'u1', itemId: 'c', event: 'like', timestamp: 1000 },
  ];

  it('ignores row order', () => {
    expect(fingerprintInteractions(rows)).toBe(fingerprintInteractions([rows[2], rows[0], rows[1]]));
    expect(fingerprintInteractions(rows)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when any field, or the row count, changes', () => {
    const base = fingerprintInteractions(rows);
    const variants = [
      [{ ...rows[0], weight: 3 }, rows[1], rows[2]],
      [rows[0], { ...rows[1], itemId: 'bb' }, rows[2]],
      [rows[0], rows[1], { ...rows[2], event: 'skip' }],
      [rows[0], rows[1], { ...rows[2], timestamp: 1001 }],
      [rows[0], rows[1]],
      [...rows, rows[1]],
      // An id containing a tab must not collide with a shifted field boundary.
      [{ userId: 'u1\ta', itemId: '2' }, rows[1], rows[2]],
    ];
    const seen = new Set([base]);
    for (const v of variants) seen.add(fingerprintInteractions(v));
    expect(seen.size).toBe(variants.length + 1);
  });

  it('treats an absent weight as 1, as the matrix builder does', () => {
    expect(fingerprintInteractions([{ userId: 'u', itemId: 'i' }])).toBe(
      fingerprintInteractions([{ userId: 'u', itemId: 'i', weight: 1 }]),
    );
  });
});
