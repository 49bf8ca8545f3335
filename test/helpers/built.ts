// The tests run gmon as users do: source/bin.js on the compiled dist/. A dist/ older than the sources
// would test yesterday's gmon, so every test that starts the binary first checks it is current.
import {readdirSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
export const binPath = join(repo, 'source/bin.js');

function newestSource(dir: string): number {
	let newest = 0;
	for (const entry of readdirSync(dir, {withFileTypes: true})) {
		const path = join(dir, entry.name);
		const time = entry.isDirectory() ? newestSource(path) : /\.tsx?$/.test(entry.name) ? statSync(path).mtimeMs : 0;
		if (time > newest) newest = time;
	}
	return newest;
}

function builtAt(): number | undefined {
	try {
		return statSync(join(repo, 'dist/cli.js')).mtimeMs;
	} catch {
		return undefined;
	}
}

const built = builtAt();
const sources = Math.max(newestSource(join(repo, 'source')), statSync(join(repo, 'cli.tsx')).mtimeMs);
if (built === undefined || built < sources) {
	throw new Error(`dist/ is ${built === undefined ? 'missing' : 'older than the sources'}: run \`npm run build\` (npm test does it first)`);
}
