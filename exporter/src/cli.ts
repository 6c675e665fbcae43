#!/usr/bin/env node
import { parseArgs } from 'node:util';
import pino from 'pino';
import { ConfigError, loadConfig } from './config/load';
import { DEFAULT_PORT } from './config/schema';
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
  const log = pino({ level: config.log.level, base: { service: 'switchboard' } });
  log.info({ version: VERSION, config: args.config ?? null, fromEnv }, 'starting');

  // loaded only now so --help, --version and config errors answer without loading the whole pipeline
  const { startApp } = await import('./app.js');
  const app = await startApp(config, log);

  return new Promise<number>((resolve) => {
    let signalled = false;
    const shutdown = (signal: string): void => {
      if (signalled) return;
      signalled = true;
      log.info({ signal }, 'shutting down');
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
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
    let demoOnline = true;
    process.on('SIGUSR2', () => {
      if (!app.demo) return log.warn('SIGUSR2: no demo PBX is running');
      demoOnline = !demoOnline;
      const online = demoOnline;
      log.info({ online }, 'SIGUSR2: switching the demo PBX');
      app.demo.setOnline(online).catch((err: unknown) => log.error({ err }, 'demo PBX switch failed'));
    });
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`switchboard: fatal: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
