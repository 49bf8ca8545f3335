import assert from 'node:assert/strict';
import {test} from 'node:test';
import {FuzzyIndex} from '../../source/view/fuzzy.ts';
import {initialUiState} from '../../source/view/reducer.ts';
import {SearchTexts, searchTextOf} from '../../source/view/search-texts.ts';
import {createSelector} from '../../source/view/select.ts';
import type {GoroutinesView} from '../../source/view/types.ts';
import {snapshot, tracked} from '../helpers/fake-store.ts';

const view: GoroutinesView = {kind: 'goroutines', sel: {index: 0, top: 0}};

const model = snapshot([
	tracked({id: 1, state: 'chan receive', frames: [['main.(*Pool).Get', '/app/pool.go', 12]], createdBy: {func: 'main.startPool'}}),
	tracked({id: 2, state: 'IO wait', frames: [['net/http.(*conn).serve', '/go/src/net/http/server.go', 2000]], createdBy: {func: 'net/http.(*Server).Serve'}}),
	tracked({id: 3, state: 'select', frames: [['github.com/acme/svc/cache.(*LRU).evictLoop', '/src/cache/lru.go', 88]], createdBy: {func: 'main.main'}}),
	tracked({id: 4, state: 'chan send', frames: [['main.publish', '/app/publish.go', 40]], createdBy: {func: 'main.startPool'}}),
]);

function filtered(query: string, select = createSelector()): number[] {
	const ui = {...initialUiState(), query, sort: {goroutines: {key: 'id' as const, desc: false}, groups: {key: 'count' as const, desc: true}}};
	return select.goroutines(model, ui, view, 10).items.map(t => t.g.id);
}

test('an empty or blank query filters nothing (fuzzysort 4 would return arbitrary hits)', () => {
	assert.deepEqual(filtered(''), [1, 2, 3, 4]);
	assert.deepEqual(filtered('   '), [1, 2, 3, 4]);
	assert.equal(new FuzzyIndex().match('', ['a', 'b']).size, 0);
});

test('the filter is fuzzy and case-insensitive over function, file, created-by and state', () => {
	assert.deepEqual(filtered('evictloop'), [3]);
	assert.deepEqual(filtered('EVCTLP'), [3]);
	assert.deepEqual(filtered('lru.go'), [3]);
	assert.deepEqual(filtered('startPool'), [1, 4]);
	assert.deepEqual(filtered('IO wait'), [2]);
});

test('spaces split the query into words that must all match, in any place', () => {
	assert.deepEqual(filtered('chan receive'), [1]);
	assert.deepEqual(filtered('chan startpool'), [1, 4]);
	assert.deepEqual(filtered('select pool'), []);
});

test('more than ten matches all come back (fuzzysort 4 defaults to limit 10)', () => {
	const many = snapshot(Array.from({length: 50}, (_, i) => tracked({id: i + 1, frames: [[`main.worker${i}`, '/app/w.go', i + 1]]})));
	const ui = {...initialUiState(), query: 'worker'};
	assert.equal(createSelector().goroutines(many, ui, view, 10).items.length, 50);
});

test('prepared targets are cached by text across polls and shared by goroutines with the same text', () => {
	const index = new FuzzyIndex();
	const poll = (n: number) => Array.from({length: n}, (_, i) => tracked({id: i + 1, frames: [[`main.worker${i % 5}`, '/app/w.go', 10]]}));
	const first = [...new Set(poll(1000).map(searchTextOf))];
	assert.equal(first.length, 5);
	const hits = index.match('worker3', first);
	assert.equal(hits.size, 1);
	assert.equal(index.size, 5);
	// A new poll: new objects, the same texts: no growth, same answers.
	const second = [...new Set(poll(1200).map(searchTextOf))];
	assert.equal(index.match('worker3', second).size, 1);
	assert.equal(index.size, 5);
	// Texts that left the target are dropped from the cache.
	assert.equal(index.match('worker', ['main.other x.go:1', 'main.worker9 w.go:1']).size, 1);
	assert.equal(index.size, 2);
});

test('goroutines with the same state, place and creator share one search text, across polls', () => {
	const table = new SearchTexts();
	const poll = () => [
		tracked({id: 1, frames: [['main.a', '/app/a.go', 1]], createdBy: {func: 'main.main'}}),
		tracked({id: 2, frames: [['main.a', '/app/a.go', 1]], createdBy: {func: 'main.main'}}),
		tracked({id: 3, frames: [['main.a', '/app/a.go', 2]], createdBy: {func: 'main.main'}}),
		tracked({id: 4, state: 'select', frames: [['main.a', '/app/a.go', 1]], createdBy: {func: 'main.main'}}),
	];
	const first = table.idsOf(poll());
	assert.deepEqual([...first], [0, 0, 1, 2]);
	assert.deepEqual([...table.idsOf(poll())], [0, 0, 1, 2]);
	assert.equal(table.texts.length, 3);
	assert.equal(table.texts[0], searchTextOf(poll()[0]!));
	assert.equal(table.texts[1], 'chan receive main.a a.go:2 main.main');
});

test('when some text matches strongly, letters strewn across other lines do not count', () => {
	const index = new FuzzyIndex();
	const texts = ['select main.worker worker.go:20 ', 'chan send main.(*Server).publish publish.go:88 main.(*Server).handle'];
	assert.deepEqual([...index.match('sel', texts)], [texts[0]]);
	// With no strong match anywhere, a scattered abbreviation is the answer.
	assert.deepEqual([...index.match('srvhdl', texts)], [texts[1]]);
});

test('pprof labels are searched as key=value; the same place with other labels is another search text', () => {
	const acme = Object.freeze({handler: '/api/v1/export', tenant: 'acme'});
	const other = Object.freeze({tenant: 'globex'});
	const labelled = snapshot([tracked({id: 1, labels: acme}), tracked({id: 2, labels: other}), tracked({id: 3})]);
	const select = createSelector();
	const ids = (query: string) =>
		select
			.goroutines(labelled, {...initialUiState(), query}, view, 10)
			.items.map(t => t.g.id)
			.sort();
	assert.deepEqual(ids('tenant=acme'), [1]);
	assert.deepEqual(ids('tenant=globex'), [2]);
	assert.deepEqual(ids('handler=/api'), [1]);
	assert.match(searchTextOf(labelled.goroutines[0]!), / handler=\/api\/v1\/export tenant=acme$/);
});
