import type { Call, ExtensionState } from '../../src/domain';
import type { Hub } from '../../src/hub';
import { SourceRuntime } from '../../src/sources/runtime/runtime';
import { withDefaults } from '../../src/sources/runtime/config';
import { webhook } from '../../src/sources/webhook';
import { Writer } from '../../src/store/writer';
import { sign, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../src/wire/signature';
import { memoryLog } from '../ami/harness';
import { startHarness, type Harness } from '../http/harness';

export const SECRET = 'whsec-test-0123456789abcdef';
/** API tokens are configured: ingest must not need one (it is signed instead) */
export const API_TOKEN = 'api-token-for-reads-0123456789';

export interface IngestServer {
  url: string;
  http: Harness;
  source: SourceRuntime;
  ended: Call[];
  extensions: ExtensionState[];
  rejected: { reason: string; detail?: string }[];
  close(): Promise<void>;
}

/**
 * A webhook source named `hooks` on the real source runtime, served by the real server (API tokens configured) on
 * loopback, its calls written to the real store.
 */
export async function ingestServer(opts: { maxBodyBytes?: number } = {}): Promise<IngestServer> {
  let source: SourceRuntime | undefined;
  let hubOf: Hub | undefined;
  const build = (hub: Hub) => {
    hubOf = hub;
    const config = withDefaults(webhook.schema, {
      name: 'hooks',
      kind: 'webhook',
      secret: SECRET,
      maxBodyBytes: opts.maxBodyBytes ?? 64 * 1024,
    });
    source = new SourceRuntime(
      { pbx: 'hooks', kind: 'webhook', capabilities: webhook.capabilities },
      { hub, log: memoryLog().log, store: { openCalls: () => [] } },
      (ctx) => webhook.create(config, ctx),
      { graceMs: 0, publish: 'sync' },
    );
    return [source];
  };
  const http = await startHarness({
    config: { auth: { tokens: [{ name: 'grafana', token: API_TOKEN, scopes: ['read'] }] } },
    sources: (hub) => build(hub),
  });
  const hub = hubOf!;
  const ended: Call[] = [];
  const extensions: ExtensionState[] = [];
  const rejected: { reason: string; detail?: string }[] = [];
  hub.on('callEnded', (c) => ended.push(c));
  hub.on('extension', (e) => extensions.push(e));
  hub.on('rejected', (r) => rejected.push({ reason: r.reason, detail: r.detail }));
  const writer = new Writer(hub, http.store, memoryLog().log, 10, 60_000);
  writer.start();
  await source!.start();
  return {
    url: http.url,
    http,
    source: source!,
    ended,
    extensions,
    rejected,
    close: async () => {
      await source!.stop();
      writer.stop();
      await http.close();
    },
  };
}

export interface Sent {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** POSTs `body` signed with `secret` at `timestamp` (unix seconds; default now). */
export async function post(
  url: string,
  body: string | Buffer,
  o: {
    secret?: string | null;
    timestamp?: number;
    key?: string;
    source?: string;
    contentType?: string;
    signature?: string;
  } = {},
): Promise<Sent> {
  const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': o.contentType ?? 'application/json' };
  if (o.secret !== null) {
    headers[TIMESTAMP_HEADER] = String(ts);
    headers[SIGNATURE_HEADER] = o.signature ?? sign(o.secret ?? SECRET, ts, body);
  }
  if (o.key) headers['idempotency-key'] = o.key;
  const res = await fetch(`${url}/api/v1/ingest/${o.source ?? 'hooks'}`, { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

const T0 = Date.parse('2026-03-02T09:00:00Z');
export const at = (s: number): string => new Date(T0 + s * 1000).toISOString();

/** An inbound call rung, answered after 5 s and hung up after 65 s, as one request. */
export function answeredCall(call: string): string {
  return JSON.stringify({
    events: [
      {
        type: 'ring',
        call,
        at: at(0),
        direction: 'inbound',
        from: { number: '+4930111001', name: 'Anna' },
        to: { number: '101', name: 'Alice' },
      },
      { type: 'answer', call, at: at(5) },
      { type: 'hangup', call, at: at(65) },
    ],
  });
}
