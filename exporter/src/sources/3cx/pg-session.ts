import { EventEmitter } from 'node:events';
import { Client, type ClientConfig, type QueryResultRow } from 'pg';

export interface PgSessionEvents {
  up: [];
  down: [reason: string, wasUp: boolean];
}

/**
 * One read-only connection to the 3CX database, opened on first use and again after a failure. Whatever rights the
 * configured user has, the session runs with `default_transaction_read_only`: Switchboard never writes to a PBX.
 * It is up once a query answered; a failed query closes the connection, so the next one starts clean.
 */
export class PgSession extends EventEmitter<PgSessionEvents> {
  private client?: Client;
  private connecting?: Promise<Client>;
  private up = false;
  /** queries answered so far (tests wait on it instead of on the clock) */
  answered = 0;

  constructor(private readonly config: ClientConfig) {
    super();
  }

  get isUp(): boolean {
    return this.up;
  }

  async query<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      const client = await this.connect();
      const rows = (await client.query<R>(sql, params)).rows;
      this.answered++;
      // up means "answers our queries": a connection that cannot read the table is no better than none
      if (!this.up) {
        this.up = true;
        this.emit('up');
      }
      return rows;
    } catch (err) {
      await this.fail(describePgError(err, this.config));
      throw err;
    }
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c) await c.end().catch(() => undefined);
  }

  private connect(): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new Client({
        ...this.config,
        application_name: 'switchboard',
        options: '-c default_transaction_read_only=on',
      });
      client.on('error', (err) => void this.fail(describePgError(err, this.config)));
      try {
        await client.connect();
      } catch (err) {
        await client.end().catch(() => undefined);
        throw err;
      }
      this.client = client;
      return client;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async fail(reason: string): Promise<void> {
    const wasUp = this.up;
    this.up = false;
    await this.close();
    this.emit('down', reason, wasUp);
  }
}

/** A connection or query error in words an admin can act on, without the password. */
export function describePgError(err: unknown, c: ClientConfig): string {
  const e = err as { code?: string; message?: string };
  const where = `${c.host ?? 'localhost'}:${c.port ?? 5432}`;
  if (e.code === '28P01' || e.code === '28000') return `login refused for database user "${c.user ?? ''}" at ${where}`;
  if (e.code === '42P01') return `table not found: ${e.message ?? ''}`;
  if (e.code === '42501') return `permission denied for database user "${c.user ?? ''}": ${e.message ?? ''}`;
  if (e.code === '3D000') return `database "${c.database ?? ''}" does not exist at ${where}`;
  if (e.code === 'ECONNREFUSED' || e.code === 'ETIMEDOUT' || e.code === 'EHOSTUNREACH' || e.code === 'ENOTFOUND')
    return `${e.code} ${where}`;
  return (e.message ?? String(err)).slice(0, 200);
}
