import React, { useEffect, useMemo } from 'react';
import { LoadingState, type PanelProps } from '@grafana/data';
import { PanelDataErrorView } from '@grafana/runtime';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { Clock, ClockContext } from '../clock';
import { callsFromFrames, isCallFrame } from '../model/calls';
import { extensionsFromFrames, isExtensionFrame } from '../model/extensions';
import { parkedFromFrames } from '../model/parked';
import { stateMappings, statePalette } from '../model/palette';
import { staleNotices } from '../model/staleness';
import type { WallOptions } from '../types';
import { CallBoard } from './CallBoard';
import { ExtensionWall } from './ExtensionWall';
import { PARKED_STRIP_HEIGHT, ParkedStrip } from './ParkedStrip';
import { getWallStyles } from './styles';
import { testIds } from './testIds';

/**
 * The panel is a pure function of its frames and options: frames → rows (model/), rows → cards. Time moves
 * through one Clock per panel, so durations tick without new data. Without a frame it can draw, Grafana's own
 * no-data / error view.
 */
export function WallPanel({
  id,
  data,
  options,
  fieldConfig,
  width,
  height,
  replaceVariables,
  timeZone,
}: PanelProps<WallOptions>) {
  const styles = useStyles2(getWallStyles);
  const theme = useTheme2();
  const clock = useMemo(() => new Clock(1000), []);
  useEffect(() => () => clock.stop(), [clock]);

  const wall = options.mode !== 'callboard';
  const frames = useMemo(() => data.series.filter(wall ? isExtensionFrame : isCallFrame), [data.series, wall]);
  const extensions = useMemo(() => (wall ? extensionsFromFrames(frames) : []), [frames, wall]);
  const calls = useMemo(() => (wall ? [] : callsFromFrames(frames)), [frames, wall]);
  // a parked-calls query beside the extensions: a strip above the wall
  const parked = useMemo(() => (wall ? parkedFromFrames(data.series) : []), [data.series, wall]);
  const notices = useMemo(() => staleNotices(frames, wall ? extensions : calls), [frames, wall, extensions, calls]);
  // value mappings are compared by content: Grafana hands the panel fresh copies with every frame
  const mappings = stateMappings(frames, fieldConfig?.defaults?.mappings);
  const mappingsKey = JSON.stringify(mappings ?? null);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const palette = useMemo(() => statePalette(mappings, theme), [mappingsKey, theme]);
  const filter = replaceVariables(options.filter ?? '');

  const noData = wall ? extensions.length === 0 : frames.length === 0;
  if (noData) {
    if (data.state === LoadingState.Loading || data.state === LoadingState.NotStarted) {
      return <div className={styles.root} data-testid={testIds.panel} data-mode={options.mode} />;
    }
    return (
      <PanelDataErrorView
        panelId={id}
        data={data}
        fieldConfig={fieldConfig}
        needsStringField
        message={
          !wall
            ? 'No call frame: query Active calls (frames with startedAt and from or to)'
            : frames.length > 0
              ? 'No extensions in the data'
              : 'No extensions: query Extensions (frames with extension and state fields)'
        }
      />
    );
  }

  // what both views draw with
  const strip = parked.length > 0 ? PARKED_STRIP_HEIGHT : 0;
  const view = { options, filter, width, height: height - strip, styles, palette, notices, timeZone };
  return (
    <ClockContext.Provider value={clock}>
      <div className={styles.root} data-testid={testIds.panel} data-mode={options.mode}>
        {strip > 0 && <ParkedStrip rows={parked} styles={styles} options={options} />}
        {wall ? <ExtensionWall rows={extensions} {...view} /> : <CallBoard calls={calls} {...view} />}
      </div>
    </ClockContext.Provider>
  );
}
