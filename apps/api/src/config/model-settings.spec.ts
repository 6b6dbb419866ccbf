import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, validateEnvironment } from './environment';

describe('model settings', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'encore-model-env-'));
    writeFileSync(join(root, 'catalog.csv'), 'track_id\n');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const validate = (raw: Record<string, string>) =>
    validateEnvironment({ CATALOG_PATH: 'catalog.csv', ...raw }, { cwd: root });

  it('keeps models under ENCORE_DATA_DIR and polls ACTIVE every 30 s by default', () => {
    expect(validate({})).toMatchObject({ ARTIFACT_DIR: join(root, 'var', 'models'), MODEL_POLL_SECONDS: 30 });
    expect(validate({ ENCORE_DATA_DIR: '/srv/encore' }).ARTIFACT_DIR).toBe('/srv/encore/models');
  });

  it('resolves ARTIFACT_DIR against the working directory and reads MODEL_POLL_SECONDS (0 turns polling off)', () => {
    expect(validate({ ARTIFACT_DIR: 'shared/models', MODEL_POLL_SECONDS: '0' })).toMatchObject({
      ARTIFACT_DIR: join(root, 'shared/models'),
      MODEL_POLL_SECONDS: 0,
    });
    expect(validate({ ARTIFACT_DIR: '/mnt/models' }).ARTIFACT_DIR).toBe('/mnt/models');
  });

  it.each(['-1', '86401', '1.5', 'often'])('rejects MODEL_POLL_SECONDS=%s', (value) => {
    expect(() => validate({ MODEL_POLL_SECONDS: value })).toThrow(ConfigurationError);
    try {
      validate({ MODEL_POLL_SECONDS: value });
    } catch (error) {
      expect((error as ConfigurationError).problems).toEqual([
        `MODEL_POLL_SECONDS must be an integer between 0 and 86400 (got ${JSON.stringify(/^-?\d+$/.test(value) ? Number(value) : value)})`,
      ]);
    }
  });
});
