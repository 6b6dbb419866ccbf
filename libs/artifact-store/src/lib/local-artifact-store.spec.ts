import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeArtifactStoreContract, sampleModelState } from '../testing';
import type { PublishStep } from './artifact-store';
import { LocalArtifactStore, readArtifactDirectory } from './local-artifact-store';

const tempRoot = () => mkdtempSync(join(tmpdir(), 'encore-artifacts-'));

/** Throws right after one publish step, as a process dying there would stop. */
class CrashingStore extends LocalArtifactStore {
  constructor(
    root: string,
    private readonly step: PublishStep,
  ) {
    super(root);
  }

  protected override async reached(step: PublishStep): Promise<void> {
    if (step === this.step) throw new Error(`crash after ${step}`);
  }
}

describeArtifactStoreContract('LocalArtifactStore', async () => {
  const root = tempRoot();
  return {
    store: new LocalArtifactStore(root),
    rewrite: async (version, file, change) => {
      const path = join(root, version, file);
      writeFileSync(path, change(new Uint8Array(readFileSync(path))));
    },
    crashingAt: (step) => new CrashingStore(root, step),
    cleanup: async () => rmSync(root, { recursive: true, force: true }),
  };
});

describe('LocalArtifactStore on disk', () => {
  let root: string;
  beforeEach(() => (root = tempRoot()));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('lays a version out as <root>/<version>/{manifest.json,blobs/*.bin} and ACTIVE as one line', async () => {
    const store = new LocalArtifactStore(join(root, 'models')); // created on first publish
    await store.publish(sampleModelState(1), { version: 'v1' });
    await store.activate('v1');
    expect(readdirSync(join(root, 'models')).sort()).toEqual(['ACTIVE', 'v1']);
    expect(readdirSync(join(root, 'models/v1')).sort()).toEqual(['blobs', 'manifest.json']);
    expect(readdirSync(join(root, 'models/v1/blobs')).sort()).toEqual(['itemFactors.bin', 'rowPtr.bin', 'weights.bin']);
    expect(readFileSync(join(root, 'models/ACTIVE'), 'utf8')).toBe('v1\n');
  });

  it('leaves no temp directory behind after a failed publish', async () => {
    const store = new CrashingStore(root, 'manifest-written');
    await expect(store.publish(sampleModelState(1), { version: 'v1' })).rejects.toThrow('crash after manifest-written');
    expect(readdirSync(root)).toEqual([]);
  });

  it('ignores what a killed publisher leaves (a .tmp- directory) and foreign directories', async () => {
    const store = new LocalArtifactStore(root);
    await store.publish(sampleModelState(1), { version: 'v1' });
    mkdirSync(join(root, '.tmp-abc123/blobs'), { recursive: true });
    writeFileSync(join(root, '.tmp-abc123/blobs/itemFactors.bin'), 'half');
    mkdirSync(join(root, 'notes'));
    expect((await store.list()).map((a) => a.version)).toEqual(['v1']);
  });

  it('validates the state before touching the disk', async () => {
    const store = new LocalArtifactStore(join(root, 'never'));
    await expect(store.publish({ ...sampleModelState(1), kind: '' })).rejects.toThrow('model state has no kind');
    expect(readdirSync(root)).toEqual([]);
  });

  it('reports an ACTIVE file that does not hold a version name as corrupt', async () => {
    writeFileSync(join(root, 'ACTIVE'), '../../etc\n');
    await expect(new LocalArtifactStore(root).activeVersion()).rejects.toThrow(/ACTIVE does not hold a version name/);
  });

  it('reads a version directory on its own, naming a missing blob file', async () => {
    const store = new LocalArtifactStore(root);
    await store.publish(sampleModelState(2), { version: 'v1' });
    const { state, manifest } = await readArtifactDirectory(join(root, 'v1'));
    expect(manifest.version).toBe('v1');
    expect(Array.from(state.blobs['rowPtr'])).toEqual([0, 2, 3, 5]);
    rmSync(join(root, 'v1/blobs/rowPtr.bin'));
    await expect(readArtifactDirectory(join(root, 'v1'))).rejects.toThrow(
      `model artifact ${join(root, 'v1')} is unusable: blobs/rowPtr.bin (blob "rowPtr") is missing from the artifact`,
    );
    await expect(readArtifactDirectory(join(root, 'nope'))).rejects.toMatchObject({ code: 'not-found' });
    mkdirSync(join(root, 'empty'));
    await expect(readArtifactDirectory(join(root, 'empty'))).rejects.toThrow(/manifest\.json is missing/);
  });
});
