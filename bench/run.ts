// `npm run bench`: runs every bench/*.bench.ts in its own process (so one bench's heap never
// colours another's figures) and prints their figures in order.
import {spawnSync} from 'node:child_process';
import {readdirSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {gmonNodeFlags} from './node-flags.ts';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = readdirSync(here)
	.filter(name => name.endsWith('.bench.ts') || name.endsWith('.bench.tsx'))
	.filter(name => only.length === 0 || only.some(word => name.includes(word)))
	.sort();

const flags = gmonNodeFlags();
console.log(`node ${process.version}, with gmon's flags (source/bin.js): ${flags.join(' ') || '(none)'}`);
let failed = 0;
for (const name of benches) {
	console.log(`\n== ${name}`);
	const run = spawnSync(process.execPath, [...flags, '--expose-gc', '--import', 'tsx', join(here, name)], {stdio: 'inherit'});
	if (run.status !== 0) {
		failed++;
		console.log(`!! ${name} exited with ${run.status ?? run.signal}`);
	}
}
process.exitCode = failed === 0 ? 0 : 1;
