import {
  DashboardCursorSync,
  defaultDashboard,
  VariableHide,
  VariableRefresh,
  VariableSort,
  type AnnotationQuery,
  type Dashboard,
  type Panel,
  type RowPanel,
  type VariableModel,
} from '@grafana/schema';
import type { PbxVariableQuery } from '../../../grafana-plugin/src/datasource/types';
import { GRAFANA, PROMETHEUS, SWITCHBOARD } from './datasources';
import { flow } from './panels';
import type { SwitchboardTarget } from './queries';

/** The dashboard JSON schema version of the pinned @grafana/schema (Grafana migrates older ones on load). */
export const SCHEMA_VERSION = defaultDashboard.schemaVersion!;

export const TAGS = ['switchboard', 'pbx'];

/** A variable listing values from the Switchboard data source (the plugin's variable query model). */
export function sbVariable(
  name: string,
  label: string,
  query: Omit<PbxVariableQuery, 'refId'>,
  opts: { multi?: boolean; includeAll?: boolean; allValue?: string; hide?: VariableHide } = {},
): VariableModel {
  const v: VariableModel = {
    type: 'query',
    name,
    label,
    datasource: SWITCHBOARD,
    query: { refId: `var-${name}`, ...query },
    refresh: VariableRefresh.onDashboardLoad,
    sort: VariableSort.naturalAsc,
    multi: opts.multi ?? false,
    includeAll: opts.includeAll ?? false,
    current: opts.includeAll ? { text: 'All', value: '$__all' } : undefined,
    options: [],
    hide: opts.hide ?? VariableHide.dontHide,
  };
  if (opts.allValue !== undefined) v.allValue = opts.allValue;
  if (v.current === undefined) delete v.current;
  return v;
}

/** Every PBX the exporter knows; All = every PBX. */
export const pbxVariable = (opts: { allValue?: string } = {}): VariableModel =>
  sbVariable('pbx', 'PBX', { kind: 'pbx' }, { multi: true, includeAll: true, ...opts });

export function customVariable(
  name: string,
  label: string,
  values: Array<[value: string, text: string]>,
  opts: { includeAll?: boolean; allValue?: string; multi?: boolean } = {},
): VariableModel {
  const options = values.map(([value, text]) => ({ text, value, selected: false }));
  const v: VariableModel = {
    type: 'custom',
    name,
    label,
    query: values.map(([value, text]) => (value === text ? value : `${text} : ${value}`)).join(','),
    multi: opts.multi ?? false,
    includeAll: opts.includeAll ?? false,
    current: opts.includeAll ? { text: 'All', value: '$__all' } : { text: values[0][1], value: values[0][0] },
    options,
    hide: VariableHide.dontHide,
  };
  if (opts.allValue !== undefined) v.allValue = opts.allValue;
  return v;
}

export function textVariable(name: string, label: string, value = ''): VariableModel {
  return {
    type: 'textbox',
    name,
    label,
    query: value,
    current: { text: value, value },
    options: [],
    hide: VariableHide.dontHide,
  };
}

export function constantVariable(name: string, value: string, description: string): VariableModel {
  return {
    type: 'constant',
    name,
    query: value,
    description,
    hide: VariableHide.hideVariable,
    options: [],
    current: { text: value, value },
  };
}

/**
 * Outages of PBX connections and of the exporter itself, from the exporter's gap records: red regions on every graph.
 * Not narrowed by $pbx: the data source's PBX filter would drop the exporter's own gaps (they have no PBX).
 */
export function gapsAnnotation(): AnnotationQuery<SwitchboardTarget> {
  return {
    name: 'Gaps',
    datasource: SWITCHBOARD,
    enable: true,
    iconColor: 'red',
    target: { refId: 'gaps', queryType: 'gaps', datasource: SWITCHBOARD },
  };
}

/** PBX restarts, from the PBX's start time changing. */
export function restartsAnnotation(): AnnotationQuery {
  return {
    name: 'PBX restarts',
    datasource: PROMETHEUS,
    enable: true,
    iconColor: 'orange',
    target: {
      refId: 'restarts',
      expr: 'changes(pbx_start_time_seconds{pbx=~"$pbx"}[2m]) > 0',
      titleFormat: 'PBX {{pbx}} restarted',
      step: '60s',
    } as AnnotationQuery['target'],
  };
}

const builtIn: AnnotationQuery = {
  builtIn: 1,
  datasource: GRAFANA,
  enable: true,
  hide: true,
  iconColor: 'rgba(0, 211, 255, 1)',
  name: 'Annotations & Alerts',
  type: 'dashboard',
};

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  panels: Array<Panel | RowPanel>;
  variables: VariableModel[];
  annotations?: AnnotationQuery[];
  time?: { from: string; to: string };
  refresh?: string;
}

export function dashboard(s: DashboardSpec): Dashboard {
  return {
    uid: s.uid,
    title: s.title,
    description: s.description,
    tags: TAGS,
    editable: true,
    graphTooltip: DashboardCursorSync.Crosshair,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    time: s.time ?? { from: 'now-24h', to: 'now' },
    timepicker: {},
    timezone: 'browser',
    refresh: s.refresh ?? '1m',
    fiscalYearStartMonth: 0,
    links: [
      {
        title: 'Switchboard',
        type: 'dashboards',
        tags: ['switchboard'],
        asDropdown: false,
        includeVars: true,
        keepTime: true,
        icon: 'external link',
        targetBlank: false,
        tooltip: '',
      },
    ],
    annotations: { list: [builtIn, gapsAnnotation(), ...(s.annotations ?? [])] },
    templating: { list: s.variables },
    panels: flow(s.panels),
  };
}
