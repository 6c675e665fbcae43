import type { DataSourceInstanceSettings, TestDataSourceResponse } from '@grafana/data';
import { getDataSourceSrv } from '@grafana/runtime';
import { DATASOURCE_ID } from '../constants';

export interface CheckResult {
  uid: string;
  name: string;
  status: 'success' | 'error';
  message: string;
}

export function switchboardDataSources(): DataSourceInstanceSettings[] {
  return getDataSourceSrv().getList({ pluginId: DATASOURCE_ID });
}

/** Runs each Switchboard data source's own test (reachable, ready, token accepted), one result per source. */
export async function checkAll(list = switchboardDataSources()): Promise<CheckResult[]> {
  return Promise.all(
    list.map(async (settings): Promise<CheckResult> => {
      try {
        const ds = await getDataSourceSrv().get(settings.uid);
        const res = (await ds.testDatasource?.()) as TestDataSourceResponse | undefined;
        return {
          uid: settings.uid,
          name: settings.name,
          status: res?.status === 'success' ? 'success' : 'error',
          message: res?.message ?? 'The data source has no connection test',
        };
      } catch (err) {
        return {
          uid: settings.uid,
          name: settings.name,
          status: 'error',
          message: err instanceof Error ? err.message : String(err),
        };
      }
    })
  );
}
