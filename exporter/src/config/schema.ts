import { Type, type Static } from '@sinclair/typebox';
import { ContactsSchema } from '../contacts/config';
import { SinkSchema } from '../sinks/config';

export const DEFAULT_PORT = 10027;

const Secret = {
  description: 'inline secret; prefer the matching …File key',
};

/**
 * One PBX connection. Its keys depend on its `kind`: each kind's schema (sources/<kind>/config.ts, listed in
 * sources/registry.ts) checks them when the config is loaded, so here an entry only has to name itself and its kind.
 */
const SourceEntry = Type.Unsafe<{ name: string; kind: string; [key: string]: unknown }>(
  Type.Object({ name: Type.String(), kind: Type.String() }, { additionalProperties: true }),
);

const HoursRange = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d-([01]\\d|2[0-4]):[0-5]\\d$' });
const Day = Type.Array(HoursRange, { default: [], description: 'open hours, e.g. ["08:00-12:00", "13:00-17:30"]' });

export const ConfigSchema = Type.Object(
  {
    server: Type.Object(
      {
        host: Type.String({ default: '127.0.0.1', description: 'listen address; 0.0.0.0 in containers' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: DEFAULT_PORT, description: 'HTTP port; 0 picks a free one' }),
        cors: Type.Object(
          { origins: Type.Array(Type.String(), { default: [], description: 'allowed origins; closed when empty' }) },
          { additionalProperties: false, default: {} },
        ),
        rateLimit: Type.Object(
          {
            max: Type.Integer({ minimum: 1, default: 600, description: 'requests per window per client' }),
            windowSeconds: Type.Integer({ minimum: 1, default: 60, description: 'rate-limit window' }),
          },
          { additionalProperties: false, default: {} },
        ),
        controlRateLimit: Type.Object(
          {
            max: Type.Integer({ minimum: 1, default: 20, description: 'call-control requests per window per client and route' }),
            windowSeconds: Type.Integer({ minimum: 1, default: 60, description: 'call-control rate-limit window' }),
          },
          { additionalProperties: false, default: {} },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    log: Type.Object(
      {
        level: Type.Union(
          ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
          { default: 'info', description: 'pino log level' },
        ),
        format: Type.Union([Type.Literal('auto'), Type.Literal('pretty'), Type.Literal('json')], {
          default: 'auto',
          description: 'auto = human-readable lines when stdout is a terminal, one JSON object a line otherwise',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    store: Type.Object(
      {
        path: Type.String({ default: './data/switchboard.db', description: 'SQLite file (WAL mode)' }),
        retentionDays: Type.Integer({ minimum: 1, default: 90, description: 'calls, history and gaps older than this are deleted' }),
        heartbeatSeconds: Type.Integer({
          minimum: 1,
          maximum: 3600,
          default: 10,
          description: 'liveness mark in the database; after a crash the exporter gap starts at the last one',
        }),
        flushMs: Type.Integer({ minimum: 1, maximum: 60000, default: 200, description: 'write batching window' }),
        maxQueuedRows: Type.Integer({
          minimum: 100,
          default: 100000,
          description: 'rows held in memory while commits fail (a full disk); past it new rows are dropped and counted',
        }),
        backup: Type.Object(
          {
            enabled: Type.Boolean({ default: true, description: 'daily online backup' }),
            dir: Type.String({ default: './data/backups', description: 'backup folder' }),
            hour: Type.Integer({ minimum: 0, maximum: 23, default: 3, description: 'local hour of the daily backup' }),
            keep: Type.Integer({ minimum: 1, default: 7, description: 'backup files to keep' }),
          },
          { additionalProperties: false, default: {} },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    auth: Type.Object(
      {
        tokens: Type.Array(
          Type.Object(
            {
              name: Type.String({ minLength: 1, description: 'who holds the token (for logs)' }),
              token: Type.Optional(Type.String({ minLength: 16, ...Secret })),
              tokenFile: Type.Optional(Type.String({ description: 'file holding the token (at least 16 characters)' })),
              scopes: Type.Array(Type.Union([Type.Literal('read'), Type.Literal('control')]), {
                default: ['read'],
                description: '`read`: the data routes; `control`: call control and user status (never given to a read-only token)',
              }),
              extensions: Type.Optional(
                Type.Array(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,40}$' }), {
                  minItems: 1,
                  description:
                    'a per-person token: its `control` scope covers only these extensions (their user status, click-to-dial from them, hangup and transfer of their calls)',
                }),
              ),
            },
            { additionalProperties: false },
          ),
          { default: [], description: 'API bearer tokens; the API is open when empty' },
        ),
        metrics: Type.Object(
          {
            bearerToken: Type.Optional(Type.String({ minLength: 16, ...Secret })),
            bearerTokenFile: Type.Optional(Type.String({ description: '/metrics bearer token file' })),
            username: Type.Optional(Type.String({ description: '/metrics basic-auth user' })),
            password: Type.Optional(Type.String(Secret)),
            passwordFile: Type.Optional(Type.String({ description: '/metrics basic-auth password file' })),
          },
          { additionalProperties: false, default: {} },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    metrics: Type.Object(
      {
        perExtension: Type.Boolean({ default: false, description: 'per-extension series (opt-in)' }),
        maxExtensions: Type.Integer({ minimum: 0, default: 500, description: 'cap on per-extension series' }),
        perMailbox: Type.Boolean({ default: false, description: 'per-mailbox voicemail series (opt-in)' }),
        maxConferenceRooms: Type.Integer({ minimum: 0, default: 50, description: 'cap on per-room conference series' }),
        unreturnedMissed: Type.Boolean({
          default: false,
          description:
            'per-extension pbx_extension_missed_unreturned_calls, for alerts to the extension owner (opt-in, capped by maxExtensions)',
        }),
        unreturnedWindowHours: Type.Integer({
          minimum: 1,
          maximum: 720,
          default: 24,
          description: 'missed calls older than this no longer count as unreturned in that metric',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    businessHours: Type.Object(
      {
        timezone: Type.String({ default: 'UTC', description: 'IANA time zone of the schedule' }),
        mon: Day,
        tue: Day,
        wed: Day,
        thu: Day,
        fri: Day,
        sat: Day,
        sun: Day,
        holidays: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), {
          default: [],
          description: 'closed all day (YYYY-MM-DD)',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    sources: Type.Array(SourceEntry, {
      default: [],
      description: 'PBX connections, one per PBX; the keys of each `kind` are listed below',
    }),
    sinks: Type.Array(SinkSchema, {
      default: [],
      description: 'webhook out: every finished call (and, if asked, gaps and source changes) POSTed as signed JSON',
    }),
    contacts: ContactsSchema,
    demo: Type.Object(
      {
        enabled: Type.Union([Type.Boolean(), Type.Literal('auto')], {
          default: 'auto',
          description: 'auto = run the built-in demo PBX when no source is configured',
        }),
        name: Type.String({ default: 'demo', description: 'the demo PBX\'s `pbx` label (an NFON demo PBX is `<name>-nfon`)' }),
        kinds: Type.Array(Type.Union([Type.Literal('ami'), Type.Literal('nfon')]), {
          default: ['ami'],
          minItems: 1,
          uniqueItems: true,
          description: 'which demo PBXs run: `ami` (Asterisk over AMI), `nfon` (NFON\'s cloud PBX over its CTI API), or both',
        }),
        speed: Type.Number({ minimum: 0.1, maximum: 100, default: 1, description: 'traffic rate multiplier' }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;
export type SourceEntry = Config['sources'][number];
