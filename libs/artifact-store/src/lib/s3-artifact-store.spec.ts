import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type ListObjectsV2CommandInput,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { sampleModelState } from '../testing';
import { normalizeS3Prefix, S3ArtifactStore } from './s3-artifact-store';
import { parseS3Url } from './open-artifact-store';

const s3 = mockClient(S3Client);

/** An SDK-shaped service error (what the client throws for an HTTP error answer). */
function serviceError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} happened`), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

/** A bucket in a Map behind the mocked client: enough S3 (keys, prefixes, delimiters) for the store. */
function fakeBucket(): Map<string, Uint8Array> {
  const objects = new Map<string, Uint8Array>();
  s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
    if (input.IfNoneMatch === '*' && objects.has(input.Key as string)) throw serviceError('PreconditionFailed', 412);
    objects.set(input.Key as string, (input.Body as Uint8Array).slice());
    return {};
  });
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const bytes = objects.get(input.Key);
    if (!bytes) throw serviceError('NoSuchKey', 404);
    return { Body: { transformToByteArray: async () => bytes.slice() } };
  });
  s3.on(HeadObjectCommand).callsFake((input: { Key: string }) => {
    if (!objects.has(input.Key)) throw serviceError('NotFound', 404);
    return {};
  });
  s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
    const prefix = input.Prefix ?? '';
    const common = new Set<string>();
    for (const key of objects.keys()) {
      if (!key.startsWith(prefix)) continue;
      const slash = key.indexOf('/', prefix.length);
      if (slash >= 0) common.add(key.slice(0, slash + 1));
    }
    return { CommonPrefixes: [...common].sort().map((Prefix) => ({ Prefix })), IsTruncated: false };
  });
  s3.on(DeleteObjectsCommand).callsFake((input: { Delete: { Objects: { Key: string }[] } }) => {
    for (const { Key } of input.Delete.Objects) objects.delete(Key);
    return {};
  });
  return objects;
}

const puts = () => s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
const store = (extra: Partial<ConstructorParameters<typeof S3ArtifactStore>[0]> = {}) =>
  new S3ArtifactStore({ bucket: 'models-bucket', region: 'eu-west-1', ...extra });

describe('S3ArtifactStore (mocked SDK)', () => {
  beforeEach(() => s3.reset());

  it('asks for SSE-S3 (AES256) on every object it writes when no KMS key is configured', async () => {
    fakeBucket();
    const s = store();
    await s.publish(sampleModelState(1), { version: 'v1' });
    await s.activate('v1');
    expect(puts().map((p) => p.Key)).toEqual([
      'models/v1/blobs/itemFactors.bin',
      'models/v1/blobs/rowPtr.bin',
      'models/v1/blobs/weights.bin',
      'models/v1/manifest.json',
      'models/active.json',
    ]);
    for (const put of puts()) {
      expect(put.ServerSideEncryption).toBe('AES256');
      expect(put.SSEKMSKeyId).toBeUndefined();
    }
  });

  it('asks for SSE-KMS with the configured key on every object it writes', async () => {
    fakeBucket();
    const s = store({ kmsKeyId: 'alias/encore-models' });
    await s.publish(sampleModelState(1), { version: 'v1' });
    await s.activate('v1');
    expect(puts()).toHaveLength(5);
    for (const put of puts())
      expect(put).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/encore-models' });
  });

  it('checks the name is free, uploads every blob, and writes the manifest last and only if absent', async () => {
    fakeBucket();
    await store({ prefix: 'team/encore' }).publish(sampleModelState(1), { version: 'v1' });
    const calls = s3.calls().map((c) => {
      const input = c.args[0].input as { Key?: string; IfNoneMatch?: string };
      return `${c.args[0].constructor.name} ${input.Key}${input.IfNoneMatch ? ` if-none-match ${input.IfNoneMatch}` : ''}`;
    });
    expect(calls).toEqual([
      'HeadObjectCommand team/encore/v1/manifest.json',
      'PutObjectCommand team/encore/v1/blobs/itemFactors.bin',
      'PutObjectCommand team/encore/v1/blobs/rowPtr.bin',
      'PutObjectCommand team/encore/v1/blobs/weights.bin',
      'PutObjectCommand team/encore/v1/manifest.json if-none-match *',
    ]);
    expect(puts().map((p) => p.ContentType)).toEqual([
      'application/octet-stream',
      'application/octet-stream',
      'application/octet-stream',
      'application/json',
    ]);
  });

  it('leaves no manifest and the active version as it was when a blob upload fails', async () => {
    const objects = fakeBucket();
    const s = store();
    await s.publish(sampleModelState(1), { version: 'v1' });
    await s.activate('v1');
    const activeBefore = objects.get('models/active.json');
    s3.on(PutObjectCommand, { Key: 'models/v2/blobs/rowPtr.bin' }).rejects(serviceError('InternalError', 500));
    await expect(s.publish(sampleModelState(2), { version: 'v2' })).rejects.toThrow(
      'cannot write s3://models-bucket/models/v2/blobs/rowPtr.bin: InternalError: InternalError happened',
    );
    expect(puts().map((p) => p.Key)).not.toContain('models/v2/manifest.json');
    // The blob that did upload is removed again; nothing of v2 remains.
    expect(s3.commandCalls(DeleteObjectsCommand)[0].args[0].input.Delete?.Objects).toEqual([
      { Key: 'models/v2/blobs/itemFactors.bin' },
    ]);
    expect([...objects.keys()].filter((k) => k.startsWith('models/v2/'))).toEqual([]);
    expect(objects.get('models/active.json')).toEqual(activeBefore);
    expect(await s.activeVersion()).toBe('v1');
    expect((await s.list()).map((a) => a.version)).toEqual(['v1']);
    await expect(s.load('v2')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses a tampered blob on load and activation, naming the object and the checksum', async () => {
    const objects = fakeBucket();
    const s = store();
    await s.publish(sampleModelState(1), { version: 'v1' });
    await s.activate('v1');
    await s.publish(sampleModelState(2), { version: 'v2' });
    const victim = objects.get('models/v2/blobs/weights.bin') as Uint8Array;
    victim[0] ^= 0x01;
    const failure = s.load('v2');
    await expect(failure).rejects.toMatchObject({ code: 'corrupt' });
    await expect(failure).rejects.toThrow(
      /^model artifact s3:\/\/models-bucket\/models\/v2 is unusable: blobs\/weights\.bin has sha256 [0-9a-f]{64} but the manifest says [0-9a-f]{64}/,
    );
    await expect(s.activate('v2')).rejects.toMatchObject({ code: 'corrupt' });
    expect(await s.activeVersion()).toBe('v1');
  });

  it('follows ListObjectsV2 continuation tokens and lists only versions that have a manifest', async () => {
    const objects = fakeBucket();
    const s = store();
    for (const [version, day] of [
      ['a', '01'],
      ['b', '02'],
      ['c', '03'],
    ])
      await s.publish(sampleModelState(1), { version, createdAt: `2026-11-${day}T00:00:00.000Z` });
    objects.set('models/orphan/blobs/itemFactors.bin', new Uint8Array(4));
    s3.on(ListObjectsV2Command)
      .resolvesOnce({
        CommonPrefixes: [{ Prefix: 'models/a/' }, { Prefix: 'models/orphan/' }],
        IsTruncated: true,
        NextContinuationToken: 'page-2',
      })
      .resolvesOnce({ CommonPrefixes: [{ Prefix: 'models/b/' }], IsTruncated: true, NextContinuationToken: 'page-3' })
      .resolvesOnce({ CommonPrefixes: [{ Prefix: 'models/c/' }, { Prefix: 'models/.tmp/' }], IsTruncated: false });
    expect((await s.list()).map((a) => a.version)).toEqual(['c', 'b', 'a']);
    expect(s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'models-bucket', Prefix: 'models/', Delimiter: '/', ContinuationToken: undefined },
      { Bucket: 'models-bucket', Prefix: 'models/', Delimiter: '/', ContinuationToken: 'page-2' },
      { Bucket: 'models-bucket', Prefix: 'models/', Delimiter: '/', ContinuationToken: 'page-3' },
    ]);
  });

  it('reports a name taken by a publisher that committed first (412 on the manifest) as "exists"', async () => {
    fakeBucket();
    s3.on(PutObjectCommand, { Key: 'models/v1/manifest.json' }).rejects(serviceError('PreconditionFailed', 412));
    await expect(store().publish(sampleModelState(1), { version: 'v1' })).rejects.toMatchObject({
      code: 'exists',
      message: 'model version "v1" already exists in s3://models-bucket/models/; versions are immutable',
    });
    // Its blobs may be the winner's now: never deleted.
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
  });

  it('treats a missing active.json as "nothing active" and other read failures as errors naming the key', async () => {
    fakeBucket();
    expect(await store().activeVersion()).toBeNull();
    s3.on(GetObjectCommand).rejects(serviceError('AccessDenied', 403));
    await expect(store().activeVersion()).rejects.toThrow(
      'cannot read s3://models-bucket/models/active.json: AccessDenied: AccessDenied happened',
    );
  });

  it('says which variable is missing when the SDK finds no region', async () => {
    s3.on(ListObjectsV2Command).rejects(new Error('Region is missing'));
    await expect(store().list()).rejects.toThrow(
      'cannot list s3://models-bucket/models/: no AWS region (set AWS_REGION)',
    );
  });

  it('validates the state before uploading anything', async () => {
    fakeBucket();
    await expect(store().publish({ ...sampleModelState(1), kind: '' })).rejects.toThrow('model state has no kind');
    expect(s3.calls()).toHaveLength(0);
  });
});

describe('S3 locations', () => {
  it('normalises key prefixes to end in one "/" (or be empty: the bucket root)', () => {
    expect(normalizeS3Prefix('models')).toBe('models/');
    expect(normalizeS3Prefix('/a/b/')).toBe('a/b/');
    expect(normalizeS3Prefix('')).toBe('');
  });

  it('parses s3:// URLs and refuses bad bucket names and prefixes', () => {
    expect(parseS3Url('s3://encore-models/prod/models')).toEqual({ bucket: 'encore-models', prefix: 'prod/models/' });
    expect(parseS3Url('s3://encore-models')).toEqual({ bucket: 'encore-models', prefix: '' });
    expect(parseS3Url('./models')).toBeNull();
    expect(() => parseS3Url('s3://Bad_Bucket/x')).toThrow('"Bad_Bucket" is not an S3 bucket name');
    expect(() => parseS3Url('s3://ok-bucket/a/../b')).toThrow('the key prefix has an empty, "." or ".." part');
  });
});
