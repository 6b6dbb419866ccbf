import type { GenreDto, Page as SongPage, SongDto } from '@encore/api-contract';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type RunningApi, startApi } from './support/api-server';
import { launchChromium, screenshotPath } from './support/browser';

const ADMIN_USER = 'admin';
const ADMIN_PASSWORD = 'Encore-e2e-Adm1n-Passw0rd';
// A fresh name per run; the API's data dir is a new temp dir anyway.
const LISTENER = `listener-${Date.now().toString(36)}`;
const LISTENER_PASSWORD = 'Listener-e2e-2026';
const LIKES = 4;

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} → ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The song ids of the For you list, top to bottom, once it has rendered. */
async function forYouIds(page: Page): Promise<string[]> {
  await page.locator('.rec-list li.rec-card').first().waitFor();
  return page
    .locator('.rec-list li.rec-card')
    .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-song-id') ?? ''));
}

async function signInThroughForm(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

describe('the listener app against the real API', () => {
  let api: RunningApi;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let genre: string;
  let genreSongs: SongDto[];
  let coldStart: string[];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    api = await startApi({ env: { ENCORE_ADMIN_USER: ADMIN_USER, ENCORE_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    // A well-stocked genre of the embedded catalog, picked at runtime so the suite follows the sample.
    const genres = await getJson<GenreDto[]>(`${api.baseUrl}/v1/genres`);
    genre = (genres.find((g) => g.name === 'jazz' && g.songs >= 20) ?? [...genres].sort((a, b) => b.songs - a.songs)[0])
      .name;
    const songs = await getJson<SongPage<SongDto>>(
      `${api.baseUrl}/v1/songs?genre=${encodeURIComponent(genre)}&sort=popularity&limit=${LIKES}`,
    );
    genreSongs = songs.items;
    if (genreSongs.length < LIKES) throw new Error(`genre ${genre} has fewer than ${LIKES} songs`);

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`${message.text()} (${message.location().url})`);
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await api?.stop();
  });

  it('registers a new listener through the UI, signs out and signs in again', async () => {
    await page.goto(`${api.baseUrl}/`);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.waitForURL((url) => url.pathname === '/register');

    await page.getByLabel('Username').fill(LISTENER);
    await page.getByLabel('Password').fill(LISTENER_PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => url.pathname === '/for-you');
    await page.getByRole('heading', { level: 1, name: 'For you' }).waitFor();
    await page.getByText(LISTENER, { exact: true }).first().waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    expect(await page.getByRole('link', { name: 'For you' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Username').fill(LISTENER);
    await page.getByLabel('Password').fill(LISTENER_PASSWORD);
    await page.screenshot({ path: screenshotPath('08-sign-in'), fullPage: true });
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/for-you');
  });

  it('shows a new listener popular songs, each with its reason', async () => {
    await page.getByRole('heading', { level: 1, name: 'For you' }).waitFor();
    coldStart = await forYouIds(page);

    expect(coldStart.length).toBeGreaterThan(5);
    await page.getByText('Encore doesn’t know your taste yet').waitFor();
    const reasons = await page.locator('.rec-card .reason').allTextContents();
    expect(reasons).toHaveLength(coldStart.length);
    expect(reasons.every((r) => r.trim().length > 0)).toBe(true);
    expect(await page.getByRole('radio', { name: 'Hybrid' }).getAttribute('aria-checked')).toBe('true');

    await page.screenshot({ path: screenshotPath('09-for-you'), fullPage: true });
  });

  it('likes songs of one genre from their pages, which show similar songs', async () => {
    for (const [i, song] of genreSongs.entries()) {
      // A full page load each time: the session survives it (sessionStorage).
      await page.goto(`${api.baseUrl}/songs/${encodeURIComponent(song.id)}`);
      await page.getByRole('heading', { level: 1, name: song.name }).waitFor();
      const stored = page.waitForResponse(
        (r) => r.url().endsWith('/interactions') && r.request().method() === 'POST' && r.status() === 201,
      );
      await page.getByRole('button', { name: `Like ${song.name}`, exact: true }).click();
      await page.getByRole('button', { name: `Liked ${song.name}`, exact: true }).waitFor();
      await stored;

      if (i === 0) {
        const similar = page.locator('.similar-list .similar-row');
        await similar.first().waitFor();
        expect(await similar.count()).toBeGreaterThan(0);
        expect((await similar.first().locator('.reason').textContent())?.trim()).not.toBe('');
        await page.screenshot({ path: screenshotPath('11-song-similar'), fullPage: true });
      }
    }
  });

  it('follows the likes: For you changes, and says why', async () => {
    await page.getByRole('link', { name: 'For you', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/for-you');

    const after = await forYouIds(page);
    expect(after).not.toEqual(coldStart);
    // Liked songs are not recommended back.
    for (const song of genreSongs) expect(after).not.toContain(song.id);
    const reasons = await page.locator('.rec-card .reason').allTextContents();
    expect(reasons.some((r) => r !== 'Popular right now')).toBe(true);
    expect(await page.getByText('Encore doesn’t know your taste yet').count()).toBe(0);

    await page.screenshot({ path: screenshotPath('10-for-you-after-likes'), fullPage: true });
  });

  it('switches strategy and skips a song, which leaves the list at once', async () => {
    const contentList = page.waitForResponse(
      (r) => r.url().includes('/recommendations?') && new URL(r.url()).searchParams.get('strategy') === 'content',
    );
    await page.getByRole('radio', { name: 'Content' }).click();
    await page.waitForURL((url) => url.searchParams.get('strategy') === 'content');
    await contentList;
    // The previous strategy's list stays on screen, dimmed, until the new one is rendered.
    await page.locator('.query-state__content.is-stale').waitFor({ state: 'detached' });
    await page
      .locator('.rec-card .reason', { hasText: /sounds like/i })
      .first()
      .waitFor();

    const [first] = await forYouIds(page);
    const card = page.locator(`li.rec-card[data-song-id="${first}"]`);
    const name = (await card.locator('.rec-card__title').textContent()) ?? '';
    const stored = page.waitForResponse((r) => r.url().endsWith('/interactions') && r.status() === 201);
    await page.getByRole('button', { name: `Skip ${name}`, exact: true }).click();
    await card.waitFor({ state: 'detached' });
    await stored;
    // Still gone once the list has been refetched from the API.
    await page.waitForLoadState('networkidle');
    expect(await forYouIds(page)).not.toContain(first);
  });

  it('lists the likes and the skip in the history, newest first', async () => {
    await page.getByRole('link', { name: 'History', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'History' }).waitFor();
    const rows = page.locator('.history-row');
    await rows.first().waitFor();

    expect(await rows.count()).toBe(LIKES + 1);
    expect(await rows.first().locator('.history-event').textContent()).toBe('Skipped');
    const liked = await page
      .locator('.history-row', { hasText: 'Liked' })
      .locator('.history-row__title')
      .allTextContents();
    expect([...liked].sort()).toEqual(genreSongs.map((s) => s.name).sort());

    await page.screenshot({ path: screenshotPath('12-history'), fullPage: true });
  });

  it('fits a phone screen', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    try {
      const mobile = await phone.newPage();
      await mobile.goto(`${api.baseUrl}/for-you`);
      await mobile.waitForURL((url) => url.pathname === '/sign-in');
      await signInThroughForm(mobile, LISTENER, LISTENER_PASSWORD);
      await mobile.waitForURL((url) => url.pathname === '/for-you');
      await forYouIds(mobile);
      expect(await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        0,
      );
      // The nav stays reachable on a phone.
      expect(await mobile.getByRole('link', { name: 'History', exact: true }).isVisible()).toBe(true);
      // The first screenful: a full-page phone shot of 20 cards is too tall to judge.
      await mobile.screenshot({ path: screenshotPath('14-for-you-phone') });
    } finally {
      await phone.close();
    }
  });

  it('shows an admin the service panel', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).click();
    await signInThroughForm(page, ADMIN_USER, ADMIN_PASSWORD);
    await page.waitForURL((url) => url.pathname === '/for-you');

    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Service' }).waitFor();
    const value = (term: string) =>
      page.locator('dt', { hasText: new RegExp(`^${escapeRegExp(term)}$`) }).locator('xpath=following-sibling::dd[1]');
    await value('Provider').waitFor();
    expect(await value('Provider').textContent()).toBe('engine');
    expect(await value('Model version').textContent()).toMatch(/^engine-/);
    expect(await value('Cache').textContent()).toMatch(/^Up/);
    await value('Requests').waitFor();
    expect(
      Number((await value('Requests').locator('.stat-tile__value').textContent())?.replace(/,/g, '')),
    ).toBeGreaterThan(0);
    expect(await value('Latency p50').locator('.stat-tile__value').textContent()).toMatch(/ms|s$/);
    expect(await value('Cache hit rate').locator('.stat-tile__value').textContent()).toMatch(/%$/);

    // The version trained at start-up is saved, active and served.
    const models = page.locator('section', { has: page.getByRole('heading', { name: 'Model versions' }) });
    const served = models.locator('tbody tr', { hasText: 'serving' });
    await served.waitFor();
    expect(await served.locator('th code').textContent()).toBe(await value('Model version').textContent());

    await page.screenshot({ path: screenshotPath('13-admin'), fullPage: true });
  });

  it('lets an admin train a new model version and activate it', async () => {
    const models = page.locator('section', { has: page.getByRole('heading', { name: 'Model versions' }) });
    const rows = models.locator('tbody tr');
    const before = await rows.count();

    await page.getByRole('button', { name: 'Train new model' }).click();
    const job = page.getByRole('region', { name: 'Training job' });
    // Training on the embedded sample takes a few seconds; the page polls the job meanwhile.
    await job.getByText('succeeded', { exact: true }).waitFor({ timeout: 60_000 });
    const published = ((await job.getByText(/^published /).textContent()) ?? '').replace(/^published /, '');
    expect(published).toMatch(/^engine-/);

    const row = models.locator('tbody tr', { has: page.locator('th code', { hasText: published }) });
    await row.waitFor();
    expect(await rows.count()).toBe(before + 1);
    // The new version was evaluated on the held-out split, so the chart has a bar group for it.
    expect(await models.getByRole('img').getAttribute('aria-label')).toContain(`${published}: Precision@10 0.`);
    await row.getByRole('button', { name: `Activate ${published}` }).click();
    await row.locator('.tag', { hasText: /^active$/ }).waitFor();
    await row.locator('.tag', { hasText: /^serving$/ }).waitFor();
    expect(await row.getByRole('button').count()).toBe(0);

    // Clicking Activate scrolled the page; a full-page shot from there draws the sticky header mid-page.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath('15-admin-models'), fullPage: true });
  });

  it('logged no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
