import React, { type ChangeEvent, useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, SecretInput, Stack, Text, TextLink } from '@grafana/ui';
import { APP_ID } from '../constants';
import { checkAll, switchboardDataSources, type CheckResult } from './connectionCheck';
import { apiUrlProblem, settingsPayload } from './settings';
import { testIds } from './testIds';
import type { AppConfigProps } from './types';

/**
 * The app's config page: a link to the exporter for people, call control (the exporter URL Grafana's server uses and
 * a write-only control token, both read by the `dial` proxy route), and a connection check of every PBX data source.
 */
export default function AppConfig({ plugin }: AppConfigProps) {
  const { jsonData, secureJsonFields } = plugin.meta;
  const [exporterUrl, setExporterUrl] = useState(jsonData?.exporterUrl ?? '');
  const [apiUrl, setApiUrl] = useState(jsonData?.apiUrl ?? '');
  const [controlToken, setControlToken] = useState('');
  const [tokenSet, setTokenSet] = useState(Boolean(secureJsonFields?.controlToken));
  const [results, setResults] = useState<CheckResult[] | null>(null);
  const [checking, setChecking] = useState(false);
  const sources = switchboardDataSources();
  const saved = jsonData?.exporterUrl ?? '';
  const resetToken = Boolean(secureJsonFields?.controlToken) && !tokenSet;
  const urlProblem = apiUrlProblem(apiUrl);
  const changed =
    exporterUrl !== saved || apiUrl !== (jsonData?.apiUrl ?? '') || controlToken.trim() !== '' || resetToken;

  const save = async () => {
    await lastValueFrom(
      getBackendSrv().fetch({
        url: `/api/plugins/${APP_ID}/settings`,
        method: 'POST',
        data: settingsPayload(plugin.meta, { exporterUrl, apiUrl, controlToken, resetToken }),
      })
    );
    // Plugin meta is read once at load: reload to show the saved state.
    window.location.reload();
  };

  const check = async () => {
    setChecking(true);
    try {
      setResults(await checkAll(sources));
    } finally {
      setChecking(false);
    }
  };

  return (
    <Stack direction="column" gap={3}>
      <FieldSet label="Exporter">
        <Field label="Exporter link" description="Opened from here for the landing page and API docs (/docs)">
          <Input
            data-testid={testIds.exporterUrl}
            width={50}
            value={exporterUrl}
            placeholder="http://switchboard:10027"
            onChange={(e: ChangeEvent<HTMLInputElement>) => setExporterUrl(e.target.value.trim())}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Call control">
        <Text color="secondary">
          {'The "Call back" action of the call history dashboard rings an extension and dials the caller through ' +
            "Grafana's app proxy, which adds this token on the server. Editors and Admins may use it, Viewers not. " +
            'Leave both empty to keep call control off.'}
        </Text>
        <Field
          label="Exporter URL for Grafana"
          description="The exporter as Grafana's server reaches it (in the compose stack http://switchboard:10027)"
          invalid={urlProblem !== undefined}
          error={urlProblem}
        >
          <Input
            data-testid={testIds.apiUrl}
            width={50}
            value={apiUrl}
            placeholder="http://switchboard:10027"
            onChange={(e: ChangeEvent<HTMLInputElement>) => setApiUrl(e.target.value.trim())}
          />
        </Field>
        <Field
          label="Control token"
          description='An exporter API token with the "control" scope (auth.tokens[].scopes: [control]); the read token of the data source is refused'
        >
          <SecretInput
            data-testid={testIds.controlToken}
            width={50}
            isConfigured={tokenSet}
            value={controlToken}
            placeholder="at least 16 characters"
            onReset={() => {
              setTokenSet(false);
              setControlToken('');
            }}
            onChange={(e: ChangeEvent<HTMLInputElement>) => setControlToken(e.currentTarget.value)}
          />
        </Field>
      </FieldSet>
      <FieldSet>
        <Stack direction="row" gap={2} alignItems="center">
          <Button data-testid={testIds.save} onClick={save} disabled={!changed || urlProblem !== undefined}>
            Save
          </Button>
          {saved && (
            <>
              <TextLink href={saved} external>
                Open exporter
              </TextLink>
              <TextLink href={`${saved.replace(/\/$/, '')}/docs`} external>
                API docs
              </TextLink>
            </>
          )}
        </Stack>
      </FieldSet>
      <FieldSet label="Connection check">
        {sources.length === 0 ? (
          <Alert severity="info" title="No Switchboard data source yet">
            Add one under Connections → Data sources → Switchboard PBX, with the exporter URL and an API token.
          </Alert>
        ) : (
          <Stack direction="column" gap={1}>
            <Text color="secondary">
              {`Tests ${sources.length} Switchboard data source${sources.length === 1 ? '' : 's'}: reachable, ready, token accepted.`}
            </Text>
            <div>
              <Button data-testid={testIds.check} icon="sync" variant="secondary" onClick={check} disabled={checking}>
                {checking ? 'Checking…' : 'Check connection'}
              </Button>
            </div>
            {results?.map((r) => (
              <Alert
                key={r.uid}
                data-testid={testIds.result}
                severity={r.status === 'success' ? 'success' : 'error'}
                title={r.name}
              >
                {r.message}
              </Alert>
            ))}
          </Stack>
        )}
      </FieldSet>
    </Stack>
  );
}
