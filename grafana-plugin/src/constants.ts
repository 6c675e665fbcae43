/** Plugin ids, as in docs/contracts.md §5 and each plugin.json. */
export const APP_ID = 'switchboard-pbx-app';
export const DATASOURCE_ID = 'switchboard-pbx-datasource';
export const PANEL_ID = 'switchboard-wall-panel';
