// Runs relay-compiler against the server's merged, printed schema, graph/schema.graphqls: the one file client
// code generators read. relay-compiler recognises schema files by the .graphql extension only (a .graphqls is
// silently skipped, and it then reports that no Query type exists), so the file is copied byte for byte under
// that extension first, into .schema/ (git-ignored), and the compiler reads the copy. Arguments pass through:
// `node scripts/relay.mjs --validate` fails when an artifact is missing or stale.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(web, '.schema'), { recursive: true });
copyFileSync(join(web, '..', 'graph', 'schema.graphqls'), join(web, '.schema', 'schema.graphql'));

const bin = join(web, 'node_modules', '.bin', 'relay-compiler');
const run = spawnSync(bin, process.argv.slice(2), { cwd: web, stdio: 'inherit' });
process.exit(run.status ?? 1);
