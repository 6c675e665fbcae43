import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { DataSourceSettings } from '@grafana/data';
import type { PbxDataSource } from '../datasource';
import type { PbxDataSourceOptions, PbxQuery, PbxSecureJsonData } from '../types';
import { ConfigEditor } from './ConfigEditor';
import { QueryEditor } from './QueryEditor';
import { testIds } from './testIds';
import { VariableQueryEditor } from './VariableQueryEditor';

type Options = DataSourceSettings<PbxDataSourceOptions, PbxSecureJsonData>;

const baseOptions = (patch: Partial<Options> = {}): Options =>
  ({
    id: 1,
    uid: 'sb1',
    name: 'Switchboard',
    type: 'switchboard-pbx-datasource',
    access: 'proxy',
    jsonData: { url: 'http://exporter:10027' },
    secureJsonFields: {},
    ...patch,
  }) as Options;

describe('ConfigEditor', () => {
  it('keeps the URL in jsonData and the token in secureJsonData', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={baseOptions()} onOptionsChange={onOptionsChange} />);
    fireEvent.change(screen.getByTestId(testIds.config.url), { target: { value: ' http://pbx:10027 ' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: { url: 'http://pbx:10027' } })
    );
    fireEvent.change(screen.getByTestId(testIds.config.token), { target: { value: 's3cret' } });
    const last = onOptionsChange.mock.calls[onOptionsChange.mock.calls.length - 1][0];
    expect(last.secureJsonData).toEqual({ apiToken: 's3cret' });
    expect(JSON.stringify(last.jsonData)).not.toContain('s3cret');
  });

  it('shows a configured token as set, with a reset', () => {
    const onOptionsChange = jest.fn();
    render(
      <ConfigEditor options={baseOptions({ secureJsonFields: { apiToken: true } })} onOptionsChange={onOptionsChange} />
    );
    fireEvent.click(screen.getByRole('button', { name: /reset/i }));
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ secureJsonFields: { apiToken: false }, secureJsonData: { apiToken: '' } })
    );
  });

  it('forces proxy access (the token route needs it) and flags a bad URL', () => {
    const onOptionsChange = jest.fn();
    render(
      <ConfigEditor
        options={baseOptions({ access: 'direct', jsonData: { url: 'exporter' } })}
        onOptionsChange={onOptionsChange}
      />
    );
    expect(onOptionsChange).toHaveBeenCalledWith(expect.objectContaining({ access: 'proxy' }));
    expect(screen.getByText('An http:// or https:// URL')).toBeInTheDocument();
  });
});

describe('QueryEditor', () => {
  const setup = (query: PbxQuery) => {
    const onChange = jest.fn();
    const onRunQuery = jest.fn();
    render(<QueryEditor datasource={{} as PbxDataSource} query={query} onChange={onChange} onRunQuery={onRunQuery} />);
    return { onChange, onRunQuery };
  };

  it('switches query type and runs', () => {
    const { onChange, onRunQuery } = setup({ refId: 'A', queryType: 'extensions' });
    fireEvent.click(screen.getByLabelText('Calls') ?? screen.getByText('Calls'));
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ queryType: 'calls' }));
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('calls offer every history filter; extensions the live ones and the live switch', () => {
    setup({ refId: 'A', queryType: 'calls' });
    for (const label of ['PBX', 'Extension', 'Queue', 'Direction', 'Status', 'Search', 'Limit']) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }
    expect(screen.queryByTestId(testIds.query.live)).toBeNull();
  });

  it('calls: the call-back lookup is a switch, off by default', () => {
    const { onChange, onRunQuery } = setup({ refId: 'A', queryType: 'calls' });
    const sw = screen.getByTestId(testIds.query.callBack);
    expect(sw).not.toBeChecked();
    fireEvent.click(sw);
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ callBack: true }));
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('edits a filter with a variable and runs on blur', () => {
    const { onChange, onRunQuery } = setup({ refId: 'A', queryType: 'extensions' });
    expect(screen.getByTestId(testIds.query.live)).toBeInTheDocument();
    const input = screen.getByLabelText('Extension');
    fireEvent.change(input, { target: { value: '$extension' } });
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ extension: '$extension' }));
    expect(onRunQuery).not.toHaveBeenCalled();
    fireEvent.blur(input);
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('stats offer group by, interval, SL threshold and metrics', () => {
    setup({ refId: 'A', queryType: 'stats' });
    expect(screen.getByLabelText('Interval')).toHaveAttribute('placeholder', '$__interval');
    expect(screen.getByLabelText('SL threshold')).toBeInTheDocument();
    expect(screen.getByText('Group by')).toBeInTheDocument();
    expect(screen.getByLabelText('Metrics')).toBeInTheDocument();
  });
});

describe('VariableQueryEditor', () => {
  it('edits kind and pbx, with a readable definition', () => {
    const onChange = jest.fn();
    render(<VariableQueryEditor query="extensions pbx=main" onChange={onChange} />);
    expect(screen.getByTestId(testIds.variable.pbx)).toHaveValue('main');
    fireEvent.click(screen.getByLabelText('Queues') ?? screen.getByText('Queues'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'variable', kind: 'queues', pbx: 'main' }, 'queues pbx=main');
  });
});
