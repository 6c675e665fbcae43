import { Type, type Static } from '@sinclair/typebox';
import { secretKeys, sourceSchema } from '../runtime/config';
import { DEFAULT_CDR_FIELDS, REQUIRED_CDR_FIELDS } from './fields';
import { assertTimeZone } from './wall-time';

const Port = (description: string, dflt?: number) =>
  Type.Integer({ minimum: 0, maximum: 65535, ...(dflt !== undefined ? { default: dflt } : {}), description });

export const ThreeCxConfigSchema = sourceSchema('3cx', {
  mode: Type.Union(
    [Type.Literal('activeSocket'), Type.Literal('passiveSocket'), Type.Literal('file'), Type.Literal('database')],
    {
      description:
        'activeSocket: 3CX connects to us; passiveSocket: we connect to 3CX; file: tail the CDR log file; database: poll `cdroutput` (v20 Update 6+)',
    },
  ),
  listen: Type.Optional(
    Type.Object(
      {
        host: Type.String({ default: '0.0.0.0', description: "address to accept 3CX's CDR connections on" }),
        port: Port('port 3CX\'s "active socket" CDR output connects to'),
        allowFrom: Type.Array(Type.String(), {
          default: [],
          description: 'addresses allowed to send CDRs (the 3CX server); empty = any',
        }),
      },
      { additionalProperties: false },
    ),
  ),
  connect: Type.Optional(
    Type.Object(
      {
        host: Type.String({ minLength: 1, description: '3CX host whose "passive socket" CDR output we connect to' }),
        port: Port("3CX's CDR server port"),
      },
      { additionalProperties: false },
    ),
  ),
  file: Type.Optional(
    Type.Object(
      {
        path: Type.String({
          minLength: 1,
          description: 'the "single file" CDR log (e.g. …/Data/Logs/CDRLogs/cdr.log)',
        }),
        pollSeconds: Type.Number({
          minimum: 0.05,
          maximum: 300,
          default: 1,
          description: 'how often the file is checked for new lines',
        }),
      },
      { additionalProperties: false },
    ),
  ),
  fields: Type.Array(Type.String({ minLength: 1 }), {
    default: [...DEFAULT_CDR_FIELDS],
    description: 'CDR output fields in the order configured in the 3CX console (socket and file modes)',
  }),
  timezone: Type.String({
    default: 'UTC',
    description: "IANA zone of the CDR output's times (3CX writes them without one)",
  }),
  database: Type.Optional(
    Type.Object(
      {
        host: Type.String({ minLength: 1, description: 'PostgreSQL host of the 3CX server' }),
        port: Port('PostgreSQL port (3CX: 5480)', 5480),
        database: Type.String({ default: 'database_single', description: 'database name' }),
        user: Type.String({ default: 'switchboard', description: 'a read-only role (see "Run against 3CX")' }),
        ssl: Type.Boolean({ default: false, description: 'TLS to the database (certificate verified)' }),
        table: Type.String({
          default: 'cdroutput',
          pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?$',
          description: 'call segments table',
        }),
        pollSeconds: Type.Number({
          minimum: 1,
          maximum: 3600,
          default: 30,
          description: 'database mode: how often new calls are read',
        }),
        settleSeconds: Type.Number({
          minimum: 0,
          maximum: 3600,
          default: 30,
          description: 'a call is read once its last segment ended this long ago',
        }),
        maxOpenSeconds: Type.Number({
          minimum: 60,
          default: 14400,
          description: 'a call whose segment chain never closes is taken as it is after this long',
        }),
        batch: Type.Integer({ minimum: 1, maximum: 10000, default: 500, description: 'calls per query' }),
        backfillHours: Type.Number({
          minimum: 0,
          default: 24,
          description: 'a first start reads calls that ended this far back',
        }),
      },
      { additionalProperties: false },
    ),
  ),
  membership: Type.Object(
    {
      enabled: Type.Boolean({
        default: true,
        description: 'read queue and ring-group members from the 3CX database (needs `database`)',
      }),
      intervalSeconds: Type.Number({
        minimum: 5,
        maximum: 3600,
        default: 60,
        description: 'how often membership is re-read',
      }),
    },
    { additionalProperties: false, default: {} },
  ),
  ...secretKeys('databasePassword', 'password of the `database` user', { required: false }),
  reconnectMaxSeconds: Type.Number({
    minimum: 1,
    maximum: 3600,
    default: 60,
    description: 'backoff ceiling (passive socket, database)',
  }),
  rejectFile: Type.Optional(
    Type.String({
      description:
        'where unusable CDR lines and rows are kept (default: `3cx/<name>.rejects.jsonl` next to the database)',
    }),
  ),
  stateFile: Type.Optional(
    Type.String({
      description: 'the read position and recent record keys (default: `3cx/<name>.state.json` next to the database)',
    }),
  ),
});

export type ThreeCxConfig = Static<typeof ThreeCxConfigSchema>;

/** What the schema cannot say: each mode needs its own block. Returns problems naming the key. */
export function checkThreeCxConfig(c: ThreeCxConfig, at: string): string[] {
  const problems: string[] = [];
  const need = (key: 'listen' | 'connect' | 'file' | 'database'): void => {
    if (!c[key]) problems.push(`${at}.${key}: required when mode is ${c.mode}`);
  };
  if (c.mode === 'activeSocket') need('listen');
  if (c.mode === 'passiveSocket') need('connect');
  if (c.mode === 'file') need('file');
  if (c.mode === 'database') need('database');
  if (c.database && c.databasePassword === undefined && c.databasePasswordFile === undefined) {
    problems.push(`${at}.databasePassword: required with database (or databasePasswordFile)`);
  }
  if (new Set(c.fields).size !== c.fields.length) problems.push(`${at}.fields: a field is listed twice`);
  if (c.mode !== 'database') {
    for (const f of REQUIRED_CDR_FIELDS) if (!c.fields.includes(f)) problems.push(`${at}.fields: ${f} is required`);
    if (!c.fields.includes('historyid') && !c.fields.includes('callid'))
      problems.push(`${at}.fields: historyid or callid is required`);
  }
  try {
    assertTimeZone(c.timezone);
  } catch {
    problems.push(`${at}.timezone: unknown time zone "${c.timezone}"`);
  }
  return problems;
}
