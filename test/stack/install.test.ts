/**
 * What `npm ci` installs agrees with the Node versions we promise: a package in the lockfile that wants a newer Node
 * than `engines` allows prints EBADENGINE on every install (and may break at run time on the oldest Node we support).
 */
import semver from 'semver';
import { read } from './helpers';

interface Manifest {
  engines?: { node?: string };
  overrides?: Record<string, unknown>;
}
interface Lock {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
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

});
