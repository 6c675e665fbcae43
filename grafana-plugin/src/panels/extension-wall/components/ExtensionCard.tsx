import React, { memo } from 'react';
import { cx } from '@emotion/css';
import { useTheme2 } from '@grafana/ui';
import type { ExtensionRow } from '../model/extensions';
import { partyLabel } from '../model/format';
import { STATES } from '../model/states';
import type { ColorMode, NumberFormat, ShowField } from '../types';
import { StateIcon } from './StateIcon';
import { WallIcon } from './WallIcon';
import { stateColors, type WallStyles } from './styles';
import { testIds } from './testIds';
import { Elapsed, useOver } from './Ticking';

export interface CardOptions {
  show: ReadonlySet<ShowField>;
  colorMode: ColorMode;
  longCallSeconds: number;
  longIdleSeconds: number;
  numberFormat: NumberFormat;
  defaultCountry: string;
}

interface Props {
  row: ExtensionRow;
  styles: WallStyles;
  opts: CardOptions;
}

function Card({ row, styles, opts }: Props) {
  const theme = useTheme2();
  const info = STATES[row.state];
  const { show } = opts;
  const colors = stateColors(theme, row.state);
  const ink = opts.colorMode === 'background' ? colors.fg : theme.colors.text.primary;
  const stateInk = opts.colorMode === 'background' ? colors.fg : colors.accent;
  const since = info.inCall ? row.callStartedAt : undefined;
  const idleSince = row.state === 'idle' ? row.idleSince : undefined;
  const longCall = useOver(since, opts.longCallSeconds);
  const longIdle = useOver(idleSince, opts.longIdleSeconds);
  const party =
    info.inCall && (row.counterpart || row.counterpartName)
      ? partyLabel(row.counterpart, row.counterpartName, opts.numberFormat, opts.defaultCountry)
      : undefined;
  const paused = new Set(row.pausedQueues);
  const label = `${row.extension}${row.name ? ` ${row.name}` : ''}: ${info.label}${longCall ? ', long call' : ''}${longIdle ? ', idle for long' : ''}`;

  return (
    <div
      className={cx(
        styles.card,
        styles.stateClass[opts.colorMode][row.state],
        row.state === 'ringing' && styles.ringing,
        longCall && styles.longCall[opts.colorMode]
      )}
      data-testid={testIds.card}
      data-state={row.state}
      data-extension={row.extension}
      data-long-call={longCall || undefined}
      data-long-idle={longIdle || undefined}
      role="listitem"
      aria-label={label}
      title={label}
    >
      <div className={styles.topRow}>
        <span className={styles.number}>{row.extension}</span>
        {show.has('registration') && !row.registered && (
          <span className={styles.badge} title="Not registered">
            <WallIcon name="plug" color={ink} />
            offline
          </span>
        )}
        {show.has('voicemail') && (row.voicemailNew ?? 0) > 0 && (
          <span className={styles.badge} title={`${row.voicemailNew} new voicemail`} data-role="voicemail">
            <WallIcon name="envelope" color={ink} />
            {row.voicemailNew}
          </span>
        )}
      </div>
      {show.has('name') && (
        <div className={cx(styles.row, styles.name)}>
          <span className={styles.ellipsis}>{row.name ?? '\u00a0'}</span>
        </div>
      )}
      <div className={styles.row}>
        <StateIcon state={row.state} color={stateInk} className={styles.stateIcon} />
        <span className={styles.stateLabel} data-role="state">
          {info.label}
        </span>
        {show.has('duration') && since !== undefined && (
          <span className={styles.timer} data-role="duration">
            {longCall && <WallIcon name="clock-nine" color={ink} title="Long call" />}
            <Elapsed since={since} kind="duration" />
          </span>
        )}
        {show.has('idle') && idleSince !== undefined && (
          <span
            className={cx(styles.timer, longIdle && styles.longIdle)}
            data-role="idle"
            title="Idle since the last call"
          >
            {longIdle && <WallIcon name="hourglass" color={ink} title="Idle for long" />}
            <Elapsed since={idleSince} kind="idle" />
          </span>
        )}
      </div>
      {show.has('counterpart') && (
        <div className={styles.row} data-role="counterpart">
          {party ? (
            <>
              <WallIcon name="exchange-alt" color={ink} />
              <span className={cx(styles.ellipsis, styles.partyName)}>{party.primary}</span>
              {party.secondary && (
                <span className={cx(styles.ellipsis, styles.secondary, styles.partyNumber)}>{party.secondary}</span>
              )}
            </>
          ) : (
            '\u00a0'
          )}
        </div>
      )}
      {show.has('queues') && (
        <div className={styles.queues} data-role="queues">
          {row.queues.map((q) => (
            <span
              key={q}
              className={cx(styles.queue, paused.has(q) && styles.queuePaused)}
              title={paused.has(q) ? `${q}: paused` : q}
            >
              {paused.has(q) && <WallIcon name="pause" color={ink} />}
              {q}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}

function sameRow(a: ExtensionRow, b: ExtensionRow): boolean {
  return (
    a.key === b.key &&
    a.state === b.state &&
    a.name === b.name &&
    a.registered === b.registered &&
    a.counterpart === b.counterpart &&
    a.counterpartName === b.counterpartName &&
    a.callStartedAt === b.callStartedAt &&
    a.idleSince === b.idleSince &&
    a.voicemailNew === b.voicemailNew &&
    a.queues.join() === b.queues.join() &&
    a.pausedQueues.join() === b.pausedQueues.join()
  );
}

/** Re-renders only when the extension's own data changes: a delta for one phone repaints one card. */
export const ExtensionCard = memo(
  Card,
  (prev, next) => prev.styles === next.styles && prev.opts === next.opts && sameRow(prev.row, next.row)
);
