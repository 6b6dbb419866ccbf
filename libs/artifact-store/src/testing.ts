import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ModelState } from '@encore/model-artifact';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArtifactStoreError, PUBLISH_STEPS, type ArtifactStore, type PublishStep } from './lib/artifact-store';

/** A small model state with a blob of each common dtype; `seed` changes every value. */
export function sampleModelState(seed = 1): ModelState {
  return {
    kind: 'als',
    params: { factors: 2, seed },
    blobs: {
      itemFactors: Float32Array.from({ length: 8 }, (_, i) => (i + 1) * seed * 0.5),
      rowPtr: new Int32Array([0, 2, 3, 3 + seed]),
      weights: new Float64Array([Math.PI * seed, -seed]),
    },
    meta: { userIds: ['u1', 'u2', 'u3'], itemIds: ['a', 'b', 'c', 'd'] },
  };
}

/** What the contract suite needs from one store implementation besides the store itself. */
export interface ArtifactStoreHarness {
  /** A fresh, empty store. */
  store: ArtifactStore;
  /** Replaces the bytes of one file (e.g. `blobs/itemFactors.bin`) of a published version: simulated corruption. */
  rewrite(version: string, file: string, change: (bytes: Uint8Array) => Uint8Array): Promise<void>;
  /** A store over the same storage whose publish throws right after `step`: a simulated crash. */
  crashingAt(step: PublishStep): ArtifactStore;
  cleanup?(): Promise<void>;
}

export interface ArtifactStoreContractOptions {
  /**
   * Publish steps the store reaches only after its commit point (default none). A crash before the
   * commit must leave nothing visible; a crash after it must leave the new version whole and published.
   * S3 has no rename: its commit is the manifest write, so 'manifest-written' comes after it.
   */
  stepsAfterCommit?: readonly PublishStep[];
}

const at = (iso: string) => ({ createdAt: iso });

/**
 * Behaviour every ArtifactStore must share: round trip, listing order, activation, refusal of
 * corrupt versions (with the previous active version still loadable) and atomic publishing.
 */
export function describeArtifactStoreContract(
  name: string,
  setup: () => Promise<ArtifactStoreHarness>,
  options: ArtifactStoreContractOptions = {},
): void {
  const afterCommit = options.stepsAfterCommit ?? [];
  const beforeCommit = PUBLISH_STEPS.filter((s) => !afterCommit.includes(s));
  describe(`ArtifactStore contract: ${name}`, () => {
    let h: ArtifactStoreHarness;

    beforeEach(async () => {
      h = await setup();
    });

    afterEach(async () => {
      await h.cleanup?.();
    });

    it('round-trips a model state bit for bit, with its metrics and fingerprint', async () => {
      const state = sampleModelState(3);
      const published = await h.store.publish(state, {
        version: 'v1',
        createdAt: '2026-11-25T10:00:00.000Z',
        metrics: { ndcg: 0.41 },
        trainingFingerprint: 'abc123',
      });
      expect(published.version).toBe('v1');
      expect(published.manifest).toMatchObject({ kind: 'als', version: 'v1', metrics: { ndcg: 0.41 } });
      const loaded = await h.store.load('v1');
      expect(loaded.version).toBe('v1');
      expect(loaded.manifest).toEqual(published.manifest);
      expect(loaded.manifest.trainingFingerprint).toBe('abc123');
      expect(loaded.state.kind).toBe('als');
      expect(loaded.state.params).toEqual(state.params);
      expect(loaded.state.meta).toEqual(state.meta);
      for (const [blob, values] of Object.entries(state.blobs)) {
        expect(loaded.state.blobs[blob].constructor).toBe(values.constructor);
        expect(Array.from(loaded.state.blobs[blob])).toEqual(Array.from(values));
      }
    });

    it('generates distinct, time-ordered version names when none is given', async () => {
      const a = await h.store.publish(sampleModelState(1), at('2026-11-25T10:00:00.000Z'));
      const b = await h.store.publish(sampleModelState(1), at('2026-11-25T10:00:00.000Z'));
      expect(a.version).not.toBe(b.version);
      expect(a.version).toMatch(/^20261125T100000000Z-[0-9a-f]+$/);
      expect(a.manifest.version).toBe(a.version);
    });

    it('lists versions newest first, by training time rather than publish order', async () => {
      expect(await h.store.list()).toEqual([]);
      await h.store.publish(sampleModelState(1), { version: 'mid', ...at('2026-11-02T00:00:00.000Z') });
      await h.store.publish(sampleModelState(2), { version: 'new', ...at('2026-11-03T00:00:00.000Z') });
      await h.store.publish(sampleModelState(3), { version: 'old', ...at('2026-11-01T00:00:00.000Z') });
      const listed = await h.store.list();
      expect(listed.map((a) => a.version)).toEqual(['new', 'mid', 'old']);
      expect(listed[0].manifest.params).toEqual({ factors: 2, seed: 2 });
    });

    it('refuses to overwrite a published version or accept an unsafe name', async () => {
      await h.store.publish(sampleModelState(1), { version: 'v1' });
      await expect(h.store.publish(sampleModelState(2), { version: 'v1' })).rejects.toThrow(
        'model version "v1" already exists',
      );
      expect(Array.from((await h.store.load('v1')).state.blobs['weights'])).toEqual([Math.PI, -1]);
      for (const bad of ['../up', '.hidden', 'a/b', '']) {
        await expect(h.store.publish(sampleModelState(1), { version: bad })).rejects.toThrow(ArtifactStoreError);
      }
    });

    it('starts with no active version and activates published ones', async () => {
      expect(await h.store.activeVersion()).toBeNull();
      expect(await h.store.loadActive()).toBeNull();
      await h.store.publish(sampleModelState(1), { version: 'v1' });
      await h.store.publish(sampleModelState(2), { version: 'v2' });
      expect(await h.store.activeVersion()).toBeNull(); // publishing does not activate
      await h.store.activate('v1');
      expect(await h.store.activeVersion()).toBe('v1');
      await h.store.activate('v2');
      expect(await h.store.activeVersion()).toBe('v2');
      expect((await h.store.loadActive())?.state.params).toEqual({ factors: 2, seed: 2 });
    });

    it('names the missing version and the known ones', async () => {
      await h.store.publish(sampleModelState(1), { version: 'v1' });
      await expect(h.store.load('v9')).rejects.toThrow(/no model version "v9" in .*\(versions: v1\)/);
      await expect(h.store.activate('v9')).rejects.toMatchObject({ code: 'not-found' });
      expect(await h.store.activeVersion()).toBeNull();
    });

    it.each([
      ['truncated', (b: Uint8Array) => b.subarray(0, b.length - 3), /blobs\/itemFactors\.bin is 29 bytes .* truncated/],
      [
        'tampered',
        (b: Uint8Array) => {
          const c = b.slice();
          c[4] ^= 0x40;
          return c;
        },
        /blobs\/itemFactors\.bin has sha256 [0-9a-f]{64} but the manifest says/,
      ],
    ])('refuses a %s blob, naming the file, while the previous active version still loads', async (_, change, why) => {
      await h.store.publish(sampleModelState(1), { version: 'good' });
      await h.store.activate('good');
      await h.store.publish(sampleModelState(2), { version: 'bad' });
      await h.rewrite('bad', 'blobs/itemFactors.bin', change);
      const failure = h.store.load('bad');
      await expect(failure).rejects.toThrow(why);
      await expect(failure).rejects.toMatchObject({ code: 'corrupt' });
      await expect(h.store.activate('bad')).rejects.toThrow(why);
      expect(await h.store.activeVersion()).toBe('good');
      expect((await h.store.loadActive())?.state.params).toEqual({ factors: 2, seed: 1 });
    });

    it('refuses a version whose manifest was altered', async () => {
      await h.store.publish(sampleModelState(1), { version: 'v1' });
      await h.rewrite('v1', 'manifest.json', (b) => b.subarray(0, 20));
      await expect(h.store.load('v1')).rejects.toThrow(/manifest\.json is not valid JSON/);
    });

    it.each(beforeCommit.map((s) => [s]))(
      'a crash after "%s" leaves no visible version and the active one unchanged',
      async (step) => {
        await h.store.publish(sampleModelState(1), { version: 'v1' });
        await h.store.activate('v1');
        const crashing = h.crashingAt(step);
        await expect(crashing.publish(sampleModelState(2), { version: 'v2' })).rejects.toThrow(`crash after ${step}`);
        expect((await h.store.list()).map((a) => a.version)).toEqual(['v1']);
        await expect(h.store.load('v2')).rejects.toMatchObject({ code: 'not-found' });
        expect(await h.store.activeVersion()).toBe('v1');
        expect(Array.from((await h.store.load('v1')).state.blobs['weights'])).toEqual([Math.PI, -1]);
        // The name is still free: a retry publishes normally.
        await h.store.publish(sampleModelState(2), { version: 'v2' });
        expect((await h.store.load('v2')).state.params).toEqual({ factors: 2, seed: 2 });
      },
    );

    if (afterCommit.length > 0) {
      it.each(afterCommit.map((s) => [s]))(
        'a crash after "%s" (past the commit) leaves the new version whole, published and inactive',
        async (step) => {
          await h.store.publish(sampleModelState(1), { version: 'v1' });
          await h.store.activate('v1');
          await expect(h.crashingAt(step).publish(sampleModelState(2), { version: 'v2' })).rejects.toThrow(
            `crash after ${step}`,
          );
          expect((await h.store.list()).map((a) => a.version).sort()).toEqual(['v1', 'v2']);
          expect((await h.store.load('v2')).state.params).toEqual({ factors: 2, seed: 2 });
          expect(await h.store.activeVersion()).toBe('v1');
          // A retry learns the version is already there.
          await expect(h.store.publish(sampleModelState(2), { version: 'v2' })).rejects.toMatchObject({
            code: 'exists',
          });
        },
      );
    }
  });
}

/** The access key pair s3rver accepts (its built-in dummy account). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverServer;

/** A real S3-compatible server (s3rver) on a free loopback port, storing objects in a temporary directory. */
export interface LocalS3 {
  /** `http://127.0.0.1:<port>`: give it as `endpoint` (path-style addressing). */
  endpoint: string;
  /** An empty bucket created at start. */
  bucket: string;
  /** A client of this server, for tests that write or read objects behind a store's back. */
  client: S3Client;
  close(): Promise<void>;
}

export async function startLocalS3(bucket = 'encore-test'): Promise<LocalS3> {
  // s3rver ships no type declarations; the two members used are typed above.
  const S3rver = require('s3rver') as S3rverConstructor;
  const directory = mkdtempSync(join(tmpdir(), 'encore-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials: S3RVER_CREDENTIALS });
  return {
    endpoint,
    bucket,
    client,
    close: async () => {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Replaces an object's bytes (simulated corruption behind a store's back). */
export async function rewriteS3Object(
  s3: LocalS3,
  key: string,
  change: (bytes: Uint8Array) => Uint8Array,
): Promise<void> {
  const out = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  const bytes = await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
  await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: change(bytes) }));
}
