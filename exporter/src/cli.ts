#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config/load';
import { DEFAULT_PORT, type Config } from './config/schema';
import type { App } from './app';
import { createLogger } from './log';
import { VERSION } from './version';

const HELP = `switchboard ${VERSION} — PBX call history, live state and Prometheus metrics

Usage: switchboard [--config FILE]

Options:
  -c, --config FILE   YAML configuration (optional: without it the exporter runs the built-in demo PBX)
  -h, --help          show this help
  -v, --version       print the version

Every key can be set from the environment: SWITCHBOARD_<KEY>, with __ between levels, e.g.
  SWITCHBOARD_SERVER__PORT=${DEFAULT_PORT}  SWITCHBOARD_STORE__RETENTION_DAYS=30  SWITCHBOARD_SOURCES__0__HOST=pbx.lan

Signals: SIGTERM/SIGINT stop gracefully; SIGUSR2 takes the demo PBX offline / back online.
`;

/** What a user can do about a start that failed; the error itself is in the line's `err`. */
function startFailure(err: unknown, config: Config): string {
  const code = (err as NodeJS.ErrnoException).code;
  const where = `${config.server.host}:${config.server.port}`;
  if (code === 'EADDRINUSE') return `cannot listen on ${where}: the port is in use (another switchboard?); choose another with server.port or SWITCHBOARD_SERVER__PORT`;
  if (code === 'EACCES') return `cannot listen on ${where}: permission denied; choose a port above 1023 with server.port`;
  if (code === 'EADDRNOTAVAIL') return `cannot listen on ${where}: no such address on this machine; check server.host`;
  return `cannot start: ${err instanceof Error ? err.message : String(err)}`;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        config: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`switchboard: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }

  let loaded;
  try {
    loaded = loadConfig(args.config);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`switchboard: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const { config, fromEnv } = loaded;
  const log = createLogger(config.log);
  log.info({ version: VERSION, config: args.config ?? null, fromEnv }, 'starting');

  // a stop asked for while starting (Ctrl-C at once, a fast SIGTERM) waits for the start, then stops cleanly
  let signalled: string | undefined;
  let shutdown: ((signal: string) => void) | undefined;
  const onStop = (signal: string): void => {
    if (signalled) return;
    signalled = signal;
    log.info({ signal }, 'shutting down');
    shutdown?.(signal);
  };
  process.on('SIGTERM', () => onStop('SIGTERM'));
  process.on('SIGINT', () => onStop('SIGINT'));

  // loaded only now so --help, --version and config errors answer without loading the whole pipeline
  const { startApp } = await import('./app.js');
  let app: App;
  try {
    app = await startApp(config, log);
  } catch (err) {
    // startApp has stopped what it started: this is the last line
    log.fatal({ err }, startFailure(err, config));
    return 1;
  }

  let demoOnline = true;
  process.on('SIGUSR2', () => {
    if (!app.demo) return log.warn('SIGUSR2: no demo PBX is running');
    demoOnline = !demoOnline;
    const online = demoOnline;
    log.info({ online }, 'SIGUSR2: switching the demo PBX');
    app.demo.setOnline(online).catch((err: unknown) => log.error({ err }, 'demo PBX switch failed'));
  });

  return new Promise<number>((resolve) => {
    shutdown = () =>
      app.stop().then(
        () => {
          log.info('stopped');
          resolve(0);
        },
        (err: unknown) => {
          log.error({ err }, 'shutdown failed');
          resolve(1);
        },
      );
    if (signalled) shutdown(signalled);
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`switchboard: fatal: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
