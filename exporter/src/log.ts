import pino, { type Logger, type LoggerOptions } from 'pino';
import type { Config } from './config/schema';

type LogConfig = Config['log'];

/** `auto`: people at a terminal read lines, log collectors read JSON. */
export function prettyWanted(format: LogConfig['format'], out: { isTTY?: boolean }): boolean {
  return format === 'pretty' || (format === 'auto' && out.isTTY === true);
}

/**
 * A key the logger is already bound to (a source's `pbx`, a `component`) is dropped from the object a line is logged
 * with: pino writes bindings and the line's object side by side, so a repeat would be a duplicate key in the JSON,
 * which collectors resolve differently (first wins, last wins, or reject the line).
 */
const noRepeatedKeys: LoggerOptions['hooks'] = {
  logMethod(args, method) {
    const first = args[0] as unknown;
    if (first !== null && typeof first === 'object' && !(first instanceof Error)) {
      const bound = this.bindings();
      const repeated = Object.keys(first).filter((k) => k in bound);
      if (repeated.length) {
        const own = { ...(first as Record<string, unknown>) };
        for (const k of repeated) delete own[k];
        (args as unknown[])[0] = own;
      }
    }
    return method.apply(this, args);
  },
};

/**
 * The exporter's logger: one JSON object a line (pino), or human-readable lines through pino-pretty. Both write
 * synchronously to `out` (pretty in this thread, not as a worker transport), so the line logged just before the
 * process exits — a fatal start-up error — is never lost.
 */
export function createLogger(config: LogConfig, out: { fd: number; isTTY?: boolean } = { fd: 1, isTTY: process.stdout.isTTY }): Logger {
  const options: LoggerOptions = { level: config.level, base: { service: 'switchboard' }, hooks: noRepeatedKeys };
  if (!prettyWanted(config.format, out)) return pino(options, pino.destination({ dest: out.fd, sync: true }));
  // loaded only for a terminal: a container or a service manager starts without it
  const pretty = require('pino-pretty') as typeof import('pino-pretty');
  return pino(
    options,
    pretty({
      destination: out.fd,
      sync: true,
      colorize: out.isTTY === true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,service,pbx',
      singleLine: true,
      // the source a line is about, first: "[office] source connected"
      messageFormat: '{if pbx}[{pbx}] {end}{msg}',
    }),
  );
}
