import React, { memo } from 'react';
import { cx } from '@emotion/css';
import type { ExtensionRow } from '../model/extensions';
import { formatNumber } from '../model/format';
import { CARD } from '../model/layout';
import type { Palette } from '../model/palette';
import { STATES, type ExtensionState } from '../model/states';
import { fitNumber, fitParty, textWidth } from '../model/text';
import type { ColorMode, NumberFormat, ShowField } from '../types';
import { StateIcon } from './StateIcon';
import { WallIcon } from './WallIcon';
import type { WallStyles } from './styles';
import { testIds } from './testIds';
import { Elapsed, useOver } from './Ticking';

/** What every card of a wall shares; one object per render of the wall, so cards compare it by identity. */
export interface CardOptions {
  show: ReadonlySet<ShowField>;
  colorMode: ColorMode;
  longCallSeconds: number;
  longIdleSeconds: number;
  numberFormat: NumberFormat;
  defaultCountry: string;
  palette: Palette;
  stateClass: Record<ExtensionState, string>;
  /** The cell's width and the scale, for fitting numbers before they are drawn. */
  cellWidth: number;
  scale: number;
}

interface Props {
  row: ExtensionRow;
  styles: WallStyles;
  opts: CardOptions;
}

/** When a stale row's timers stop; `null`: stale, but since when is unknown (the timer shows a dash). */
export function frozenAt(row: ExtensionRow): number | null | undefined {
  return row.stale ? (row.staleSince ?? null) : undefined;
}

const USER_STATUS_TEXT: Record<string, string> = {
  away: 'Away',
  busy: 'Busy',
  do_not_disturb: 'Do not disturb',
  in_meeting: 'In a meeting',
  out_of_office: 'Out of office',
};

/**
 * What the person said about themselves, in one line: the status (unless just "available") and the message. Empty
 * when there is nothing to say.
 */
function userStatusText(row: Pick<ExtensionRow, 'userStatus' | 'userStatusMessage'>): string {
  const status = row.userStatus && row.userStatus !== 'available' ? (USER_STATUS_TEXT[row.userStatus] ?? row.userStatus) : '';
  const message = row.userStatusMessage?.trim() ?? '';
  return status && message ? `${status}: ${message}` : status || message;
}

export function cardLabel(row: ExtensionRow, label: string, flags: string[]): string {
  return `${row.extension}${row.name ? ` ${row.name}` : ''}: ${[label, ...flags].join(', ')}`;
}

function Card({ row, styles, opts }: Props) {
  const info = STATES[row.state];
  const look = opts.palette[row.state];
  const { show, scale } = opts;
  const ink = opts.colorMode === 'background' ? look.fg : look.accent;
  const stateInk = opts.colorMode === 'background' ? look.fg : look.accent;
  const since = info.inCall ? row.callStartedAt : undefined;
  const idleSince = row.state === 'idle' ? row.idleSince : undefined;
  const frozen = frozenAt(row);
  const longCall = useOver(since, opts.longCallSeconds, frozen ?? undefined);
  const longIdle = useOver(idleSince, opts.longIdleSeconds, frozen ?? undefined);
  const paused = new Set(row.pausedQueues);
  const said = userStatusText(row);
  const label = cardLabel(row, look.label, [
    ...(longCall ? ['long call'] : []),
    ...(longIdle ? ['idle for long'] : []),
    ...(row.stale ? ['data stale'] : []),
    ...(said ? [said] : []),
  ]);

  const inner = opts.cellWidth - 2 * CARD.padding * scale - 2;
  const offline = show.has('registration') && !row.registered;
  const voicemail = show.has('voicemail') && (row.voicemailNew ?? 0) > 0;
  const badges =
    (offline ? textWidth('offline', { size: 13 * scale }) + 23 * scale : 0) +
    (voicemail ? textWidth(String(row.voicemailNew), { size: 13 * scale }) + 23 * scale : 0);
  const number = fitNumber(row.extension, inner - badges, { size: 22 * scale, spacing: 0.01 });

  const partyRoom = inner - 20 * scale;
  const party =
    info.inCall && (row.counterpart || row.counterpartName)
      ? fitParty(
          row.counterpartName && row.counterpartName !== row.counterpart ? row.counterpartName : undefined,
          formatNumber(row.counterpart, opts.numberFormat, opts.defaultCountry) || undefined,
          partyRoom,
          { name: { size: 14 * scale }, number: { size: 12 * scale }, gap: 6 * scale }
        )
      : undefined;

  return (
    <div {...itemProps(row, opts, styles, { kind: 'card', label, longCall, longIdle })}>
      <div className={styles.topRow}>
        <span className={styles.number} data-number="extension">
          {number}
        </span>
        {offline && (
          <span className={styles.badge} title="Not registered">
            <WallIcon name="plug" color={ink} />
            offline
          </span>
        )}
        {voicemail && (
          <span className={styles.badge} title={`${row.voicemailNew} new voicemail`} data-role="voicemail">
            <WallIcon name="envelope" color={ink} />
            <span data-number="voicemail">{row.voicemailNew}</span>
          </span>
        )}
      </div>
      {show.has('name') && (
        <div className={cx(styles.row, styles.name)}>
          <span className={styles.ellipsis}>{row.name ?? '\u00a0'}</span>
          {said && (
            <span className={cx(styles.ellipsis, styles.secondary)} data-role="user-status" title={said}>
              {said}
            </span>
          )}
        </div>
      )}
      <div className={styles.row}>
        <StateIcon state={row.state} color={stateInk} className={styles.stateIcon} />
        <span className={styles.stateLabel} data-role="state">
          {look.label}
        </span>
        {show.has('duration') && since !== undefined && (
          <span className={styles.timer} data-role="duration" data-number="duration">
            {longCall && <WallIcon name="clock-nine" color={ink} title="Long call" />}
            <Timer since={since} kind="duration" frozen={frozen} />
          </span>
        )}
        {show.has('idle') && idleSince !== undefined && (
          <span
            className={cx(styles.timer, longIdle && styles.longIdle)}
            data-role="idle"
            data-number="idle"
            title="Idle since the last call"
          >
            {longIdle && <WallIcon name="hourglass" color={ink} title="Idle for long" />}
            <Timer since={idleSince} kind="idle" frozen={frozen} />
          </span>
        )}
      </div>
      {show.has('counterpart') && (
        <div className={styles.row} data-role="counterpart">
          {party && (party.name || party.number) ? (
            <>
              <WallIcon name="exchange-alt" color={ink} />
              {party.name && <span className={styles.partyName}>{party.name}</span>}
              {party.number && (
                <span
                  className={cx(styles.partyNumber, party.name && styles.secondary)}
                  data-number="counterpart"
                  title={row.counterpart}
                >
                  {party.number}
                </span>
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

/**
 * What a card and a tile share on their outer element: the state's class (value mappings), blinking when ringing,
 * outlined when long, hatched when stale; the test ids and data attributes the tests and the harness read; the
 * accessible label.
 */
export function itemProps(
  row: ExtensionRow,
  opts: CardOptions,
  styles: WallStyles,
  item: { kind: 'card' | 'tile'; label: string; longCall: boolean; longIdle?: boolean }
) {
  return {
    className: cx(
      item.kind === 'card' ? styles.card : styles.tile,
      opts.stateClass[row.state],
      row.state === 'ringing' && styles.ringing,
      item.longCall && styles.longCall[opts.colorMode],
      row.stale && styles.stale
    ),
    'data-testid': testIds.card,
    'data-kind': item.kind,
    'data-state': row.state,
    'data-extension': row.extension,
    'data-long-call': item.longCall || undefined,
    'data-long-idle': item.longIdle || undefined,
    'data-stale': row.stale || undefined,
    role: 'listitem',
    'aria-label': item.label,
    title: item.label,
  };
}

/** A ticking time, or the time at which the data stopped, or a dash when that moment is unknown. */
export function Timer({
  since,
  kind,
  frozen,
}: {
  since: number;
  kind: 'duration' | 'idle';
  frozen: number | null | undefined;
}) {
  if (frozen === null) {
    return <>{'\u2013'}</>;
  }
  return <Elapsed since={since} kind={kind} frozenAt={frozen} />;
}

export function sameRow(a: ExtensionRow, b: ExtensionRow): boolean {
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
    a.userStatus === b.userStatus &&
    a.userStatusMessage === b.userStatusMessage &&
    a.stale === b.stale &&
    a.staleSince === b.staleSince &&
    a.queues.join() === b.queues.join() &&
    a.pausedQueues.join() === b.pausedQueues.join()
  );
}

/** Re-renders only when the extension's own data changes: a delta for one phone repaints one card. */
export const ExtensionCard = memo(
  Card,
  (prev, next) => prev.styles === next.styles && prev.opts === next.opts && sameRow(prev.row, next.row)
);
