import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The exporter's version from its package.json (works from src/ under jest and from dist/src/ when built). */
function readVersion(): string {
  for (const rel of ['..', '../..']) {
    try {
      const pkg = JSON.parse(readFileSync(join(__dirname, rel, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@switchboard/exporter' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0-unknown';
}

export const VERSION = readVersion();
