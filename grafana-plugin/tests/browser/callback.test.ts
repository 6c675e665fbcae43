/**
 * @jest-environment node
 *
 * "Call back" on the call history dashboard, in Chromium, against the real exporter on the demo PBX. What is real:
 * the built plugin (its data source module and the dashboard JSON it ships), the exporter, its demo PBX executing
 * Originate over real AMI, @grafana/ui's TableNG drawing the panel with its own action button and confirmation
 * modal. What the harness plays: Grafana's server (the data-source proxy, the app plugin proxy with the built
 * plugin.json's routes, reqRole and secure settings, actions_allow_post_url from docker-compose.yml) and Grafana
 * core's action builder (harness/src/actions.ts), which no package ships.
 */
import fs from 'fs';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { startHarnessServer, type HarnessServer } from '../../harness/server';
import { launchChromium } from './chromium';
import { REPO, startExporter, type RunningExporter } from './exporter';
import { buildHarness, PLUGIN_DIR } from './harness';
import { until } from './wait';

jest.setTimeout(300_000);

const SHOTS = path.join(PLUGIN_DIR, 'test-results', 'screenshots');
const PANEL = 'Missed calls · call back';
const SESSIONS = { 'editor-session': 'Editor', 'viewer-session': 'Viewer' } as const;
const DIAL = '/api/plugin-proxy/switchboard-pbx-app/dial';
/** What the compose stack allows dashboard actions to POST to (Grafana answers 405 elsewhere). */
const ALLOW_POST_URL = /GF_SECURITY_ACTIONS_ALLOW_POST_URL:\s*(\S+)/.exec(
  fs.readFileSync(path.join(REPO, 'docker-compose.yml'), 'utf8')
)![1];

let exporter: RunningExporter;
let server: HarnessServer;
let browser: Browser;
const pageErrors: string[] = [];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function api(
  route: string,
  init: RequestInit = {},
  token = exporter.token
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${exporter.url}${route}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

/**
 * A truly missed inbound call the demo PBX can call back now: the first extension it rang (the data source's
 * choice with no extension filter) is registered, free and not on DND, so Originate rings it.
 */
async function callableMissedCall(): Promise<{ id: string; pbx: string; caller: string; extension: string }> {
  return until(
    'a missed call whose extension can ring',
    async () => {
      const list = await api('/api/v1/calls?status=truly_missed&direction=inbound&limit=10');
      const phones = new Map<string, Json>(
        (await api('/api/v1/extensions')).body.items.map((e: Json) => [e.extension, e] as [string, Json])
      );
      for (const c of list.body.items as Json[]) {
        const legs = ((await api(`/api/v1/calls/${encodeURIComponent(c.id)}`)).body.legs ?? []) as Json[];
        const first = legs
          .filter((l) => l.role === 'extension')
          .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt))[0];
        const phone = first && phones.get(first.party.number);
        if (phone && phone.registered && !phone.dnd && phone.state === 'idle' && /^\+?\d+$/.test(c.from.number)) {
          return { id: c.id, pbx: c.pbx, caller: c.from.number, extension: first.party.number };
        }
      }
      return false;
    },
    180_000
  );
}

async function openTable(session: keyof typeof SESSIONS | null): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 560 }, deviceScaleFactor: 1 });
  if (session) {
    await context.addCookies([{ name: 'grafana_session', value: session, url: server.url }]);
  }
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.on('console', (msg) => msg.type() === 'error' && pageErrors.push(msg.text()));
  const vars = 'var-pbx=*&var-extension=*&var-queue=*&var-search=';
  await page.goto(`${server.url}/table.html?dashboard=call-history&panel=${encodeURIComponent(PANEL)}&${vars}`);
  await page.waitForFunction(() => window.__table?.ready === true || window.__table?.errors.length > 0);
  expect(await page.evaluate(() => window.__table.errors)).toEqual([]);
  await page.evaluate(() => document.fonts.ready);
  return page;
}

async function shoot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file });
  expect(fs.statSync(file).size).toBeGreaterThan(10_000);
}

const rowOf = (page: Page, callId: string) => page.locator('[role="row"]', { hasText: callId });

beforeAll(async () => {
  buildHarness();
  exporter = await startExporter(60_000, { speed: 10 });
  server = await startHarnessServer({
    exporterUrl: exporter.url,
    token: exporter.token,
    app: { jsonData: { apiUrl: exporter.url }, secureJsonData: { controlToken: exporter.controlToken } },
    actionsAllowPostUrl: ALLOW_POST_URL,
    sessions: { ...SESSIONS },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await exporter?.stop();
});

describe('Call back, the action of the call history dashboard', () => {
  it('an Editor clicks Call back on a missed call, confirms both numbers, and the extension calls the caller (an outbound call in /api/v1/calls)', async () => {
    const missed = await callableMissedCall();
    const page = await openTable('editor-session');
    const row = rowOf(page, missed.id);
    await row.waitFor();
    await row.getByRole('button', { name: 'Call back', exact: true }).click();

    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const question = (await dialog.textContent()) ?? '';
    expect(question).toContain(`Ring extension ${missed.extension} and, once it answers, call ${missed.caller} back`);
    expect(question).toContain(missed.id);
    await shoot(page, 'callback-confirm-dark.png');
    await dialog.getByRole('button', { name: 'Confirm' }).click();

    await page.waitForFunction(() => window.__table.alerts.length > 0);
    expect(await page.evaluate(() => window.__table.alerts)).toEqual([
      { level: 'success', text: 'API call was successful' },
    ]);
    await page.waitForTimeout(300);
    await shoot(page, 'callback-done-dark.png');

    // through Grafana's app proxy: the route's token added there, the browser sent none, the exporter accepted it
    const sent = server.log.filter((e) => e.kind === 'app');
    expect(sent).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/dial',
        status: 202,
        role: 'Editor',
        browserAuthorization: false,
        upstream: '/api/v1/calls',
      }),
    ]);
    expect(JSON.parse(sent[0].requestBody!)).toEqual({
      pbx: missed.pbx,
      extension: missed.extension,
      target: missed.caller,
    });
    const { callId } = JSON.parse(sent[0].responseBody!) as { callId: string };

    // the demo PBX executed Originate: the extension rang, answered, and dialled the caller out through the trunk
    const call = await until('the call back in /api/v1/calls', async () => {
      const r = await api(`/api/v1/calls?extension=${missed.extension}&limit=20`);
      return (r.body.items as Json[]).find((c) => c.id === callId);
    });
    expect(call).toMatchObject({
      pbx: missed.pbx,
      direction: 'outbound',
      from: { number: missed.extension },
      to: { number: missed.caller },
    });
    await page.context().close();
  });

  it('a Viewer gets no Call back button (Grafana shows actions to dashboard editors), and the proxy route answers 403 without reaching the exporter', async () => {
    const page = await openTable('viewer-session');
    expect(await page.evaluate(() => window.__table.rows)).toBeGreaterThan(0);
    await page.locator('[role="row"]').nth(1).waitFor();
    expect(await page.getByRole('button', { name: 'Call back', exact: true }).count()).toBe(0);

    const before = server.log.length;
    const res = await page.evaluate(async (url) => {
      const r = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Grafana-Action': '1' },
        body: JSON.stringify({ extension: '1001', target: '+13125550103' }),
      });
      return { status: r.status, body: await r.json() };
    }, DIAL);
    expect(res).toEqual({ status: 403, body: { message: 'plugin proxy route access denied' } });
    // Chromium logs the refused request as a console error: this one was asked for
    const refused = pageErrors.findIndex((e) => /status of 403 \(Forbidden\)/.test(e));
    expect(refused).toBeGreaterThanOrEqual(0);
    pageErrors.splice(refused, 1);
    expect(server.log.slice(before)).toEqual([expect.objectContaining({ kind: 'app', role: 'Viewer', status: 403 })]);
    expect(server.log[before].upstream).toBeUndefined();
    await page.context().close();
  });

  it("the data source's read token is not enough: the exporter answers 403, directly and through the data-source proxy", async () => {
    const body = JSON.stringify({ extension: '1001', target: '+13125550103' });
    const direct = await api('/api/v1/calls', { method: 'POST', body }, exporter.token);
    expect(direct.status).toBe(403);
    expect(direct.body.detail).toMatch(/"control" scope/);
    const viaDs = await fetch(`${server.url}/api/datasources/proxy/uid/sb-harness/api/api/v1/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(viaDs.status).toBe(403);
  });

  it("Grafana's own limits: an action may POST only to the allowed route; the route takes POST on its exact path", async () => {
    const post = (url: string, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${url}`, {
        method: 'POST',
        headers: { cookie: 'grafana_session=editor-session', 'content-type': 'application/json', ...headers },
        body: '{}',
      });
    expect(
      (await post('/api/datasources/proxy/uid/sb-harness/api/api/v1/calls', { 'X-Grafana-Action': '1' })).status
    ).toBe(405);
    expect((await post(`${DIAL}/anything`, { 'X-Grafana-Action': '1' })).status).toBe(405);
    expect((await post(`${DIAL}/anything`)).status).toBe(404);
    const get = await fetch(`${server.url}${DIAL}`, { headers: { cookie: 'grafana_session=editor-session' } });
    expect(get.status).toBe(404);
    // an empty body is the exporter's clear 400, naming what is missing (a row without an extension sends "")
    const empty = await post(DIAL, { 'X-Grafana-Action': '1' });
    expect(empty.status).toBe(400);
  });
});

it('no errors in any page', () => {
  expect(pageErrors).toEqual([]);
});
