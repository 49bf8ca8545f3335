// The leak gate behind `--fail-on TIER`, `--fail-on-suspects[=N]` and `--baseline FILE`: a CI job
// fails when N or more goroutines (default 1) are in suspects of the tier or above (default
// likely), or when Go's goroutineleak profile proved any leaked (ground truth needs no threshold).
import {atLeast, type Tier} from '../model/verdict.ts';
import type {Suspect} from '../model/types.ts';
import {suspectCount} from './rank.ts';

export interface GateOptions {
	/** Goroutines in counted suspects that fail the run (default 1). */
	threshold: number;
	/** The weakest tier counted (default likely). */
	failOn: Tier;
}

export interface GateResult {
	failed: boolean;
	/** Goroutines in suspects at or above the tier. */
	suspects: number;
	proven: number;
	/** One line for stderr when the gate fails. */
	message: string;
}

export const defaultGate: GateOptions = {threshold: 1, failOn: 'likely'};

export function leakGate(suspects: readonly Suspect[], options: Partial<GateOptions> = {}): GateResult {
	const {threshold, failOn} = {...defaultGate, ...options};
	const counted = suspects.filter(suspect => atLeast(suspect.tier, failOn));
	const count = suspectCount(counted);
	const proven = suspectCount(suspects.filter(suspect => suspect.tier === 'proven'));
	const failed = proven > 0 || count >= threshold;
	const top = counted[0] ?? suspects[0];
	const tiers = failOn === 'proven' ? 'proven' : `${failOn}-or-above`;
	const of = (n: number) => `${n} ${tiers} suspect goroutine${n === 1 ? '' : 's'}`;
	const below = suspects.length - counted.length;
	const message = !failed
		? `leak gate passed: ${of(count)} (fails at ${threshold})${below > 0 ? `; ${below} weaker suspect${below === 1 ? '' : 's'} not counted` : ''}`
		: proven > 0
			? `leak gate failed: Go proved ${proven} goroutine${proven === 1 ? '' : 's'} leaked; top: ${top?.reason ?? ''}`
			: `leak gate failed: ${of(count)} (threshold ${threshold}); top: ${top?.reason ?? ''}`;
	return {failed, suspects: count, proven, message};
}
