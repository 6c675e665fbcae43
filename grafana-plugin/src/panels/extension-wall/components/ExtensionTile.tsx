import React, { memo } from 'react';
import type { ExtensionRow } from '../model/extensions';
import { TILE } from '../model/layout';
import { STATES } from '../model/states';
import { fitNumber } from '../model/text';
import { cardLabel, frozenAt, itemProps, sameRow, Timer, type CardOptions } from './ExtensionCard';
import { StateIcon } from './StateIcon';
import type { WallStyles } from './styles';
import { useOver } from './Ticking';

interface Props {
  row: ExtensionRow;
  styles: WallStyles;
  opts: CardOptions;
}

/**
 * The compact tile, for walls too full for cards at a readable size: the number, the state as colour and icon,
 * and the call (or idle) time; the rest is in the tooltip.
 */
function Tile({ row, styles, opts }: Props) {
  const info = STATES[row.state];
  const look = opts.palette[row.state];
  const ink = opts.colorMode === 'background' ? look.fg : look.accent;
  const since = info.inCall ? row.callStartedAt : row.state === 'idle' ? row.idleSince : undefined;
  const kind = info.inCall ? 'duration' : 'idle';
  const frozen = frozenAt(row);
  const longCall = useOver(info.inCall ? since : undefined, opts.longCallSeconds, frozen ?? undefined);
  const inner = opts.cellWidth - 2 * TILE.padding * opts.scale - 2;
  const number = fitNumber(row.extension, inner - 19 * opts.scale, { size: TILE.numberFont * opts.scale });
  const showTime = since !== undefined && opts.show.has(info.inCall ? 'duration' : 'idle');
  const label = cardLabel(row, look.label, [...(longCall ? ['long call'] : []), ...(row.stale ? ['data stale'] : [])]);

  return (
    <div {...itemProps(row, opts, styles, { kind: 'tile', label, longCall })}>
      <div className={styles.tileTop}>
        <span className={styles.tileNumber} data-number="extension">
          {number}
        </span>
        <StateIcon state={row.state} color={ink} className={styles.tileIcon} />
      </div>
      {showTime ? (
        <span className={styles.tileLine} data-role={kind} data-number={kind}>
          <Timer since={since!} kind={kind} frozen={frozen} />
        </span>
      ) : (
        <span className={styles.tileLabel} data-role="state">
          {info.short}
        </span>
      )}
    </div>
  );
}

export const ExtensionTile = memo(
  Tile,
  (prev, next) => prev.styles === next.styles && prev.opts === next.opts && sameRow(prev.row, next.row)
);
