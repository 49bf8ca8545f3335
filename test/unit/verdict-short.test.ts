// The verdict's short form (verdict.ts shortReason): every text the evidence can produce has one, so a
// narrow WHY column says the same facts in a few words instead of "likely: the fun…".
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {judgeSite, reasonParts, shortFragment, shortReason, whyFragments, type Primitive, type SiteFacts} from '../../source/model/verdict.ts';

const states: Record<Primitive, string> = {
	send: 'chan send',
	receive: 'chan receive',
	select: 'select',
	lock: 'sync.Mutex.Lock',
	'wait-group': 'sync.WaitGroup.Wait',
	cond: 'sync.Cond.Wait',
	other: 'IO wait',
};

/** Every combination of the facts that switch an evidence text on, for each primitive. */
function* allFacts(): Generator<SiteFacts> {
	const now = 1_000_000;
	for (const primitive of Object.keys(states) as Primitive[])
		for (const leaked of [0, 3, 12])
			for (const creatorGone of [0, 5, 12])
				for (const maxMinutes of [0, 2, 7])
					for (const accumulated of [false, true])
						for (const interleaved of accumulated ? [0.2, 0.8] : [0])
							for (const stuckNewcomers of [0, 4])
								for (const leftRecently of [false, true])
									for (const extra of ['none', 'baseline', 'growth', 'trickle', 'never', 'nilchan'] as const)
										yield {
											state: extra === 'never' ? 'select (no cases)' : extra === 'nilchan' ? 'chan send (nil chan)' : states[primitive],
											primitive,
											location: 'leaks.go:81',
											count: 12,
											leaked,
											neverWakes: extra === 'never' || extra === 'nilchan',
											maxMinutes,
											creatorGone,
											creatorKnown: 12,
											accumulated,
											interleaved,
											idSpan: 400,
											stuckNewcomers,
											leftRecently,
											...(extra === 'baseline' ? {sinceBaseline: 1} : {}),
											...(extra === 'growth' ? {growth: {added: 10, steps: 1, lastRiseAt: now - 60_000, firstRiseAt: now - 60_000}} : {}),
											...(extra === 'trickle' ? {growth: {added: 12, steps: 5, lastRiseAt: now - 120_000, firstRiseAt: now - 300_000}} : {}),
											leakThreshold: 10,
											now,
										};
}

test('every fragment a verdict can say has a short form (a new evidence text needs one beside it)', () => {
	const unknown = new Set<string>();
	let verdicts = 0;
	for (const facts of allFacts()) {
		const verdict = judgeSite(facts);
		if (!verdict) continue;
		verdicts++;
		const {why} = reasonParts(verdict.reason);
		for (const fragment of whyFragments(why ?? '')) if (shortFragment(fragment) === undefined) unknown.add(fragment);
		const short = shortReason(verdict.reason);
		assert.ok(short.startsWith(`${verdict.tier}: `), short);
		assert.ok(short.length < verdict.reason.length, short);
	}
	assert.ok(verdicts > 1000, `only ${verdicts} verdicts`);
	assert.deepEqual([...unknown], []);
});

test('the short form keeps the facts: tier, the creator, the count rule, the growth', () => {
	const reason =
		"likely leak: 12 goroutines in chan send at leaks.go:97 — the functions that started them have returned, so nobody will receive; 12 senders at one site (LeakProf's rule); +10 in one burst 1m ago";
	assert.equal(shortReason(reason), 'likely: creator gone, 12 senders, +10');
	assert.equal(
		shortReason('possible leak: 9 goroutines in chan receive at w.go:3 — 4 of 9 outlived the function that started them, born over 88 goroutine ids'),
		'possible: 4/9 outlived creator, born over 88 ids',
	);
	// A fragment no rule knows stays as it is rather than vanish.
	assert.equal(shortReason('likely leak: 2 goroutines in chan send at a.go:1 — something new'), 'likely: something new');
});
