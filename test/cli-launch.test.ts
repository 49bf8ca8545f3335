// gmon's node flags are written once, on source/bin.js's shebang; `npm start` and the benchmarks must
// run gmon with the same ones (the benchmark figures are only gmon's if they do).
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {gmonNodeFlags} from '../bench/node-flags.ts';
import './helpers/built.ts';
import {repoDir} from './helpers/run-cli.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
	version: string;
	bin: Record<string, string>;
	scripts: Record<string, string>;
};

test('the bin runs by its own shebang (env -S node with gmon flags) and npm start passes the same flags', () => {
	const flags = gmonNodeFlags();
	assert.ok(flags.includes('--max-semi-space-size=4'), `shebang flags: ${flags.join(' ')}`);
	assert.equal(pkg.scripts['start'], `node ${flags.join(' ')} ${pkg.bin['gmon']}`);
	// Executed directly, as the `gmon` symlink npm installs is.
	assert.equal(execFileSync(`${repoDir}${pkg.bin['gmon']}`, ['--version'], {encoding: 'utf8'}).trim(), pkg.version);
});
