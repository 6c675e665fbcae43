import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { PluginType } from '@grafana/data';
import { of } from 'rxjs';
import { setBackendSrv, setDataSourceSrv, type BackendSrv, type DataSourceSrv } from '@grafana/runtime';
import AppConfig from './AppConfig';
import { testIds } from './testIds';
import type { AppConfigProps } from './types';

const props = (jsonData = {}, secureJsonFields: Record<string, boolean> = {}) =>
  ({
    plugin: {
      meta: {
        id: 'switchboard-pbx-app',
        name: 'Switchboard',
        type: PluginType.app,
        enabled: true,
        jsonData,
        secureJsonFields,
      },
    },
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

  describe('call control settings', () => {
    let posted: unknown[];
    const reload = jest.fn();
    beforeEach(() => {
      posted = [];
      setBackendSrv({
        fetch: jest.fn((req: { data: unknown }) => {
          posted.push(req);
          return of({ data: {}, status: 200 });
        }),
      } as unknown as BackendSrv);
      Object.defineProperty(window, 'location', { value: { ...window.location, reload }, configurable: true });
      dataSources({});
    });

    it('a stored token shows as configured, never its value; Reset then Save clears it', async () => {
      render(<AppConfig {...props({ apiUrl: 'http://switchboard:10027' }, { controlToken: true })} />);
      const token = screen.getByTestId(testIds.controlToken);
      expect(token).toHaveValue('configured');
      expect(token).toBeDisabled();
      expect(screen.getByTestId(testIds.save)).toBeDisabled();
      fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
      fireEvent.click(screen.getByTestId(testIds.save));
      await waitFor(() => expect(reload).toHaveBeenCalled());
      expect(posted).toEqual([
        expect.objectContaining({
          url: '/api/plugins/switchboard-pbx-app/settings',
          method: 'POST',
          data: expect.objectContaining({ secureJsonData: { controlToken: '' } }),
        }),
      ]);
    });

    it('saves the URL Grafana uses and a new token; a bad URL cannot be saved', async () => {
      render(<AppConfig {...props()} />);
      fireEvent.change(screen.getByTestId(testIds.apiUrl), { target: { value: 'switchboard:10027' } });
      expect(screen.getByText(/Use an http/)).toBeInTheDocument();
      expect(screen.getByTestId(testIds.save)).toBeDisabled();
      fireEvent.change(screen.getByTestId(testIds.apiUrl), { target: { value: 'http://switchboard:10027/' } });
      fireEvent.change(screen.getByTestId(testIds.controlToken), { target: { value: 'control-token-0123456789' } });
      fireEvent.click(screen.getByTestId(testIds.save));
      await waitFor(() => expect(posted).toHaveLength(1));
      expect((posted[0] as { data: unknown }).data).toEqual({
        enabled: true,
        pinned: true,
        jsonData: { exporterUrl: '', apiUrl: 'http://switchboard:10027' },
        secureJsonData: { controlToken: 'control-token-0123456789' },
      });
    });
  });
});
