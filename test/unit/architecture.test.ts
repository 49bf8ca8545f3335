// The house rules as a test: every import in source/ (static, `export … from`, `import type` and
// dynamic `import()`) must point down the layers drawn in source/README.md, no file may take part
// in an import cycle, and ink/react/undici stay in the one layer each that may touch them. The
// check is a pure function of an edge list, so the test also feeds it wrong edges and sees them
// rejected: a rule that cannot fail would prove nothing.
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {dirname, join, relative, resolve} from 'node:path';
import {test} from 'node:test';
import {repoDir} from '../helpers/run-cli.ts';

type Layer = 'text' | 'config' | 'dump' | 'fetch' | 'model' | 'watch' | 'view' | 'report' | 'ui' | 'cli';

/** What each layer may import besides itself. The same picture as source/README.md. */
export const allowed: Record<Layer, readonly Layer[]> = {
	text: [],
	config: ['text'],
	dump: ['text'],
	fetch: ['dump', 'config', 'text'],
	model: ['dump', 'text'],
	watch: ['fetch', 'model', 'dump', 'config', 'text'],
	view: ['watch', 'fetch', 'model', 'dump', 'text'],
	report: ['model', 'dump', 'text'],
	ui: ['view', 'watch', 'model', 'dump', 'text'],
	cli: ['ui', 'report', 'view', 'watch', 'model', 'fetch', 'dump', 'config', 'text'],
};

/** Packages with side effects on the terminal or the network, and the one layer each belongs to. */
const packageHome: Record<string, Layer> = {ink: 'ui', react: 'ui', undici: 'fetch'};

export interface Edge {
	/** Importing file, relative to the repository (`source/model/tracker.ts`). */
	from: string;
	/** A file relative to the repository, or a bare package name. */
	to: string;
}

/** `source/model/tracker.ts` → model; `source/config.ts` → config; undefined for a file in no layer. */
export function layerOf(file: string): Layer | undefined {
	if (file === 'source/config.ts') return 'config';
	if (file === 'source/bin.js') return 'cli';
	const match = /^source\/([^/]+)\//.exec(file);
	const name = match?.[1];
	return name !== undefined && name in allowed ? (name as Layer) : undefined;
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The specifiers one file imports: static, type-only, re-exports and dynamic imports alike. */
export function importsOf(text: string): string[] {
	return [...text.matchAll(importPattern)].map(match => (match[1] ?? match[2])!);
}

/** Every arrow against the layers, every package outside its layer, every cycle: one line each. */
export function violations(edges: readonly Edge[]): string[] {
	const found: string[] = [];
	for (const {from, to} of edges) {
		const fromLayer = layerOf(from);
		if (!fromLayer) {
			found.push(`${from} is in no layer`);
			continue;
		}
		if (!to.startsWith('source/')) {
			const home = packageHome[to];
			if (home && home !== fromLayer && fromLayer !== 'cli') found.push(`${from} imports ${to}, which only ${home} may use`);
			continue;
		}
		const toLayer = layerOf(to);
		if (!toLayer) found.push(`${from} imports ${to}, which is in no layer`);
		else if (toLayer !== fromLayer && !allowed[fromLayer].includes(toLayer))
			found.push(`${from} (${fromLayer}) imports ${to} (${toLayer}): against the layers`);
	}
	for (const cycle of cycles(edges)) found.push(`import cycle: ${cycle.join(' → ')}`);
	return found;
}

/** The import cycles among files (each strongly connected set of two or more, or a file importing itself). */
export function cycles(edges: readonly Edge[]): string[][] {
	const next = new Map<string, string[]>();
	for (const {from, to} of edges) next.set(from, [...(next.get(from) ?? []), to]);
	// Tarjan's strongly connected components.
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const found: string[][] = [];
	let counter = 0;
	const visit = (node: string): void => {
		index.set(node, counter);
		low.set(node, counter++);
		stack.push(node);
		onStack.add(node);
		for (const to of next.get(node) ?? []) {
			if (!index.has(to)) {
				visit(to);
				low.set(node, Math.min(low.get(node)!, low.get(to)!));
			} else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
		}
		if (low.get(node) !== index.get(node)) return;
		const component: string[] = [];
		for (;;) {
			const member = stack.pop()!;
			onStack.delete(member);
			component.push(member);
			if (member === node) break;
		}
		if (component.length > 1 || next.get(node)?.includes(node)) found.push(component.reverse());
	};
	for (const node of next.keys()) if (!index.has(node)) visit(node);
	return found;
}

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, {withFileTypes: true}).flatMap(entry => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return /\.(?:ts|tsx|js)$/.test(entry.name) ? [path] : [];
	});
}

/** The repository's own edges: local imports as repository paths, packages by name, node: builtins left out. */
function repositoryEdges(): Edge[] {
	const edges: Edge[] = [];
	for (const path of sourceFiles(join(repoDir, 'source'))) {
		const from = relative(repoDir, path);
		for (const specifier of importsOf(readFileSync(path, 'utf8'))) {
			if (specifier.startsWith('node:')) continue;
			if (specifier.startsWith('.')) {
				edges.push({from, to: relative(repoDir, resolve(dirname(path), specifier))});
				continue;
			}
			const parts = specifier.split('/');
			edges.push({from, to: parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/')});
		}
	}
	return edges;
}

test('every import in source/ points down the layers, and no file is part of an import cycle', () => {
	const edges = repositoryEdges();
	assert.ok(edges.length > 200, `read ${edges.length} imports`);
	assert.ok(
		edges.some(edge => edge.from === 'source/cli/main.ts' && edge.to === 'source/cli/run-tui.ts'),
		'dynamic imports are read',
	);
	assert.deepEqual(violations(edges), []);
});

test('the layers themselves form no cycle', () => {
	const layerEdges = Object.entries(allowed).flatMap(([from, tos]) => tos.map(to => ({from: `source/${from}/x.ts`, to: `source/${to}/x.ts`})));
	assert.deepEqual(cycles(layerEdges), []);
});

test('a wrong import, a package out of its layer, a file in no layer and a cycle are each rejected', () => {
	assert.deepEqual(violations([{from: 'source/model/tracker.ts', to: 'source/view/format.ts'}]), [
		'source/model/tracker.ts (model) imports source/view/format.ts (view): against the layers',
	]);
	assert.deepEqual(violations([{from: 'source/watch/store.ts', to: 'source/ui/app.tsx'}]).length, 1, 'the store may not import the UI');
	assert.deepEqual(violations([{from: 'source/dump/parse.ts', to: 'source/fetch/poller.ts'}]).length, 1, 'the parser does no I/O');
	assert.deepEqual(violations([{from: 'source/view/select.ts', to: 'react'}]), ['source/view/select.ts imports react, which only ui may use']);
	assert.deepEqual(violations([{from: 'source/report/text.ts', to: 'undici'}]).length, 1);
	assert.deepEqual(violations([{from: 'source/report/text.ts', to: 'source/view/format.ts'}]).length, 1, 'reports escape through text/, not the TUI');
	assert.deepEqual(violations([{from: 'source/text/sanitize.ts', to: 'source/view/format.ts'}]).length, 1, 'text is the bottom layer');
	assert.deepEqual(violations([{from: 'source/monitor.ts', to: 'source/model/tracker.ts'}]), ['source/monitor.ts is in no layer']);
	assert.deepEqual(
		violations([
			{from: 'source/model/a.ts', to: 'source/model/b.ts'},
			{from: 'source/model/b.ts', to: 'source/model/c.ts'},
			{from: 'source/model/c.ts', to: 'source/model/a.ts'},
			{from: 'source/model/c.ts', to: 'source/dump/types.ts'},
		]),
		['import cycle: source/model/a.ts → source/model/b.ts → source/model/c.ts'],
	);
	// Allowed arrows stay allowed: the check does not reject everything.
	assert.deepEqual(
		violations([
			{from: 'source/cli/main.ts', to: 'source/ui/start.tsx'},
			{from: 'source/ui/app.tsx', to: 'ink'},
			{from: 'source/fetch/http-source.ts', to: 'undici'},
			{from: 'source/model/tracker.ts', to: 'source/dump/types.ts'},
			{from: 'source/report/text.ts', to: 'source/text/units.ts'},
			{from: 'source/view/rows.ts', to: 'source/text/sanitize.ts'},
			{from: 'source/cli/say.ts', to: 'source/text/sanitize.ts'},
			{from: 'source/cli/signals.ts', to: 'source/cli/exit-codes.ts'},
		]),
		[],
	);
});

test('the reader sees static, type-only, re-exported and dynamic imports', () => {
	const text = [
		"import {a} from './a.ts';",
		"import type {B} from '../model/types.ts';",
		"export {c} from './c.ts';",
		"export * from './d.ts';",
		"import './side-effect.ts';",
		"const x = await import('../ui/start.tsx');",
		'const s = \'import {no} from "./quoted.ts"\';',
	].join('\n');
	assert.deepEqual(importsOf(text), ['./a.ts', '../model/types.ts', './c.ts', './d.ts', './side-effect.ts', '../ui/start.tsx']);
});

test('source/README.md draws the same layers as this test enforces', () => {
	const readme = readFileSync(join(repoDir, 'source/README.md'), 'utf8');
	for (const [layer, tos] of Object.entries(allowed)) {
		const line = new RegExp(`^\\| *\`${layer}\` *\\|[^|]*\\| *${tos.length ? tos.map(to => `\`${to}\``).join(', ') : '—'} *\\|$`, 'm');
		assert.match(readme, line, `source/README.md names what ${layer} may import`);
	}
});
