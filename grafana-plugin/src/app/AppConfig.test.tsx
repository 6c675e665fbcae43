import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { PluginType } from '@grafana/data';
import { setDataSourceSrv, type DataSourceSrv } from '@grafana/runtime';
import AppConfig from './AppConfig';
import { testIds } from './testIds';
import type { AppConfigProps } from './types';

const props = (jsonData = {}) =>
  ({
    plugin: { meta: { id: 'switchboard-pbx-app', name: 'Switchboard', type: PluginType.app, enabled: true, jsonData } },
    query: {},
  }) as unknown as AppConfigProps;

function dataSources(results: Record<string, { status: string; message: string } | Error>) {
  const list = Object.keys(results).map((name, i) => ({ uid: `u${i}`, name, type: 'switchboard-pbx-datasource' }));
  setDataSourceSrv({
    getList: jest.fn(() => list),
    get: jest.fn(async (uid: string) => {
      const name = list.find((l) => l.uid === uid)!.name;
      const r = results[name];
      return { testDatasource: async () => (r instanceof Error ? Promise.reject(r) : r) };
    }),
  } as unknown as DataSourceSrv);
}

describe('AppConfig', () => {
  it('checks every Switchboard data source and shows each result', async () => {
    dataSources({
      Main: { status: 'success', message: 'Connected to the Switchboard exporter 0.1.0: 6 extensions live.' },
      Branch: { status: 'error', message: 'Authentication failed (HTTP 401)' },
      Broken: new Error('plugin failed to load'),
    });
    render(<AppConfig {...props({ exporterUrl: 'http://exporter:10027' })} />);
    expect(screen.getByText('Open exporter')).toHaveAttribute('href', 'http://exporter:10027');
    expect(screen.getByText('API docs')).toHaveAttribute('href', 'http://exporter:10027/docs');
    fireEvent.click(screen.getByTestId(testIds.check));
    await waitFor(() => expect(screen.getAllByTestId(testIds.result)).toHaveLength(3));
    expect(screen.getByText(/6 extensions live/)).toBeInTheDocument();
    expect(screen.getByText(/HTTP 401/)).toBeInTheDocument();
    expect(screen.getByText('plugin failed to load')).toBeInTheDocument();
  });

  it('explains what to do without a data source', () => {
    dataSources({});
    render(<AppConfig {...props()} />);
    expect(screen.getByText('No Switchboard data source yet')).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.check)).toBeNull();
  });
});
