/**
 * What `npm ci` installs agrees with the Node versions we promise: a package in the lockfile that wants a newer Node
 * than `engines` allows prints EBADENGINE on every install (and may break at run time on the oldest Node we support).
 */
import semver from 'semver';
import { read } from './helpers';

interface Manifest {
  engines?: { node?: string };
  overrides?: Record<string, unknown>;
  allowScripts?: Record<string, boolean>;
}
interface Lock {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; hasInstallScript?: boolean }>;
}

const root = JSON.parse(read('package.json')) as Manifest;
const lock = JSON.parse(read('package-lock.json')) as Lock;

describe('dependencies and engines', () => {
  it('the workspaces promise the same Node range as the root', () => {
    for (const ws of ['exporter', 'grafana-plugin']) {
      const m = JSON.parse(read(ws, 'package.json')) as Manifest;
      if (m.engines?.node !== undefined) expect([ws, m.engines.node]).toEqual([ws, root.engines!.node]);
    }
  });

  it('every package in the lockfile runs on the oldest Node that engines allows (no EBADENGINE)', () => {
    const oldest = semver.minVersion(root.engines!.node!)!.version;
    const misfits = Object.entries(lock.packages)
      .filter(([, p]) => p.engines && !Array.isArray(p.engines) && p.engines.node)
      .filter(([, p]) => !semver.satisfies(oldest, (p.engines as { node: string }).node))
      .map(([where, p]) => `${where}@${p.version} wants node ${(p.engines as { node: string }).node}`);
    expect(misfits).toEqual([]);
  });

  // npm 11 blocks a dependency's install script unless package.json's allowScripts names it, and lists the unreviewed
  // ones after every install: better-sqlite3 would then have no native binding on a machine without its prebuilt one
  it('every lockfile package with an install script is reviewed in allowScripts', () => {
    const name = (where: string): string => where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const scripted = [
      ...new Set(
        Object.entries(lock.packages)
          .filter(([, p]) => p.hasInstallScript)
          .map(([where]) => name(where)),
      ),
    ];
    expect(scripted.length).toBeGreaterThan(0);
    expect(scripted.filter((n) => root.allowScripts?.[n] === undefined)).toEqual([]);
    expect(root.allowScripts?.['better-sqlite3']).toBe(true);
  });
});
