import { fitName, fitNumber, fitParty, fits, textWidth } from './text';

const font = { size: 20 };

describe('text fitting', () => {
  it('estimates widths on the generous side of Inter Bold: digits as tabular figures, monospace at 0.6 em', () => {
    // 10 tabular digits of Inter Bold are 6.5 em wide in Chromium: the estimate is wider, never narrower
    expect(textWidth('0123456789', font)).toBeGreaterThanOrEqual(6.5 * 20);
    expect(textWidth('0123456789', font)).toBeLessThan(7.5 * 20);
    expect(textWidth('12:34', { size: 10, mono: true })).toBeCloseTo(5 * 0.6 * 10 * 1.06);
    expect(textWidth('WWW', font)).toBeGreaterThan(textWidth('iii', font) * 3);
    expect(textWidth('é', font)).toBeGreaterThan(0);
  });

  it('a number is whole when it fits', () => {
    const n = '+1 617 555 0101';
    expect(fitNumber(n, textWidth(n, font), font)).toBe(n);
  });

  it('a number that does not fit keeps its head and its line around an ellipsis, cut between digit groups', () => {
    const n = '+1 617 555 0101';
    const out = fitNumber(n, textWidth(n, font) - 1, font);
    expect(out).toBe('+1 617\u20260101');
    expect(fits(out, textWidth(n, font) - 1, font)).toBe(true);
    expect(fitNumber(n, textWidth('+1\u20260101', font), font)).toBe('+1\u20260101');
    expect(fitNumber(n, textWidth('\u20260101', font), font)).toBe('\u20260101');
  });

  it('a long run of digits keeps its end; nothing at all when not two digits fit', () => {
    expect(fitNumber('123456789', textWidth('\u20266789', font), font)).toBe('\u20266789');
    expect(fitNumber('123456789', 10, font)).toBe('');
  });

  it('whatever the width, a shortened number is a tail or head of the digits, never a cut digit', () => {
    const n = '+49 30 123456789';
    for (let w = 0; w < 300; w += 3) {
      const out = fitNumber(n, w, font);
      expect(out === '' || fits(out, w, font)).toBe(true);
      for (const part of out.split('\u2026')) {
        expect(n.includes(part)).toBe(true);
      }
    }
  });

  it('names end in an ellipsis', () => {
    expect(fitName('Paris Reseller', textWidth('Paris\u2026', font), font)).toBe('Paris\u2026');
    expect(fitName('Paris Reseller', 5, font)).toBe('');
  });

  it('the number before the name: the name takes what is left, or goes', () => {
    const fonts = { name: { size: 14 }, number: { size: 12 }, gap: 6 };
    const number = '+1 212 555 0101';
    const nw = textWidth(number, fonts.number);
    const both = textWidth('NYC Customer', fonts.name) + 6 + nw;
    expect(fitParty('NYC Customer', number, both, fonts)).toEqual({ name: 'NYC Customer', number });
    expect(fitParty('NYC Customer', number, nw + 6 + textWidth('NYC\u2026', fonts.name), fonts)).toEqual({
      name: 'NYC\u2026',
      number,
    });
    expect(fitParty('NYC Customer', number, nw + 8, fonts)).toEqual({ number });
    expect(fitParty('NYC Customer', number, nw - 1, fonts).number).toContain('\u2026');
    expect(fitParty(undefined, number, nw, fonts)).toEqual({ number });
    expect(fitParty('Alice', undefined, 200, fonts)).toEqual({ name: 'Alice' });
    expect(fitParty('Alice', undefined, 1, fonts)).toEqual({});
  });
});
