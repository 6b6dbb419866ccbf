import { findWorkspaceRoot } from '../../workspace';
import { runBenchCases } from '../run-bench';
import { soak } from './soak';

// The real soak case for three seconds against the built API (built first if dist/apps/api is missing).
describe('soak case (built API over loopback)', () => {
  it('sends the paced mix without errors and finds every acknowledged feedback event in the store', async () => {
    const [result] = await runBenchCases([soak], {
      dataDir: '/nonexistent',
      workerScript: '',
      workspaceRoot: findWorkspaceRoot(__dirname),
      soakMinutes: 0.05,
      soakRate: 20,
    });
    expect(result.message).toBeUndefined();
    expect(result).toMatchObject({ id: 'soak', status: 'ok', items: 60, errors: 0 });
    const [byKind, server] = result.tables ?? [];
    expect(byKind.rows.map((r) => r['requests'])).toEqual([
      'songs-list',
      'songs-search',
      'song-detail',
      'similar',
      'recommendations',
      'feedback',
      'all',
    ]);
    expect(byKind.rows.at(-1)).toMatchObject({ count: 60, errors: 0 });
    const row = server.rows[0];
    expect(row['feedback acknowledged']).toBeGreaterThan(0);
    expect(row['found in store']).toBe(row['feedback acknowledged']);
    expect(row['missing']).toBe(0);
    for (const key of ['RSS start MB', 'RSS middle MB', 'RSS end MB']) expect(row[key]).toBeGreaterThan(50);
  }, 300_000);
});
