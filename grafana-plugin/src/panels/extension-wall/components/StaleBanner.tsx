import React from 'react';
import { cx } from '@emotion/css';
import { dateTimeFormat } from '@grafana/data';
import type { TimeZone } from '@grafana/schema';
import { useTheme2 } from '@grafana/ui';
import { useClock } from '../clock';
import { formatIdle } from '../model/format';
import { bannerBox } from '../model/layout';
import type { StaleNotice } from '../model/staleness';
import type { WallStyles } from './styles';
import { testIds } from './testIds';
import { WallIcon } from './WallIcon';

/** Lines the banner shows at most; the rest are summed up on the last. */
export const BANNER_LINES = 3;

export function bannerLines(notices: StaleNotice[]): number {
  return Math.min(notices.length, BANNER_LINES);
}

/**
 * On the wall itself, not only in the panel header: which PBX (or the exporter) is down, since when and for how
 * long, and that what is shown is its last known state with the timers stopped.
 */
export function StaleBanner({
  notices,
  styles,
  scale,
  timeZone,
}: {
  notices: StaleNotice[];
  styles: WallStyles;
  scale: number;
  timeZone?: TimeZone;
}) {
  const theme = useTheme2();
  if (notices.length === 0) {
    return null;
  }
  const shown = notices.length > BANNER_LINES ? notices.slice(0, BANNER_LINES - 1) : notices;
  const rest = notices.length - shown.length;
  const warning = notices.some((n) => n.kind !== 'history');
  const ink = warning ? theme.colors.warning.contrastText : theme.colors.text.primary;
  const box = bannerBox(bannerLines(notices), scale);
  return (
    <div
      className={cx(styles.banner, !warning && styles.bannerInfo)}
      style={{ height: box.height, marginBottom: box.below }}
      data-testid={testIds.banner}
      role={warning ? 'alert' : 'status'}
    >
      {shown.map((n) => (
        <div key={n.key} className={styles.bannerLine} data-kind={n.kind} data-pbx={n.pbx} data-since={n.since}>
          <span className={styles.bannerIcon}>
            <WallIcon name={n.kind === 'history' ? 'clock-nine' : 'plug'} color={ink} />
          </span>
          <NoticeText notice={n} styles={styles} timeZone={timeZone} />
        </div>
      ))}
      {rest > 0 && (
        <div className={styles.bannerLine} data-kind="more">
          {`and ${rest} more: see the panel's notices`}
        </div>
      )}
    </div>
  );
}

function NoticeText({ notice, styles, timeZone }: { notice: StaleNotice; styles: WallStyles; timeZone?: TimeZone }) {
  switch (notice.kind) {
    case 'exporter':
      return (
        <>
          <span className={styles.bannerStrong}>Exporter unreachable</span>
          <Since since={notice.since} timeZone={timeZone} styles={styles} />
        </>
      );
    case 'pbx':
      return (
        <>
          <span className={styles.bannerStrong}>{notice.pbx ? `PBX ${notice.pbx} disconnected` : 'Data stale'}</span>
          <Since since={notice.since} timeZone={timeZone} styles={styles} reason={notice.reason} />
        </>
      );
    case 'history':
      return (
        <>
          <span className={styles.bannerStrong}>{`PBX ${notice.pbx}`}</span>
          <span className={styles.bannerRest}>keeps call history only: no live state to show</span>
        </>
      );
    default:
      return <span className={styles.bannerRest}>{notice.text}</span>;
  }
}

function Since({
  since,
  timeZone,
  styles,
  reason,
}: {
  since?: number;
  timeZone?: TimeZone;
  styles: WallStyles;
  reason?: string;
}) {
  const ago = useClock((now) => (since === undefined ? '' : formatIdle(now - since)));
  const at = since === undefined ? '' : dateTimeFormat(since, { timeZone, format: clockFormat(since) });
  const parts = [
    since === undefined ? '' : `since ${at} (${ago} ago)`,
    reason ?? '',
    'last known state, timers stopped',
  ].filter(Boolean);
  return <span className={styles.bannerRest}>{parts.join(' · ')}</span>;
}

/** The time of day; with the date when it was not today. */
function clockFormat(since: number): string {
  return new Date(since).toDateString() === new Date().toDateString() ? 'HH:mm:ss' : 'YYYY-MM-DD HH:mm';
}
