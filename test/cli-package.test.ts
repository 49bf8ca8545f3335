// gmon as a user installs it: the package is packed, the tarball installed into an empty prefix, and
// the installed `gmon` run from a folder that is not the checkout — plain JavaScript, no TypeScript
// loader, so nothing depends on the checkout's tsconfig or on tsx.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {promisify} from 'node:util';
import './helpers/built.ts';
import {fixture, repoDir} from './helpers/run-cli.ts';
import {startTmux} from './helpers/tmux.ts';
import {skipUnless} from './helpers/tools.ts';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(repoDir, 'package.json'), 'utf8')) as {version: string; name: string};

describe('the packed and installed gmon', () => {
	const dir = mkdtempSync(join(tmpdir(), 'gmon-package-'));
	const prefix = join(dir, 'prefix');
	const elsewhere = mkdtempSync(join(tmpdir(), 'gmon-cwd-'));
	const gmon = join(prefix, 'node_modules', '.bin', 'gmon');

	before(async () => {
		// npm test built dist/ already; --ignore-scripts keeps prepack from rebuilding it under tests that run it.
		await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], {cwd: repoDir});
		const tarball = join(dir, `${pkg.name}-${pkg.version}.tgz`);
		await run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', tarball], {cwd: elsewhere});
	});
	after(() => {
		rmSync(dir, {recursive: true, force: true});
		rmSync(elsewhere, {recursive: true, force: true});
	});

	test('ships compiled JavaScript and no TypeScript', async () => {
		const {stdout} = await run('tar', ['tzf', join(dir, `${pkg.name}-${pkg.version}.tgz`)]);
		const files = stdout.trim().split('\n');
		assert.ok(files.includes('package/dist/cli.js'), files.join('\n'));
		assert.deepEqual(
			files.filter(file => /\.tsx?$/.test(file)),
			[],
		);
		const installed = JSON.parse(readFileSync(join(prefix, 'node_modules', pkg.name, 'package.json'), 'utf8')) as {dependencies: Record<string, string>};
		assert.equal(installed.dependencies['tsx'], undefined, 'tsx is for tests only');
	});

	test('answers --version and reports a dump from another folder', async () => {
		const version = await run(gmon, ['--version'], {cwd: elsewhere});
		assert.equal(version.stdout.trim(), pkg.version);
		const report = await run(gmon, ['--once', fixture('go1.19-statezoo-all-states.debug2.txt')], {cwd: elsewhere, env: {...process.env, CI: 'true'}});
		assert.match(report.stdout, /^42 goroutines/m);
	});

	test('draws the live demo in a real terminal from another folder, and quits on q', {skip: skipUnless('tmux')}, async t => {
		// The shell prints gmon's exit status and stays a while: when a pane's process ends, tmux can lose
		// its last output and its status (the pty closes before they are read).
		const tmux = startTmux({command: `${gmon} --demo; echo "gmon exited $?"; sleep 30`, cwd: elsewhere, cols: 100, rows: 30, env: {CI: 'false'}});
		t.after(() => tmux.kill());
		await tmux.waitForText(/^total \d+/m, 15_000);
		await tmux.waitForText(/pricing\.fetchQuote/, 15_000);
		tmux.send('q');
		const screen = await tmux.waitForText(/^gmon exited \d+$/m, 10_000);
		assert.match(screen, /^gmon exited 0$/m);
	});
});
