import React from 'react';
import { formatNumber } from '../model/format';
import type { ParkedRow } from '../model/parked';
import type { WallOptions } from '../types';
import type { WallStyles } from './styles';
import { testIds } from './testIds';
import { Elapsed } from './Ticking';

/** Height of the strip (px) the wall gives up when calls are parked. */
export const PARKED_STRIP_HEIGHT = 34;

/**
 * Calls waiting in a parking space, one chip each, the longest parked first: the space to dial, who waits, who
 * parked them, for how long. Shown above the wall only while something is parked.
 */
export function ParkedStrip({
  rows,
  styles,
  options,
}: {
  rows: ParkedRow[];
  styles: WallStyles;
  options: Pick<WallOptions, 'numberFormat' | 'defaultCountry'>;
}) {
  return (
    <div className={styles.summary} data-testid={testIds.parked} role="status" style={{ height: PARKED_STRIP_HEIGHT }}>
      {rows.map((r) => {
        const caller = r.partyName ?? (formatNumber(r.party, options.numberFormat, options.defaultCountry) || r.party);
        const parker = r.parkerName ?? r.parker;
        return (
          <span
            key={r.key}
            className={styles.chip}
            data-slot={r.slot}
            title={`Parked in ${r.slot}${r.lot ? ` (${r.lot})` : ''}: ${caller ?? 'a caller'}${parker ? `, parked by ${parker}` : ''}`}
          >
            <span className={styles.chipCount} data-number="slot">
              {`P${r.slot}`}
            </span>
            {caller && <span>{caller}</span>}
            {parker && <span>{`by ${parker}`}</span>}
            {r.parkedAt !== undefined && (
              <span className={styles.chipCount} data-number="parked">
                <Elapsed since={r.parkedAt} kind="duration" />
              </span>
            )}
          </span>
        );
      })}
    </div>
  );
}
