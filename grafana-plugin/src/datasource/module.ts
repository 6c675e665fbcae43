import { DataSourcePlugin } from '@grafana/data';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { PbxDataSource } from './datasource';
import type { PbxDataSourceOptions, PbxQuery, PbxSecureJsonData } from './types';

export const plugin = new DataSourcePlugin<PbxDataSource, PbxQuery, PbxDataSourceOptions, PbxSecureJsonData>(
  PbxDataSource
)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
