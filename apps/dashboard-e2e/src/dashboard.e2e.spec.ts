import type { GenreDto, Page as SongPage, SongDto } from '@encore/api-contract';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type RunningApi, startApi } from './support/api-server';
import { launchChromium, screenshotPath } from './support/browser';

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} → ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('dashboard against the real API', () => {
  let api: RunningApi;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let song: SongDto;
  let genre: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    api = await startApi();
    // Pick the data at runtime so the suite follows whatever sample catalog the API embeds.
    const first = await getJson<SongPage<SongDto>>(`${api.baseUrl}/v1/songs?limit=1&sort=popularity`);
    if (first.items.length === 0) throw new Error('the API catalog is empty');
    song = first.items[0];
    const genres = await getJson<GenreDto[]>(`${api.baseUrl}/v1/genres`);
    genre = song.genres.find((g) => genres.some((d) => d.name === g)) ?? genres[0].name;

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await api?.stop();
  });

  it('lists songs on the home page, with the catalog size in the header', async () => {
    await page.goto(`${api.baseUrl}/`);

    await page.getByRole('heading', { level: 1, name: 'Browse songs' }).waitFor();
    await page.locator('.song-table tbody tr').first().waitFor();
    expect(await page.locator('.song-table tbody tr').count()).toBeGreaterThan(0);
    await expectVisible(page.getByRole('link', { name: 'Encore home' }));
    const health = await getJson<{ catalog: { songs: number } }>(`${api.baseUrl}/health`);
    await page.getByText(`${health.catalog.songs.toLocaleString('en-US')} songs`, { exact: true }).waitFor();
    await page.getByText(/^Page 1 of \d/).waitFor();

    await page.screenshot({ path: screenshotPath('01-song-list'), fullPage: true });
  });

  it('finds a song by its name', async () => {
    await page.getByRole('searchbox', { name: 'Search songs' }).fill(song.name);

    await page.waitForURL((url) => url.searchParams.get('q') === song.name);
    await page.getByRole('link', { name: song.name, exact: true }).first().waitFor();

    await page.screenshot({ path: screenshotPath('02-search'), fullPage: true });
  });

  it('filters by a genre', async () => {
    await page.getByRole('button', { name: 'Genres' }).click();
    await page.getByRole('searchbox', { name: 'Find a genre' }).fill(genre);
    await page.getByRole('checkbox', { name: new RegExp(`^${escapeRegExp(genre)}\\b`) }).check();

    await page.waitForURL((url) => url.searchParams.getAll('genre').includes(genre));
    await expectVisible(page.getByRole('button', { name: `Remove genre ${genre}` }));
    await page.screenshot({ path: screenshotPath('03-genre-panel'), fullPage: true });

    // The song carries the genre and matches the search, so it must survive the filter.
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: song.name, exact: true }).first().waitFor();

    // Without the search, the list is the genre's most popular songs, exactly as the API ranks them.
    await page.getByRole('searchbox', { name: 'Search songs' }).fill('');
    await page.waitForURL((url) => !url.searchParams.has('q'));
    const expected = await getJson<SongPage<SongDto>>(
      `${api.baseUrl}/v1/songs?genre=${encodeURIComponent(genre)}&sort=popularity&page=1&limit=20`,
    );
    await page.waitForFunction(
      (name) => document.querySelector('.song-table tbody tr .song-link')?.textContent === name,
      expected.items[0].name,
    );
    await page.screenshot({ path: screenshotPath('04-genre-filter'), fullPage: true });
  });

  it('opens a song and shows its audio features', async () => {
    await page.getByRole('searchbox', { name: 'Search songs' }).fill(song.name);
    await page.waitForURL((url) => url.searchParams.get('q') === song.name);
    await page.getByRole('link', { name: song.name, exact: true }).first().click();

    await page.waitForURL((url) => url.pathname.startsWith('/songs/'));
    await page.getByRole('heading', { level: 1, name: song.name }).waitFor();
    const shown = await getJson<SongDto>(
      `${api.baseUrl}/v1/songs/${decodeURIComponent(new URL(page.url()).pathname.split('/')[2])}`,
    );
    expect(shown.name).toBe(song.name);

    const meters = page.getByRole('meter');
    expect(await meters.count()).toBe(9);
    const energy = page.getByRole('meter', { name: 'Energy' });
    expect(Number(await energy.getAttribute('aria-valuenow'))).toBeCloseTo(shown.features.energy, 5);
    await expectVisible(page.getByText(shown.album, { exact: true }).first());

    await page.screenshot({ path: screenshotPath('05-song-detail'), fullPage: true });

    await page.getByRole('link', { name: /back to songs/i }).click();
    await page.waitForURL((url) => url.pathname === '/' && url.searchParams.get('q') === song.name);
  });

  it('serves deep links and fits a phone screen', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    try {
      const mobile = await phone.newPage();
      await mobile.goto(`${api.baseUrl}/songs/${encodeURIComponent(song.id)}`);
      await mobile.getByRole('heading', { level: 1, name: song.name }).waitFor();
      const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await mobile.screenshot({ path: screenshotPath('07-song-detail-phone'), fullPage: true });

      await mobile.goto(`${api.baseUrl}/`);
      await mobile.locator('.song-table tbody tr').first().waitFor();
      expect(await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        0,
      );
      await mobile.screenshot({ path: screenshotPath('06-song-list-phone'), fullPage: true });
    } finally {
      await phone.close();
    }
  });

  it('logged no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});

async function expectVisible(locator: ReturnType<Page['getByRole']>): Promise<void> {
  await locator.waitFor({ state: 'visible' });
  expect(await locator.isVisible()).toBe(true);
}
