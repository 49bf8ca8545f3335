// Issue 15: a fetch+parse that takes over a second shows the bytes read so far in the TUI header
// ("polling for 3s · 41 MiB read"), published by the poller a few times a second at most.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {createDumpParser} from '../../source/dump/parse.ts';
import {PROGRESS_AFTER_MS, PROGRESS_EVERY_MS, Poller} from '../../source/fetch/poller.ts';
import type {DumpSource, FetchOutcome, FetchRequest} from '../../source/fetch/source.ts';
import type {Timers} from '../../source/fetch/timers.ts';
import {headerLines} from '../../source/view/chrome.ts';
import {initialUiState} from '../../source/view/reducer.ts';
import {pollerState} from '../helpers/fake-store.ts';

const base = {model: undefined, width: 160, compact: false, stateOrder: [], ui: initialUiState()};
const last = {at: 1000, durationMs: 50, bytes: 10, debug: 2 as const, dump: {} as never, truncated: false};

test('the header shows the bytes read so far beside the clock of a slow poll', () => {
	const later = headerLines({...base, now: 18_000, poller: pollerState({polling: true, pollStartedAt: 15_000, last, bytesRead: 41 * 2 ** 20})});
	assert.match(later[0]!.text, /polling for 3s · 41 MiB read · every 2s$/);
	const first = headerLines({...base, now: 18_000, poller: pollerState({polling: true, pollStartedAt: 15_000, bytesRead: 3.5 * 2 ** 20})});
	assert.match(first[0]!.text, /waiting for the first poll… 3s · 3.5 MiB read · every 2s$/);
	const early = headerLines({...base, now: 16_500, poller: pollerState({polling: true, pollStartedAt: 15_000, last, bytesRead: 2048})});
	assert.match(early[0]!.text, /polling · 2.0 KiB read · every 2s$/, 'from a second in, before the clock shows');
	const done = headerLines({...base, now: 18_000, poller: pollerState({polling: false, last, bytesRead: 2048})});
	assert.doesNotMatch(done[0]!.text, /read/, 'no progress once the poll is over');
});

/** A clock the test moves by hand (timers never fire: the test polls once). */
function clock(): Timers & {at: number} {
	return {
		at: 0,
		now() {
			return this.at;
		},
		setTimeout: () => undefined,
		clearTimeout: () => {},
	};
}

/** A file source that reads its body in 64 KiB chunks, each taking `msPerChunk` on the test's clock. */
function slowSource(body: Buffer, timers: {at: number}, msPerChunk: number): DumpSource {
	return {
		displayName: 'slow',
		repeats: false,
		hasProfiles: false,
		async fetch(request: FetchRequest): Promise<FetchOutcome> {
			const parser = createDumpParser();
			let bytes = 0;
			for (let at = 0; at < body.length; at += 1 << 16) {
				const chunk = body.subarray(at, at + (1 << 16));
				timers.at += msPerChunk;
				bytes += chunk.length;
				request.onProgress?.(bytes);
				parser.write(chunk);
			}
			const dump = parser.end();
			return {result: {at: 0, durationMs: timers.at, bytes, debug: 2, dump, truncated: false}};
		},
		async close() {},
	};
}

test('the poller publishes the bytes read from a second into a full dump, at most every half second, and clears them after', async () => {
	const body = Buffer.concat(Array.from({length: 40}, () => readFileSync(new URL('../fixtures/dumps/go1.19-sigquit-crash.txt', import.meta.url))));
	const timers = clock();
	const chunks = Math.ceil(body.length / (1 << 16));
	const msPerChunk = 100;
	const poller = new Poller(slowSource(body, timers, msPerChunk), {intervalMs: 2000, maxOverheadPct: 0, timers});
	const seen: Array<{at: number; bytes: number}> = [];
	poller.subscribe(() => {
		const bytes = poller.getState().bytesRead;
		if (bytes !== undefined && bytes !== seen.at(-1)?.bytes) seen.push({at: timers.at, bytes});
	});
	const state = await poller.poll();
	assert.ok(chunks * msPerChunk >= 3 * PROGRESS_AFTER_MS, `the body spans a few seconds of the test clock (${chunks} chunks)`);
	assert.ok(seen.length >= 2, `progress was published (${seen.length} times)`);
	assert.ok(seen[0]!.at >= PROGRESS_AFTER_MS, 'nothing in the first second');
	for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.at - seen[i - 1]!.at >= PROGRESS_EVERY_MS, 'at most every half second');
	assert.ok(
		seen.every((s, i) => i === 0 || s.bytes > seen[i - 1]!.bytes),
		'the count only grows',
	);
	assert.equal(state.bytesRead, undefined, 'gone when the poll ends');
	assert.ok(state.last, 'the dump arrived');
	await poller.stop();
});
