import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { EXPORT_FILES, readExportDirectory } from './export-directory';
import { INTERACTIONS_SCHEMA, ITEMS_SCHEMA } from './personalize-schemas';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'encore-personalize-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

async function text(body: Readable | Uint8Array): Promise<string> {
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  let out = '';
  for await (const chunk of body) out += String(chunk);
  return out;
}

describe('readExportDirectory', () => {
  const interactions = 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE\nu1,s1,1,play,1\n';

  it('reads the datasets present, with size, SHA-256, schema text and a fresh body per call', async () => {
    const d = dir({
      [EXPORT_FILES.INTERACTIONS.csv]: interactions,
      [EXPORT_FILES.INTERACTIONS.schema]: JSON.stringify(INTERACTIONS_SCHEMA),
      [EXPORT_FILES.ITEMS.csv]: 'ITEM_ID\ns1\n',
      [EXPORT_FILES.ITEMS.schema]: JSON.stringify(ITEMS_SCHEMA),
      // users.csv without its schema is not a dataset
      [EXPORT_FILES.USERS.csv]: 'USER_ID,TOP_GENRES\nu1,rock\n',
    });
    const uploads = await readExportDirectory(d);
    expect(uploads.map((u) => [u.type, u.fileName])).toEqual([
      ['INTERACTIONS', 'interactions.csv'],
      ['ITEMS', 'items.csv'],
    ]);
    const [first] = uploads;
    expect(first.size).toBe(Buffer.byteLength(interactions));
    expect(first.sha256).toBe(createHash('sha256').update(interactions).digest('hex'));
    expect(JSON.parse(first.schema)).toEqual(INTERACTIONS_SCHEMA);
    expect(await text(first.body())).toBe(interactions);
    expect(await text(first.body())).toBe(interactions);
  });

  it('requires the interactions and says how to make them', async () => {
    const d = dir({ [EXPORT_FILES.INTERACTIONS.schema]: JSON.stringify(INTERACTIONS_SCHEMA) });
    await expect(readExportDirectory(d)).rejects.toThrow(
      `${d} has no interactions.csv: run "encore personalize export --out ${d}" first`,
    );
  });

  it('names a schema file that is not JSON', async () => {
    const d = dir({ [EXPORT_FILES.INTERACTIONS.csv]: interactions, [EXPORT_FILES.INTERACTIONS.schema]: '{' });
    await expect(readExportDirectory(d)).rejects.toThrow(`${join(d, 'interactions.schema.json')} is not valid JSON`);
  });
});
