/**
 * @jest-environment node
 *
 * The panel in a real browser, fed by a real exporter: the harness page (harness/) loads the built plugin (dist/)
 * as Grafana does, runs its data source through a Grafana-like data-source proxy (harness/server.ts) to the
 * exporter on the demo PBX, and mounts its wall panel with @grafana/ui's theme in headless Chromium. The sizes
 * matrix feeds the same page synthetic frames (8 to 1,000 extensions, 0 to 60 calls) without reloading it.
 */
import fs from 'fs';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { startHarnessServer, type HarnessServer } from '../../harness/server';
import { testIds } from '../../src/panels/extension-wall/components/testIds';
import { launchChromium } from './chromium';
import { inspectPanel, type PanelReport } from './inspect';
import { startExporter, REPO, type RunningExporter } from './exporter';
import { buildHarness, PLUGIN_DIR } from './harness';
import { until } from './wait';

jest.setTimeout(240_000);

const CARD = `[data-testid="${testIds.card}"]`;
const CALL_ROW = `[data-testid="${testIds.callRow}"]`;
const BANNER = `[data-testid="${testIds.banner}"]`;
const CALL_STATES = ['ringing', 'in_call', 'on_hold', 'busy'];
const STATES = ['idle', 'ringing', 'in_call', 'on_hold', 'busy', 'dnd', 'unavailable', 'unknown'];
const SHOTS = path.join(PLUGIN_DIR, 'test-results', 'screenshots');
const DOC_IMG = path.join(REPO, 'docs', 'img');

let exporter: RunningExporter;
let server: HarnessServer;
let browser: Browser;
const pageErrors: string[] = [];
const pages: Page[] = [];

async function api<T>(route: string, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${exporter.url}${route}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as T };
}

async function sseClients(): Promise<number> {
  const { body } = await api<string>('/metrics', exporter.token);
  const m = /^switchboard_sse_clients\s+(\d+)/m.exec(body);
  return m ? Number(m[1]) : NaN;
}

async function openWall(query: string, viewport = { width: 1600, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  pages.push(page);
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      pageErrors.push(msg.text());
    }
  });
  await page.goto(`${server.url}/?${query}`);
  return page;
}

/** Applies a harness patch on an open page and waits until it is drawn (with the web fonts). */
async function setPage(page: Page, patch: Record<string, unknown>) {
  await page.waitForFunction(() => window.__harness?.ready === true);
  await page.evaluate((p) => window.__harness.set!(p as never), patch);
  await page.evaluate(() => document.fonts.ready);
}

const durations = (page: Page) =>
  page.$$eval(CARD, (els) =>
    els
      .map((e) => ({
        extension: e.getAttribute('data-extension') ?? '',
        stale: e.hasAttribute('data-stale'),
        duration: e.querySelector('[data-role="duration"]')?.textContent ?? null,
      }))
      .filter((c) => c.duration)
  );

/** Waits for the web fonts, so the screenshot shows what a person would see. */
async function settle(page: Page) {
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(500);
}

async function shoot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name);
  // animations: 'disabled' shows a blinking ringing lamp lit, not caught mid-blink
  await page.screenshot({ path: file, animations: 'disabled' });
  expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  // The README's images: refreshed on request (SB_UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean.
  if (process.env.SB_UPDATE_SCREENSHOTS === '1') {
    fs.mkdirSync(DOC_IMG, { recursive: true });
    fs.copyFileSync(file, path.join(DOC_IMG, name));
  }
}

const cardsOf = (page: Page) =>
  page.$$eval(CARD, (els) =>
    els.map((e) => ({
      extension: e.getAttribute('data-extension') ?? '',
      state: e.getAttribute('data-state') ?? '',
      duration: e.querySelector('[data-role="duration"]')?.textContent ?? null,
      text: e.textContent ?? '',
      box: (() => {
        const r = e.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
      })(),
    }))
  );

/**
 * For the README: wait until the demo PBX has shown all its phones (the card set unchanged for 10 s) with at least
 * one call and one idle phone, or 60 s, whichever comes first; a call must be on the wall either way.
 */
async function settledWall(page: Page) {
  let last = '';
  let since = Date.now();
  const end = Date.now() + 60_000;
  for (;;) {
    const cards = await cardsOf(page);
    const set = cards.map((c) => c.extension).join();
    if (set !== last) {
      last = set;
      since = Date.now();
    }
    const call = cards.some((c) => CALL_STATES.includes(c.state));
    const idle = cards.some((c) => c.state === 'idle');
    if ((call && idle && Date.now() - since >= 10_000) || (call && Date.now() > end)) {
      return;
    }
    if (Date.now() > end + 30_000) {
      throw new Error('no call on the wall in 90 s');
    }
    await page.waitForTimeout(250);
  }
}

const seconds = (t: string) => t.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);

beforeAll(async () => {
  buildHarness();
  exporter = await startExporter();
  server = await startHarnessServer({ exporterUrl: exporter.url, token: exporter.token });
  browser = await launchChromium();
});

// A failed assertion must not leave a page (and its stream) open for the next test.
afterEach(async () => {
  await Promise.all(pages.splice(0).map((p) => p.close().catch(() => undefined)));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await exporter?.stop();
});

describe('extension wall in Chromium, fed by the exporter on the demo PBX', () => {
  it('shows one card per exporter extension, every one visible, with a known state', async () => {
    const page = await openWall('theme=dark');
    await page.waitForSelector(CARD);
    // The demo PBX reports its extensions over its first seconds: compare once the wall and the API agree.
    type Ext = { extension: string; name?: string | null };
    const { api: items, cards } = await until('the wall to show every extension the API lists', async () => {
      const { body } = await api<{ items: Ext[] }>('/api/v1/extensions', exporter.token);
      const shown = await cardsOf(page);
      const want = body.items.map((e) => e.extension).sort();
      const have = shown.map((c) => c.extension).sort();
      return want.length > 0 && JSON.stringify(want) === JSON.stringify(have)
        ? { api: body.items, cards: shown }
        : false;
    });
    const viewport = page.viewportSize()!;
    for (const c of cards) {
      expect(STATES).toContain(c.state);
      expect(c.text).toContain(c.extension);
      // size "fit": the whole wall is on screen, no scrolling on a wall display
      expect(c.box.bottom).toBeLessThanOrEqual(viewport.height);
      expect(c.box.right).toBeLessThanOrEqual(viewport.width);
    }
    for (const e of items.filter((x) => x.name)) {
      expect(cards.find((c) => c.extension === e.extension)!.text).toContain(e.name!);
    }
  });

  it('streams: one EventSource through the proxy, deltas change cards, call durations tick', async () => {
    const page = await openWall('theme=dark');
    await page.waitForSelector(CARD);
    await until('the live stream', async () => (await page.evaluate(() => window.__harness.state)) === 'Streaming');

    // Demo traffic: wait for a card in a call, then see its duration move on by the panel's own clock.
    const ticked = await until(
      'a ticking call duration',
      async () => {
        const before = (await cardsOf(page)).filter((c) => CALL_STATES.includes(c.state) && c.duration);
        if (before.length === 0) {
          return false;
        }
        await page.waitForTimeout(2100);
        const after = await cardsOf(page);
        return before.find((b) => {
          const a = after.find((x) => x.extension === b.extension);
          return a && a.state === b.state && a.duration && seconds(a.duration) >= seconds(b.duration!) + 2;
        });
      },
      90_000
    );
    expect(ticked.duration).toMatch(/^\d+:\d\d$/);

    // State changes arrive as deltas on the open stream (no reload, no second connection).
    const firstStates = new Map((await cardsOf(page)).map((c) => [c.extension, c.state]));
    await until('a state change from the stream', async () =>
      (await cardsOf(page)).some((c) => firstStates.get(c.extension) !== c.state)
    );

    const harness = await page.evaluate(() => window.__harness);
    expect(harness.eventSources).toEqual(['/api/datasources/proxy/uid/sb-harness/api/api/v1/stream']);
    expect(harness.errors).toEqual([]);
    expect(harness.responses).toBeGreaterThan(2);

    const stream = server.log.filter((e) => e.path.startsWith('/api/v1/stream'));
    expect(stream.length).toBeGreaterThanOrEqual(1);
    expect(stream.every((e) => e.status === 200)).toBe(true);
    // the token is added by the proxy; the browser never has it
    expect(server.log.some((e) => e.browserAuthorization)).toBe(false);
    expect((await api('/api/v1/extensions')).status).toBe(401);
    await page.close();
  });

  it('closing the page closes the stream at the exporter', async () => {
    const page = await openWall('theme=dark');
    await page.waitForSelector(CARD);
    await until('an SSE client at the exporter', async () => (await sseClients()) >= 1);
    await page.close();
    await until('no SSE client at the exporter', async () => (await sseClients()) === 0, 15_000);
  });

  it('light and dark themes (screenshots for the README)', async () => {
    const backgrounds: string[] = [];
    for (const theme of ['light', 'dark']) {
      const page = await openWall(`theme=${theme}&defaultCountry=US&title=Extensions%20%C2%B7%20demo%20PBX`);
      await page.waitForSelector(CARD);
      await settledWall(page);
      await settle(page);
      backgrounds.push(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
      await shoot(page, `wall-${theme}.png`);
      await page.close();
    }
    expect(backgrounds[0]).not.toEqual(backgrounds[1]);
  });

  it('call board lists active calls with ticking durations', async () => {
    const page = await openWall('theme=dark&mode=callboard&defaultCountry=US&title=Live%20calls');
    await page.waitForSelector(`[data-testid="${testIds.callboard}"]`);
    const rows = await until(
      'active calls on the board',
      async () => {
        const r = await page.$$eval(CALL_ROW, (els) =>
          els.map((e) => ({ phase: e.getAttribute('data-phase'), text: e.textContent ?? '' }))
        );
        return r.length > 0 ? r : false;
      },
      90_000
    );
    for (const r of rows) {
      expect(['ringing', 'waiting', 'on_hold', 'talking']).toContain(r.phase);
      expect(r.text).toMatch(/\d+:\d\d/);
    }
    await settle(page);
    await shoot(page, 'callboard-dark.png');
    await page.close();
  });

  it('stopping the PBX under a live wall: within 5 s a banner names it and the timers stop; on recovery both clear', async () => {
    const page = await openWall('theme=dark&defaultCountry=US&title=Extensions%20%C2%B7%20demo%20PBX');
    await page.waitForSelector(CARD);
    await until('the live stream', async () => (await page.evaluate(() => window.__harness.state)) === 'Streaming');
    await until('a call on the wall', async () => (await durations(page)).length > 0, 90_000);
    expect(await page.$(BANNER)).toBeNull();

    exporter.signal('SIGUSR2');
    const offAt = Date.now();
    const banner = await until(
      'the stale banner',
      async () => {
        const el = await page.$(`${BANNER} [data-kind="pbx"][data-pbx="demo"]`);
        return el
          ? { text: (await el.textContent()) ?? '', since: Number(await el.getAttribute('data-since')) }
          : false;
      },
      5000
    );
    expect(Date.now() - offAt).toBeLessThan(5000);
    expect(banner.text).toMatch(/PBX demo disconnected\s*since \d\d:\d\d:\d\d \(\d+s ago\)/);
    expect(Math.abs(banner.since - offAt)).toBeLessThan(60_000);
    const frozen = await until('every card marked stale', async () => {
      const cards = await cardsOf(page);
      const stale = await page.$$eval(CARD, (els) => els.filter((e) => e.hasAttribute('data-stale')).length);
      return stale === cards.length && cards.length > 0 ? durations(page) : false;
    });
    await page.waitForTimeout(2500);
    const later = await durations(page);
    expect(later.length).toBeGreaterThan(0);
    for (const c of later) {
      const before = frozen.find((f) => f.extension === c.extension);
      expect(before && c.duration).toBe(before!.duration);
    }
    await settle(page);
    await shoot(page, 'wall-stale-dark.png');

    exporter.signal('SIGUSR2');
    await until('the banner gone', async () => (await page.$(BANNER)) === null, 60_000);
    expect(await page.$$eval(CARD, (els) => els.filter((e) => e.hasAttribute('data-stale')).length)).toBe(0);
    const ticking = await until(
      'the timers ticking again',
      async () => {
        const before = await durations(page);
        await page.waitForTimeout(2100);
        const after = await durations(page);
        return before.find((b) => {
          const a = after.find((x) => x.extension === b.extension);
          return a?.duration && b.duration && seconds(a.duration) >= seconds(b.duration) + 2;
        });
      },
      90_000
    );
    expect(ticking.duration).toMatch(/^\d+:\d\d$/);
  }, 240_000);
});

/**
 * The sizes a wall meets, on synthetic frames (the same page, resized and re-themed): at each, nothing below the
 * fold without a "+N more" that counts it, no text under 12 px, no number clipped.
 */
describe('every size, theme and load', () => {
  const SIZES = [
    { width: 1920, height: 1080 },
    { width: 800, height: 450 },
  ];
  const THEMES = ['dark', 'light'] as const;
  const EXTENSIONS = [8, 240, 1000];
  const CALLS = [0, 3, 60];
  /** README images: size, theme and load. */
  const SHOTS_AT: Record<string, string> = {
    '1920x1080 dark wall 240': 'wall-240-dark.png',
    '1920x1080 light wall 1000': 'wall-1000-light.png',
    '800x450 dark wall 240': 'wall-240-small-dark.png',
    '1920x1080 dark callboard 60': 'callboard-60-dark.png',
  };
  const reports: Array<PanelReport & { at: string }> = [];

  function check(at: string, r: PanelReport, total: number) {
    // every item on the wall is inside the panel, and whatever is not on it is counted
    expect([at, r.outside]).toEqual([at, []]);
    expect([at, r.shown + r.more]).toEqual([at, total]);
    if (r.more > 0) {
      expect([at, r.moreVisible]).toEqual([at, true]);
    }
    expect([at, r.smallText]).toEqual([at, []]);
    expect([at, r.clippedNumbers]).toEqual([at, []]);
  }

  it('wall and call board at 1920×1080 and 800×450, dark and light, 8/240/1,000 extensions and 0/3/60 calls', async () => {
    const page = await browser.newPage({ viewport: SIZES[0], deviceScaleFactor: 1 });
    pages.push(page);
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    await page.goto(`${server.url}/?fixture=8&calls=0`);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      for (const theme of THEMES) {
        for (const extensions of EXTENSIONS) {
          const at = `${size.width}x${size.height} ${theme} wall ${extensions}`;
          await setPage(page, {
            theme,
            title: `Extensions · ${extensions} phones`,
            options: { mode: 'wall', sortBy: 'attention', defaultCountry: 'US' },
            fixture: { extensions, calls: 0, deltas: 0 },
          });
          const r = await inspectPanel(page);
          reports.push({ ...r, at });
          check(at, r, extensions);
          if (SHOTS_AT[at]) {
            await shoot(page, SHOTS_AT[at]);
          }
        }
        for (const calls of CALLS) {
          const at = `${size.width}x${size.height} ${theme} callboard ${calls}`;
          await setPage(page, {
            theme,
            title: `Live calls · ${calls}`,
            options: { mode: 'callboard', defaultCountry: 'US' },
            fixture: { extensions: 8, calls, deltas: 0 },
          });
          const r = await inspectPanel(page);
          reports.push({ ...r, at });
          check(at, r, calls);
          expect([at, r.empty]).toEqual([at, calls === 0]);
          if (SHOTS_AT[at]) {
            await shoot(page, SHOTS_AT[at]);
          }
        }
      }
    }
    // 240 phones on a 1920×1080 wall: all of them, readable (the bar: no text under 12 px)
    const big = reports.find((r) => r.at === '1920x1080 dark wall 240')!;
    expect(big).toMatchObject({ shown: 240, more: 0, layout: 'tile' });
    expect(big.minFont).toBeGreaterThanOrEqual(12);
    // a few phones on a big wall: full cards, larger than the smallest readable
    expect(reports.find((r) => r.at === '1920x1080 dark wall 8')).toMatchObject({ layout: 'card', shown: 8 });
    expect(reports.find((r) => r.at === '1920x1080 dark wall 8')!.minFont).toBeGreaterThan(20);
  }, 240_000);
});

it('no errors in any page', () => {
  expect(pageErrors).toEqual([]);
});
