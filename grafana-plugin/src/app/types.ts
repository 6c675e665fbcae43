import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';

export interface AppSettings {
  /** Where people open the exporter (landing page, API docs); the data sources hold the URL Grafana uses. */
  exporterUrl?: string;
}

export type AppConfigProps = PluginConfigPageProps<AppPluginMeta<AppSettings>>;
