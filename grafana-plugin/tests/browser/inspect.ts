import type { Page } from 'playwright-core';

/** What the page shows of the panel, measured in the browser. */
export interface PanelReport {
  layout: string | null;
  /** Cards, tiles or call rows on the panel. */
  shown: number;
  /** What the "+N more" cells or line count. */
  more: number;
  moreVisible: boolean;
  empty: boolean;
  /** Items (and "+N more") reaching outside the panel body. */
  outside: string[];
  /** Text under 12 px: "font-size text". */
  smallText: string[];
  minFont: number;
  /** Numbers wider than their box or than the card holding them. */
  clippedNumbers: string[];
}

/**
 * Measures the panel in the page: boxes against the panel body, every text node's font size, every number
 * (`data-number`) against its own box and its card's.
 */
export function inspectPanel(page: Page): Promise<PanelReport> {
  return page.evaluate(() => {
    const body = document.querySelector('[data-testid="harness-panel-body"]')!;
    const box = body.getBoundingClientRect();
    const items = Array.from(
      body.querySelectorAll<HTMLElement>('[data-testid="data-testid sb-card"], [data-testid="data-testid sb-call"]')
    );
    const mores = Array.from(body.querySelectorAll<HTMLElement>('[data-testid="data-testid sb-more"]'));
    const inside = (r: DOMRect) =>
      r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5 && r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
    const outside = [...items, ...mores]
      .filter((e) => !inside(e.getBoundingClientRect()))
      .map((e) => e.getAttribute('data-extension') ?? e.textContent ?? '');
    const smallText: string[] = [];
    let minFont = Infinity;
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent?.trim();
      const parent = n.parentElement;
      if (!text || !parent) {
        continue;
      }
      const size = parseFloat(getComputedStyle(parent).fontSize);
      minFont = Math.min(minFont, size);
      if (size < 12 - 0.01) {
        smallText.push(`${size}px ${text}`);
      }
    }
    const clippedNumbers: string[] = [];
    for (const el of Array.from(body.querySelectorAll<HTMLElement>('[data-number]'))) {
      const r = el.getBoundingClientRect();
      const holder = el.closest<HTMLElement>(
        '[data-testid="data-testid sb-card"], [data-testid="data-testid sb-call"], [role="status"]'
      );
      const h = holder?.getBoundingClientRect();
      const overflows = el.scrollWidth > el.clientWidth + 1;
      const sticksOut = h !== undefined && (r.right > h.right + 0.5 || r.left < h.left - 0.5);
      if (overflows || sticksOut) {
        clippedNumbers.push(
          `${el.getAttribute('data-number')} "${el.textContent}" ${el.scrollWidth}>${el.clientWidth}`
        );
      }
    }
    const layout = body.querySelector('[data-layout]')?.getAttribute('data-layout') ?? null;
    return {
      layout,
      shown: items.length,
      more: mores.reduce((n, e) => n + Number(e.getAttribute('data-count')), 0),
      moreVisible: mores.every((e) => inside(e.getBoundingClientRect())),
      empty: body.querySelector('[data-testid="data-testid sb-empty"]') !== null,
      outside,
      smallText: smallText.slice(0, 10),
      minFont: minFont === Infinity ? 0 : minFont,
      clippedNumbers: clippedNumbers.slice(0, 10),
    };
  });
}
