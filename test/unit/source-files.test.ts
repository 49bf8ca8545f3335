// --source-root's mapping and the live view's reader, on real files in a temporary folder.
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {locateSource, readSource, SourceFiles, sourceCandidates} from '../../source/watch/source-files.ts';

function checkout(t: {after(fn: () => void): void}): string {
	const dir = mkdtempSync(join(tmpdir(), 'gmon-source-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	mkdirSync(join(dir, 'internal/orders'), {recursive: true});
	writeFileSync(join(dir, 'internal/orders/dispatch.go'), 'package orders\n\nfunc fanout() {\n\tch <- 1\n}\n');
	writeFileSync(join(dir, 'main.go'), 'package main\n');
	writeFileSync(join(dir, 'secret.txt'), 'not a source\n');
	return dir;
}

test('--source-root maps a build path by its longest tail that exists under the folder', async t => {
	const root = checkout(t);
	const want = join(root, 'internal/orders/dispatch.go');
	// A CI machine's absolute path, a module-cache path, a -trimpath module path: the same file.
	for (const built of [
		'/home/ci/build/shop/internal/orders/dispatch.go',
		'/root/go/pkg/mod/example.com/shop@v1.2.3/internal/orders/dispatch.go',
		'example.com/shop/internal/orders/dispatch.go',
		'C:\\build\\shop\\internal\\orders\\dispatch.go',
	])
		assert.equal(await locateSource(built, root), want, built);
	// The longest tail wins over a shorter one that exists too.
	mkdirSync(join(root, 'orders'));
	writeFileSync(join(root, 'orders/dispatch.go'), 'package other\n');
	assert.equal(await locateSource('/x/internal/orders/dispatch.go', root), want);
	assert.equal(await locateSource('/elsewhere/nothing.go', root), undefined);
});

test('only Go sources are read, and a path never climbs out of the root', async t => {
	const root = checkout(t);
	assert.deepEqual(sourceCandidates('/build/secret.txt', root), []);
	assert.equal(await locateSource(join(root, 'secret.txt')), undefined);
	for (const candidate of sourceCandidates('../../../../etc/x.go', root)) assert.ok(candidate.startsWith(root) || candidate.endsWith('etc/x.go'));
	assert.ok(
		sourceCandidates('../../../../etc/x.go', root)
			.slice(0, -1)
			.every(candidate => candidate.startsWith(`${root}/`)),
	);
});

test('without a root the path itself is read when it is here; the reader caches and tells its listeners', async t => {
	const root = checkout(t);
	const path = join(root, 'internal/orders/dispatch.go');
	const found = await readSource(path);
	assert.equal(found.status, 'found');
	assert.equal(found.status === 'found' && found.lines[3], '\tch <- 1');
	assert.deepEqual(await readSource('/no/such/file.go', root), {status: 'missing', root});

	const files = new SourceFiles(root);
	assert.equal(files.cached('/ci/shop/main.go'), undefined);
	const landed = new Promise<void>(resolve => files.subscribe(resolve));
	files.request('/ci/shop/main.go');
	files.request('/ci/shop/main.go');
	await landed;
	assert.deepEqual(files.cached('/ci/shop/main.go'), {status: 'found', path: join(root, 'main.go'), lines: ['package main', '']});
	assert.equal(await files.locate('/ci/shop/internal/orders/dispatch.go'), path);
});
