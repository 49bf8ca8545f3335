// What the entry loads before it knows what to do. `--once`/`--json` must never load Ink or React
// (they live behind a dynamic import of the TUI), and the pure report formatters must not reach
// for ink, react or undici. Checked on the static import graph, read from the sources.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {dirname, resolve} from 'node:path';
import {test} from 'node:test';
import {repoDir} from './helpers/run-cli.ts';

/** Static `import … from '…'`, `import '…'` and `export … from '…'` (not `import('…')`). */
const staticImport = /^(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

/** Every module reachable from `entry` by static imports: local files and bare packages. */
function staticGraph(entry: string): {files: Set<string>; packages: Set<string>} {
	const files = new Set<string>();
	const packages = new Set<string>();
	const visit = (file: string) => {
		if (files.has(file)) return;
		files.add(file);
		const source = readFileSync(file, 'utf8');
		for (const [line, specifier] of source.matchAll(staticImport)) {
			if (/^(?:import|export)\s+type\s/.test(line)) continue; // erased at runtime
			if (specifier!.startsWith('.')) visit(resolve(dirname(file), specifier!));
			else if (!specifier!.startsWith('node:'))
				packages.add(
					specifier!
						.split('/')
						.slice(0, specifier!.startsWith('@') ? 2 : 1)
						.join('/'),
				);
		}
	};

	visit(resolve(repoDir, entry));
	return {files, packages};
}

test('cli.tsx loads neither Ink, React, the UI nor undici before it knows what to run', () => {
	const {files, packages} = staticGraph('cli.tsx');
	assert.ok(files.has(resolve(repoDir, 'source/cli/main.ts')), 'the walk follows imports');
	assert.ok(packages.has('meow'), 'the walk sees packages');
	assert.ok(staticGraph('source/ui/start.tsx').packages.has('ink'), 'the walk would see Ink where it is');
	for (const forbidden of ['ink', 'react', 'undici']) assert.ok(!packages.has(forbidden), `cli.tsx statically loads ${forbidden}`);
	assert.deepEqual(
		[...files].filter(file => file.includes('/source/ui/')),
		[],
	);
});

test('the report path (run-report.ts) never reaches Ink, React or the UI', () => {
	const {files, packages} = staticGraph('source/cli/run-report.ts');
	assert.ok(!packages.has('ink') && !packages.has('react'), [...packages].join(', '));
	assert.deepEqual(
		[...files].filter(file => file.includes('/source/ui/')),
		[],
	);
});

test('the report formatters are pure: no ink, react or undici', () => {
	for (const entry of [
		'source/report/text.ts',
		'source/report/json.ts',
		'source/report/diff.ts',
		'source/report/gate.ts',
		'source/model/profile-snapshot.ts',
	]) {
		const {packages} = staticGraph(entry);
		assert.deepEqual(
			[...packages].filter(name => ['ink', 'react', 'undici'].includes(name)),
			[],
			entry,
		);
	}
});
