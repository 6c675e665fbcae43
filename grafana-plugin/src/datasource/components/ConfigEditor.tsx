import React, { type ChangeEvent, useEffect } from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, FieldSet, Input, SecretInput, Stack, Text, TextLink } from '@grafana/ui';
import type { PbxDataSourceOptions, PbxSecureJsonData } from '../types';
import { testIds } from './testIds';

type Props = DataSourcePluginOptionsEditorProps<PbxDataSourceOptions, PbxSecureJsonData>;

/**
 * The exporter URL is used by Grafana's server (the `api` proxy route), not the browser; the token lives in
 * secureJsonData and is injected by that route as `Authorization: Bearer …`.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields, secureJsonData } = options;

  useEffect(() => {
    // The proxy route only exists for server access.
    if (options.access !== 'proxy') {
      onOptionsChange({ ...options, access: 'proxy' });
    }
  }, [options, onOptionsChange]);

  const setJson = (patch: Partial<PbxDataSourceOptions>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, ...patch } });

  const onTokenChange = (event: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, secureJsonData: { apiToken: event.target.value } });

  const onTokenReset = () =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, apiToken: false },
      secureJsonData: { ...secureJsonData, apiToken: '' },
    });

  const url = jsonData.url ?? '';
  const badUrl = url !== '' && !/^https?:\/\/[^/\s]+/.test(url);

  return (
    <Stack direction="column" gap={2}>
      <FieldSet label="Switchboard exporter">
        <Field
          label="Exporter URL"
          description="As Grafana's server reaches it, e.g. http://switchboard:10027. The browser never calls it directly."
          invalid={badUrl}
          error={badUrl ? 'An http:// or https:// URL' : undefined}
          required
        >
          <Input
            data-testid={testIds.config.url}
            width={50}
            value={url}
            placeholder="http://localhost:10027"
            onChange={(e: ChangeEvent<HTMLInputElement>) => setJson({ url: e.target.value.trim() })}
          />
        </Field>
        <Field
          label="API token"
          description="One of the exporter's auth.tokens. Stored encrypted; sent by Grafana's data-source proxy only."
        >
          <SecretInput
            data-testid={testIds.config.token}
            width={50}
            isConfigured={Boolean(secureJsonFields?.apiToken)}
            value={secureJsonData?.apiToken ?? ''}
            placeholder="Token"
            onChange={onTokenChange}
            onReset={onTokenReset}
          />
        </Field>
        <Field
          label="Polling interval (seconds)"
          description="Live panels poll at this period while the live stream is unavailable."
        >
          <Input
            data-testid={testIds.config.poll}
            type="number"
            width={12}
            min={1}
            value={jsonData.pollIntervalSeconds ?? 5}
            onChange={(e: ChangeEvent<HTMLInputElement>) =>
              setJson({ pollIntervalSeconds: Math.max(1, Number(e.target.value) || 5) })
            }
          />
        </Field>
      </FieldSet>
      <Text color="secondary">
        Save &amp; test checks three things in turn: the exporter is reachable, it is ready, and it accepts the token.
        {url && !badUrl ? (
          <>
            {' '}
            API docs:{' '}
            <TextLink href={`${url.replace(/\/$/, '')}/docs`} external>{`${url.replace(/\/$/, '')}/docs`}</TextLink>
          </>
        ) : null}
      </Text>
    </Stack>
  );
}
