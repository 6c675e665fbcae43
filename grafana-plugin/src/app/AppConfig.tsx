import React, { type ChangeEvent, useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, Stack, Text, TextLink } from '@grafana/ui';
import { APP_ID } from '../constants';
import { checkAll, switchboardDataSources, type CheckResult } from './connectionCheck';
import { testIds } from './testIds';
import type { AppConfigProps } from './types';

/** The app's config page: a link to the exporter for people, and a connection check of every PBX data source. */
export default function AppConfig({ plugin }: AppConfigProps) {
  const { enabled, pinned, jsonData } = plugin.meta;
  const [exporterUrl, setExporterUrl] = useState(jsonData?.exporterUrl ?? '');
  const [results, setResults] = useState<CheckResult[] | null>(null);
  const [checking, setChecking] = useState(false);
  const sources = switchboardDataSources();
  const saved = jsonData?.exporterUrl ?? '';

  const save = async () => {
    await lastValueFrom(
      getBackendSrv().fetch({
        url: `/api/plugins/${APP_ID}/settings`,
        method: 'POST',
        data: { enabled: enabled ?? true, pinned: pinned ?? true, jsonData: { ...jsonData, exporterUrl } },
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
        <Stack direction="row" gap={2} alignItems="center">
          <Button data-testid={testIds.save} onClick={save} disabled={exporterUrl === saved}>
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
