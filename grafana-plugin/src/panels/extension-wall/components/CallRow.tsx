import React, { memo } from 'react';
import { cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import type { ActiveCallRow, CallPhase } from '../model/calls';
import { formatNumber } from '../model/format';
import { BOARD } from '../model/layout';
import type { Palette } from '../model/palette';
import type { ExtensionState } from '../model/states';
import { fitName, fitNumber } from '../model/text';
import type { WallOptions } from '../types';
import type { CallBoardStyles } from './callBoardStyles';
import type { WallIconName } from './icons';
import { testIds } from './testIds';
import { Elapsed, useOver } from './Ticking';
import { WallIcon } from './WallIcon';

const DIRECTION: Record<string, { icon: WallIconName; label: string }> = {
  inbound: { icon: 'arrow-down', label: 'Inbound' },
  outbound: { icon: 'arrow-up', label: 'Outbound' },
  internal: { icon: 'exchange-alt', label: 'Internal' },
};

/** Each phase in the wall's language: its colour is the matching extension state's (value mappings included). */
const PHASE: Record<CallPhase, { label: string; icon: WallIconName; state: ExtensionState }> = {
  ringing: { label: 'Ringing', icon: 'bell', state: 'ringing' },
  waiting: { label: 'Waiting', icon: 'hourglass', state: 'on_hold' },
  on_hold: { label: 'On hold', icon: 'pause', state: 'on_hold' },
  talking: { label: 'Talking', icon: 'phone', state: 'in_call' },
};

export interface RowOpts {
  options: WallOptions;
  palette: Palette;
  scale: number;
  partyWidth: number;
  queueColumn: boolean;
}

/** A party in its column: the name (ellipsised) over the number; the number whole or shortened at a digit group. */
function Party({
  number,
  name,
  opts,
  styles,
}: {
  number?: string;
  name?: string;
  opts: RowOpts;
  styles: CallBoardStyles;
}) {
  const formatted = formatNumber(number, opts.options.numberFormat, opts.options.defaultCountry);
  const s = opts.scale;
  const named = name && name !== number ? name : undefined;
  const primary = named
    ? fitName(named, opts.partyWidth, { size: BOARD.font * s }) || named
    : fitNumber(formatted || 'unknown', opts.partyWidth, { size: BOARD.font * s });
  const secondary = named && formatted ? fitNumber(formatted, opts.partyWidth, { size: 12 * s }) : '';
  return (
    <span role="cell" className={styles.party} title={[named, formatted].filter(Boolean).join(' ')}>
      <span className={styles.primary} data-number={named ? undefined : 'party'}>
        {primary}
      </span>
      {secondary && (
        <span className={styles.secondary} data-number="party">
          {secondary}
        </span>
      )}
    </span>
  );
}

/** One active call: direction, the two parties, queue, phase and a ticking duration (flagged when long). */
export const CallRow = memo(function CallRow({
  call,
  opts,
  styles,
  theme,
}: {
  call: ActiveCallRow;
  opts: RowOpts;
  styles: CallBoardStyles;
  theme: GrafanaTheme2;
}) {
  const frozen = call.stale ? call.staleSince : undefined;
  const long = useOver(call.startedAt, opts.options.longCallSeconds, frozen);
  const phase = PHASE[call.phase];
  const ink = opts.palette[phase.state].accent;
  const dir = DIRECTION[call.direction ?? ''] ?? { icon: 'exchange-alt' as WallIconName, label: call.direction ?? '' };
  const answered = call.answeredBy !== undefined;
  return (
    <div
      className={cx(styles.row, styles.body, long && styles.long, call.stale && styles.stale)}
      role="row"
      data-testid={testIds.callRow}
      data-phase={call.phase}
      data-long-call={long || undefined}
      data-stale={call.stale || undefined}
    >
      <span role="cell" className={styles.dir} title={dir.label}>
        <WallIcon name={dir.icon} color={theme.colors.text.secondary} title={dir.label} />
      </span>
      <Party number={call.from} name={call.fromName} opts={opts} styles={styles} />
      <Party
        number={answered ? call.answeredBy : call.to}
        name={answered ? call.answeredByName : call.toName}
        opts={opts}
        styles={styles}
      />
      {opts.queueColumn && (
        <span role="cell" className={styles.secondaryCell}>
          {call.queue ?? ''}
        </span>
      )}
      <span role="cell" className={styles.phase} style={{ color: ink }}>
        <WallIcon name={phase.icon} color={ink} />
        {phase.label}
      </span>
      <span role="cell" className={cx(styles.duration, styles.right)} data-number="duration">
        {long && <WallIcon name="clock-nine" color={theme.colors.warning.text} title="Long call" />}
        {call.stale && frozen === undefined ? (
          '\u2013'
        ) : (
          <Elapsed since={call.startedAt} kind="duration" frozenAt={frozen} />
        )}
      </span>
    </div>
  );
});
