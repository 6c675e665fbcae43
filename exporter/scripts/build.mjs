// Compiles the exporter (tsc -p tsconfig.build.json) and stamps dist/ with a hash of what it was built from.
//   node scripts/build.mjs              always build (npm run build -w exporter)
//   node scripts/build.mjs --if-changed build only when the sources differ from the stamp (npm start, npm ci)
// A content hash rather than mtimes: a checkout, a copy or an archive can leave older sources with newer times.
// Plain JavaScript, so it runs before anything is compiled and without tsx.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const stamp = join(root, 'dist', '.build-hash');
const say = (line) => process.stderr.write(`switchboard: ${line}\n`);

function files(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

/** Everything tsc reads for the build: the sources, the two tsconfigs and the compiler's version. */
function sourceHash(tscPackage) {
  const h = createHash('sha256');
  h.update(`typescript ${tscPackage?.version ?? 'none'}\n`);
  for (const f of [join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json'), ...files(src)]) {
    h.update(`${relative(root, f)}\n`);
    h.update(readFileSync(f));
  }
  return h.digest('hex');
}

function typescript() {
  try {
    const require = createRequire(join(root, 'package.json'));
    const pkgPath = require.resolve('typescript/package.json');
    return { tsc: join(dirname(pkgPath), 'bin', 'tsc'), pkg: JSON.parse(readFileSync(pkgPath, 'utf8')) };
  } catch {
    return undefined;
  }
}

const ifChanged = process.argv.includes('--if-changed');
// npm ci runs this as the root's prepare script, also in the Dockerfile's dependency stages, which copy the
// manifests before the sources: with no sources there is nothing to build yet
if (ifChanged && !existsSync(src)) process.exit(0);

const ts = typescript();
const hash = sourceHash(ts?.pkg);
const built = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : undefined;
if (ifChanged && built === hash) process.exit(0);
if (!ts) {
  // npm ci --omit=dev: no compiler; a dist/ that exists is what there is to run
  if (ifChanged && existsSync(join(root, 'dist', 'cli.js'))) process.exit(0);
  say('cannot build the exporter: typescript is not installed (run npm ci without --omit=dev)');
  process.exit(1);
}
if (ifChanged) say(built ? 'exporter sources changed since the last build: building' : 'building the exporter (once; npm start reuses it)');
const r = spawnSync(process.execPath, [ts.tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
writeFileSync(stamp, `${hash}\n`);
