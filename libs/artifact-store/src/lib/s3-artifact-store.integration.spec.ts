import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  describeArtifactStoreContract,
  rewriteS3Object,
  S3RVER_CREDENTIALS,
  sampleModelState,
  startLocalS3,
  type LocalS3,
} from '../testing';
import type { PublishStep } from './artifact-store';
import { openArtifactStore } from './open-artifact-store';
import { S3ArtifactStore, type S3ArtifactStoreOptions } from './s3-artifact-store';

/** Throws right after one publish step, as a process dying there would stop. */
class CrashingS3Store extends S3ArtifactStore {
  constructor(
    options: S3ArtifactStoreOptions,
    private readonly step: PublishStep,
  ) {
    super(options);
  }

  protected override async reached(step: PublishStep): Promise<void> {
    if (step === this.step) throw new Error(`crash after ${step}`);
  }
}

// One s3rver for the file; every test gets its own prefix, so it starts from an empty store.
let s3: LocalS3;
let run = 0;
beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(async () => {
  await s3.close();
});

const optionsFor = (prefix: string): S3ArtifactStoreOptions => ({
  bucket: s3.bucket,
  prefix,
  endpoint: s3.endpoint,
  credentials: S3RVER_CREDENTIALS,
});

describeArtifactStoreContract(
  'S3ArtifactStore (s3rver)',
  async () => {
    const options = optionsFor(`contract-${++run}/models`);
    const store = new S3ArtifactStore(options);
    return {
      store,
      rewrite: (version, file, change) => rewriteS3Object(s3, `${store.prefix}${version}/${file}`, change),
      crashingAt: (step) => new CrashingS3Store(options, step),
    };
  },
  // The manifest write is S3's commit (no rename): a crash after it leaves a published version.
  { stepsAfterCommit: ['manifest-written'] },
);

describe('S3ArtifactStore on s3rver', () => {
  let options: S3ArtifactStoreOptions;
  beforeEach(() => {
    options = optionsFor(`own-${++run}/`);
  });

  const keys = async (prefix: string) =>
    ((await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }))).Contents ?? [])
      .map((o) => (o.Key as string).slice(prefix.length))
      .sort();

  it('lays a version out as <prefix><version>/{manifest.json,blobs/*.bin} and the pointer as active.json', async () => {
    const store = new S3ArtifactStore(options);
    await store.publish(sampleModelState(1), { version: 'v1' });
    await store.activate('v1');
    expect(await keys(store.prefix)).toEqual([
      'active.json',
      'v1/blobs/itemFactors.bin',
      'v1/blobs/rowPtr.bin',
      'v1/blobs/weights.bin',
      'v1/manifest.json',
    ]);
    expect(store.url).toBe(`s3://${s3.bucket}/${store.prefix}`);
  });

  it('ignores what a killed publisher leaves (blobs without a manifest) and lets a retry publish the name', async () => {
    const store = new S3ArtifactStore(options);
    await store.publish(sampleModelState(1), { version: 'v1' });
    // A process killed between blob uploads cleans nothing up.
    await s3.client.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: `${store.prefix}v2/blobs/itemFactors.bin`, Body: 'half' }),
    );
    expect((await store.list()).map((a) => a.version)).toEqual(['v1']);
    await expect(store.load('v2')).rejects.toThrow(
      /no model version "v2" in s3:\/\/encore-test\/own-\d+\/ \(versions: v1\)/,
    );
    await expect(store.activate('v2')).rejects.toMatchObject({ code: 'not-found' });
    await store.publish(sampleModelState(2), { version: 'v2' });
    expect(Array.from((await store.load('v2')).state.blobs['rowPtr'])).toEqual([0, 2, 3, 5]);
  });

  it('removes the blobs of a publish that failed before its manifest', async () => {
    const store = new CrashingS3Store(options, 'before-commit');
    await expect(store.publish(sampleModelState(1), { version: 'v1' })).rejects.toThrow('crash after before-commit');
    expect(await keys(store.prefix)).toEqual([]);
  });

  it('reports an active.json that does not name a version as corrupt', async () => {
    const store = new S3ArtifactStore(options);
    await s3.client.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: `${store.prefix}active.json`, Body: '{"version":"../x"}' }),
    );
    await expect(store.activeVersion()).rejects.toThrow(/active\.json does not hold a version name/);
  });

  it('is what openArtifactStore opens from its location, and another instance sees its activations', async () => {
    const store = new S3ArtifactStore(options);
    await store.publish(sampleModelState(3), { version: 'v1' });
    // What a worker thread or another replica does: the same location, its own client (credentials from the chain).
    expect(store.location).toEqual({ kind: 's3', bucket: s3.bucket, prefix: options.prefix, endpoint: s3.endpoint });
    const replica = new S3ArtifactStore({ ...store.location, credentials: S3RVER_CREDENTIALS });
    await replica.activate('v1');
    expect(await store.activeVersion()).toBe('v1');
    expect(openArtifactStore(store.location)).toBeInstanceOf(S3ArtifactStore);
  });

  it('names a missing bucket in its errors', async () => {
    const store = new S3ArtifactStore({ ...options, bucket: 'no-such-bucket' });
    await expect(store.list()).rejects.toThrow('cannot list s3://no-such-bucket/own-');
    await expect(store.list()).rejects.toThrow('bucket "no-such-bucket" does not exist');
    await expect(store.publish(sampleModelState(1))).rejects.toThrow('bucket "no-such-bucket" does not exist');
  });
});
