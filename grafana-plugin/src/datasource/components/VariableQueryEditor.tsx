import React, { type ChangeEvent } from 'react';
import type { SelectableValue } from '@grafana/data';
import { InlineField, InlineFieldRow, Input, RadioButtonGroup } from '@grafana/ui';
import { parseVariableQuery } from '../variables';
import type { PbxVariableQuery } from '../types';
import { testIds } from './testIds';

interface Props {
  /** Older dashboards may hold the string form (`extensions pbx=main`). */
  query: PbxVariableQuery | string;
  onChange: (query: PbxVariableQuery, definition?: string) => void;
}

const KINDS: Array<SelectableValue<PbxVariableQuery['kind']>> = [
  { value: 'extensions', label: 'Extensions' },
  { value: 'queues', label: 'Queues' },
  { value: 'pbx', label: 'PBX' },
  { value: 'trunks', label: 'Trunks' },
];

export function definitionOf(q: PbxVariableQuery): string {
  return q.pbx ? `${q.kind} pbx=${q.pbx}` : q.kind;
}

export function VariableQueryEditor({ query, onChange }: Props) {
  let current: PbxVariableQuery;
  try {
    current = parseVariableQuery(query || 'extensions');
  } catch {
    current = { refId: 'variable', kind: 'extensions' };
  }
  const update = (patch: Partial<PbxVariableQuery>) => {
    const next = { ...current, refId: current.refId || 'variable', ...patch };
    onChange(next, definitionOf(next));
  };
  return (
    <InlineFieldRow>
      <InlineField label="Values" labelWidth={12}>
        <RadioButtonGroup
          data-testid={testIds.variable.kind}
          options={KINDS}
          value={current.kind}
          onChange={(kind) => update({ kind })}
        />
      </InlineField>
      {current.kind !== 'pbx' && (
        <InlineField label="PBX" tooltip="Only this PBX (variables allowed); empty for all">
          <Input
            data-testid={testIds.variable.pbx}
            width={20}
            value={current.pbx ?? ''}
            placeholder="all"
            onChange={(e: ChangeEvent<HTMLInputElement>) => update({ pbx: e.target.value || undefined })}
          />
        </InlineField>
      )}
    </InlineFieldRow>
  );
}
