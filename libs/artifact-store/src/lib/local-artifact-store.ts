import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  MANIFEST_FILE,
  decodeArtifact,
  encodeArtifact,
  parseArtifactManifest,
  type ArtifactManifest,
  type ModelState,
} from '@encore/model-artifact';
import {
  ArtifactStore,
  ArtifactStoreError,
  assertVersionName,
  compareNewestFirst,
  generateVersionName,
  type LoadedArtifact,
  type LocalArtifactStoreLocation,
  type PublishInfo,
  type PublishStep,
  type StoredArtifact,
} from './artifact-store';

/** The file naming the active version (one line). */
export const ACTIVE_FILE = 'ACTIVE';
/** Prefix of in-progress publish directories; never listed, so a crash leaves nothing visible. */
export const TEMP_PREFIX = '.tmp-';

/**
 * Models in a local directory, one subdirectory per version:
 *
 *   <root>/ACTIVE                       the active version's name
 *   <root>/<version>/manifest.json      kind, params, metrics, blob checksums
 *   <root>/<version>/blobs/<name>.bin   little-endian typed arrays
 *
 * Publishing writes a version into `<root>/.tmp-<random>/`, fsyncs every file and directory, then
 * renames it to `<root>/<version>` in one step: a reader sees the whole version or none of it,
 * and a crash at any point leaves the published versions and ACTIVE as they were (plus, at worst,
 * a hidden temp directory). ACTIVE is replaced the same way (write a temp file, fsync, rename).
 * Loading re-verifies every blob's length and SHA-256 against the manifest.
 */
export class LocalArtifactStore extends ArtifactStore {
  readonly location: LocalArtifactStoreLocation;

  constructor(readonly rootDir: string) {
    super();
    this.location = { kind: 'local', dir: rootDir };
  }

  async publish(state: ModelState, info: PublishInfo = {}): Promise<StoredArtifact> {
    const createdAt = info.createdAt ?? new Date().toISOString();
    const version = info.version ?? generateVersionName(new Date(createdAt), randomBytes(3).toString('hex'));
    assertVersionName(version);
    // Encoding validates the state and info before anything touches the disk.
    const { files, manifest } = encodeArtifact(state, {
      createdAt,
      version,
      metrics: info.metrics,
      trainingFingerprint: info.trainingFingerprint,
    });
    await mkdir(this.rootDir, { recursive: true });
    const target = join(this.rootDir, version);
    if (await exists(target)) throw alreadyPublished(version, this.rootDir);
    const temp = await mkdtemp(join(this.rootDir, TEMP_PREFIX));
    try {
      await mkdir(join(temp, 'blobs'));
      for (const name of Object.keys(files).sort()) {
        if (name === MANIFEST_FILE) continue;
        await writeDurably(join(temp, name), files[name]);
        await this.reached('blob-written');
      }
      await syncDirectory(join(temp, 'blobs'));
      await writeDurably(join(temp, MANIFEST_FILE), files[MANIFEST_FILE]);
      await this.reached('manifest-written');
      await syncDirectory(temp);
      await this.reached('before-commit');
      try {
        await rename(temp, target);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // Another publisher took the name between our check and the rename.
        if (code === 'ENOTEMPTY' || code === 'EEXIST') throw alreadyPublished(version, this.rootDir);
        throw error;
      }
      await syncDirectory(this.rootDir);
    } catch (error) {
      await rm(temp, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    }
    return { version, manifest };
  }

  async load(version: string): Promise<LoadedArtifact> {
    assertVersionName(version);
    const dir = join(this.rootDir, version);
    if (!(await exists(dir))) {
      const known = (await this.list()).map((a) => a.version);
      throw new ArtifactStoreError(
        'not-found',
        `no model version "${version}" in ${this.rootDir} (${known.length > 0 ? `versions: ${known.join(', ')}` : 'the store is empty'})`,
      );
    }
    const loaded = await readArtifactDirectory(dir);
    return { ...loaded, version };
  }

  async list(): Promise<StoredArtifact[]> {
    let entries;
    try {
      entries = await readdir(this.rootDir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const out: StoredArtifact[] = [];
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      let manifest: ArtifactManifest;
      try {
        manifest = parseArtifactManifest(await readFile(join(this.rootDir, entry.name, MANIFEST_FILE)));
      } catch {
        // Not a published version (a publish always renames a directory that has its manifest).
        continue;
      }
      out.push({ version: entry.name, manifest });
    }
    return out.sort(compareNewestFirst);
  }

  async activeVersion(): Promise<string | null> {
    let text: string;
    try {
      text = await readFile(join(this.rootDir, ACTIVE_FILE), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const version = text.trim();
    try {
      assertVersionName(version);
    } catch {
      throw new ArtifactStoreError(
        'corrupt',
        `${join(this.rootDir, ACTIVE_FILE)} does not hold a version name: ${JSON.stringify(text.slice(0, 80))}`,
      );
    }
    return version;
  }

  async activate(version: string): Promise<void> {
    await this.load(version);
    const temp = join(this.rootDir, `${TEMP_PREFIX}${ACTIVE_FILE}-${randomBytes(6).toString('hex')}`);
    try {
      await writeDurably(temp, new TextEncoder().encode(version + '\n'));
      await rename(temp, join(this.rootDir, ACTIVE_FILE));
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
    await syncDirectory(this.rootDir);
  }

  /** Called after each publish step; a no-op here. Tests override it to simulate a crash at that point. */
  protected async reached(_step: PublishStep): Promise<void> {
    return;
  }
}

/**
 * Reads one version directory (`manifest.json` + `blobs/`) and verifies it; errors are
 * ArtifactStoreErrors ('not-found' or 'corrupt') naming the directory and the offending file.
 */
export async function readArtifactDirectory(dir: string): Promise<{ state: ModelState; manifest: ArtifactManifest }> {
  const corrupt = (detail: string): ArtifactStoreError =>
    new ArtifactStoreError('corrupt', `model artifact ${dir} is unusable: ${detail}`);
  let manifestBytes: Uint8Array;
  try {
    manifestBytes = await readFile(join(dir, MANIFEST_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (!(await exists(dir)))
      throw new ArtifactStoreError('not-found', `model artifact directory ${dir} does not exist`);
    throw corrupt(`${MANIFEST_FILE} is missing`);
  }
  let manifest: ArtifactManifest;
  try {
    manifest = parseArtifactManifest(manifestBytes);
  } catch (error) {
    throw corrupt((error as Error).message);
  }
  const files: Record<string, Uint8Array> = { [MANIFEST_FILE]: manifestBytes };
  for (const entry of Object.values(manifest.blobs)) {
    try {
      files[entry.file] = await readFile(join(dir, entry.file));
    } catch (error) {
      // decodeArtifact names a missing blob file.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  try {
    return decodeArtifact(files);
  } catch (error) {
    throw corrupt((error as Error).message);
  }
}

function alreadyPublished(version: string, root: string): ArtifactStoreError {
  return new ArtifactStoreError(
    'exists',
    `model version "${version}" already exists in ${root}; versions are immutable`,
  );
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a directory's entries (created, renamed files) durable; not supported on every platform. */
async function syncDirectory(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw error;
  } finally {
    await handle?.close();
  }
}
