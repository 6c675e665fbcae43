/**
 * `npm run bench:wall`: the wall panel with 1,000 extensions in headless Chromium. Prints the time to the first
 * painted wall and, over 10 s of 1 s ticks plus 20 state changes per second (each re-emitting the full frame),
 * the main thread's long tasks and frame intervals. Figures only; it asserts nothing.
 */
import type { Page } from 'playwright-core';
import { startHarnessServer } from './server';
import { launchChromium } from '../tests/browser/chromium';
import { buildHarness } from '../tests/browser/harness';

const COUNT = Number(process.env.BENCH_EXTENSIONS ?? 1000);
const DELTAS = Number(process.env.BENCH_DELTAS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

/** The wall is drawn when every extension is a card or tile, or counted by a "+N more" cell. */
function wallDrawn(page: Page, count: number) {
  return page.waitForFunction(
    (n) => {
      const cards = document.querySelectorAll('[data-testid="data-testid sb-card"]').length;
      const more = Array.from(document.querySelectorAll('[data-testid="data-testid sb-more"]')).reduce(
        (sum, e) => sum + Number(e.getAttribute('data-count')),
        0
      );
      return cards > 0 && cards + more >= n;
    },
    count,
    { timeout: 120_000 }
  );
}

async function main() {
  buildHarness();
  const server = await startHarnessServer({ exporterUrl: 'http://127.0.0.1:9', token: 'unused' });
  const browser = await launchChromium();
  try {
    for (const size of ['fit', 'medium']) {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      await page.addInitScript(() => {
        const w = window as unknown as { __long: number[]; __frames: number[] };
        w.__long = [];
        w.__frames = [];
        new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__long.push(e.duration))).observe({
          type: 'longtask',
          buffered: true,
        });
      });
      const t0 = Date.now();
      await page.goto(`${server.url}/?theme=dark&fixture=${COUNT}&deltas=0&cardSize=${size}`);
      await wallDrawn(page, COUNT);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const firstPaint = Date.now() - t0;
      const loadLong = await page.evaluate(() => (window as unknown as { __long: number[] }).__long.slice());

      // steady state: reload with deltas, measure only after the first paint
      await page.goto(`${server.url}/?theme=dark&fixture=${COUNT}&deltas=${DELTAS}&cardSize=${size}`);
      await wallDrawn(page, COUNT);
      const drawn = await page.evaluate(() => ({
        layout: document.querySelector('[data-layout]')?.getAttribute('data-layout'),
        shown: document.querySelectorAll('[data-testid="data-testid sb-card"]').length,
      }));
      await page.waitForTimeout(1000);
      const steady = await page.evaluate(async (seconds) => {
        const w = window as unknown as { __long: number[] };
        w.__long = [];
        const frames: number[] = [];
        let last = performance.now();
        const end = last + seconds * 1000;
        await new Promise<void>((resolve) => {
          const loop = (t: number) => {
            frames.push(t - last);
            last = t;
            if (t < end) {
              requestAnimationFrame(loop);
            } else {
              resolve();
            }
          };
          requestAnimationFrame(loop);
        });
        frames.sort((a, b) => a - b);
        const pct = (p: number) => frames[Math.min(frames.length - 1, Math.floor(frames.length * p))];
        return {
          frames: frames.length,
          p50: pct(0.5),
          p95: pct(0.95),
          max: frames[frames.length - 1],
          over50: frames.filter((f) => f > 50).length,
          longTasks: w.__long.length,
          longestTask: Math.max(0, ...w.__long),
          responses: (window as unknown as { __harness: { responses: number } }).__harness.responses,
        };
      }, SECONDS);
      const f = (n: number) => n.toFixed(1);
      console.log(
        `wall ${COUNT} extensions, size ${size} (${drawn.shown} ${drawn.layout}s drawn): first wall painted in ${firstPaint} ms ` +
          `(longest task while loading ${f(Math.max(0, ...loadLong))} ms)`
      );
      console.log(
        `  ${SECONDS} s of ticking + ${DELTAS} deltas/s (${steady.responses} frames): ${steady.frames} animation frames, ` +
          `interval p50 ${f(steady.p50)} ms, p95 ${f(steady.p95)} ms, max ${f(steady.max)} ms, ${steady.over50} over 50 ms; ` +
          `${steady.longTasks} long tasks, longest ${f(steady.longestTask)} ms`
      );
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
