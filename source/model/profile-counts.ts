// Between two full (debug=2) dumps the poller may read only the cheap debug=1 profile (the
// target's cost budget stretches full dumps; a dump cut at 64 MB is followed by one): counts
// per stack, without ids, states or creators. So that groups keep moving with the total, each
// place of the last full dump takes its share of the profile record with the same stack:
// the record's count × (the place's count / the count of every place with that stack).
// Several places share a stack when only their state or creator differs; the split keeps
// their last mix. Stacks are compared as leak-match compares them (runtime frames dropped,
// capped the way debug=1 caps them), with lines, so two call sites of one function stay apart.
import type {Frame, ProfileRecord} from '../dump/types.ts';
import {CAPPED_AT_LEAST, inSignature} from './leak-match.ts';

/** The stack's key in both formats: `func:line` of its first capped non-runtime frames. */
export function stackKey(frames: readonly Frame[]): string {
	let key = '';
	let kept = 0;
	for (const frame of frames) {
		if (!inSignature(frame)) continue;
		key += `${frame.func}:${frame.line}\n`;
		if (++kept === CAPPED_AT_LEAST) break;
	}
	return key;
}

export interface ProfileShares {
	/** The new count of each place, in the order given. */
	counts: number[];
	/** Goroutines in stacks the last full dump did not have (new since): in the total, in no group. */
	unmatched: number;
}

/** Each place's share of the profile's records (see above). `keys[i]` is stackKey of place i. */
export function profileShares(keys: readonly string[], lastCounts: readonly number[], records: readonly ProfileRecord[]): ProfileShares {
	const byStack = new Map<string, number>();
	for (const record of records) {
		const key = stackKey(record.frames);
		byStack.set(key, (byStack.get(key) ?? 0) + record.count);
	}
	const before = new Map<string, number>();
	for (let i = 0; i < keys.length; i++) before.set(keys[i]!, (before.get(keys[i]!) ?? 0) + lastCounts[i]!);
	const counts = keys.map((key, i) => {
		const now = byStack.get(key) ?? 0;
		const was = before.get(key)!;
		return was === 0 ? 0 : Math.round((now * lastCounts[i]!) / was);
	});
	let unmatched = 0;
	for (const [key, count] of byStack) if (!before.has(key)) unmatched += count;
	return {counts, unmatched};
}
