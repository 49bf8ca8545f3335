// The leak gate behind `--fail-on-suspects[=N]`: a CI job fails when N or more goroutines are
// suspects, or when Go's goroutineleak profile proved any leaked (ground truth needs no threshold).
import type {Suspect} from '../model/types.ts';
import {suspectCount} from './rank.ts';

export interface GateResult {
	failed: boolean;
	suspects: number;
	proven: number;
	/** One line for stderr when the gate fails. */
	message: string;
}

export function leakGate(suspects: readonly Suspect[], threshold: number): GateResult {
	const count = suspectCount(suspects);
	const proven = suspects.filter(suspect => suspect.proven).reduce((sum, suspect) => sum + suspect.count, 0);
	const failed = proven > 0 || count >= threshold;
	const top = suspects[0];
	const message = !failed
		? `leak gate passed: ${count} suspect goroutine${count === 1 ? '' : 's'} (fails at ${threshold})`
		: proven > 0
			? `leak gate failed: Go proved ${proven} goroutine${proven === 1 ? '' : 's'} leaked; top: ${top?.reason ?? ''}`
			: `leak gate failed: ${count} suspect goroutine${count === 1 ? '' : 's'} (threshold ${threshold}); top: ${top?.reason ?? ''}`;
	return {failed, suspects: count, proven, message};
}
