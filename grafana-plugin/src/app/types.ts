import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';

export interface AppSettings {
  /** Where people open the exporter (landing page, API docs); the data sources hold the URL Grafana uses. */
  exporterUrl?: string;
  /**
   * The exporter as Grafana's server reaches it, for call control through the app's proxy route `dial`
   * (plugin.json): in the compose stack `http://switchboard:10027`, which no browser can open.
   */
  apiUrl?: string;
}

/** Write-only settings: Grafana stores them encrypted and tells the page only whether each one is set. */
export interface AppSecureSettings {
  /** An exporter token with the `control` scope; the proxy route adds it, browsers never see it. */
  controlToken?: string;
}

export type AppConfigProps = PluginConfigPageProps<AppPluginMeta<AppSettings>>;
