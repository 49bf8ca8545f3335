// Issue 15: parsing a big dump yields to the event loop between slices, so the TUI answers keys while
// it parses. A stream that hands over its chunks without waiting on I/O (a fast pipe, data already
// buffered) is the case that would otherwise run the whole parse in microtasks, starving every timer,
// key and frame. How long a key waits is bench/responsive.bench.ts's figure; here: that the loop runs.
import assert from 'node:assert/strict';
import {Readable} from 'node:stream';
import {test} from 'node:test';
import {StdinSource} from '../../source/fetch/file-source.ts';
import {SLICE_BYTES} from '../../source/fetch/yield.ts';
import {synthDumpChunks} from '../helpers/synth-dump.ts';

test('a dump streamed without I/O waits lets setImmediate callbacks run while it is parsed, slice after slice', async () => {
	const chunks = [...synthDumpChunks({goroutines: 5_000, seed: 3})].map(text => Buffer.from(text));
	const bytes = chunks.reduce((n, chunk) => n + chunk.length, 0);
	assert.ok(bytes > 4 * SLICE_BYTES, `the input spans several slices (${bytes} bytes)`);
	let done = false;
	let turns = 0;
	const spin = () =>
		setImmediate(() => {
			if (done) return;
			turns++;
			spin();
		});
	spin();
	const outcome = await new StdinSource(Readable.from(chunks), {maxBytes: 1 << 30}).fetch({profile: 'goroutine', debug: 2});
	done = true;
	assert.equal(outcome === 'unchanged' ? 0 : outcome.result.dump.goroutines.length, 5_000, 'the whole dump is parsed');
	// One turn per slice at least (SLICE_BYTES bounds a slice whatever the clock says).
	assert.ok(turns >= Math.floor(bytes / SLICE_BYTES), `the event loop ran ${turns} times during ${bytes} bytes`);
});
