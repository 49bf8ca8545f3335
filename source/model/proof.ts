// Whether gmon's leak verdicts can be proofs or are heuristics only: Go's goroutineleak profile
// (1.27, or 1.26 built with GOEXPERIMENT=goroutineleakprofile) proves leaks; without it (Go 1.19–1.25,
// 1.26 without the experiment, a saved dump without `(leaked)` marks) every verdict is gmon's own
// rule, and every output says so in these words: the TUI's header and stack view, the text report,
// and the JSON report's `leakProof`.
import type {ModelSnapshot} from './types.ts';

export interface LeakProof {
	/** Go's leak profile stands behind the `proven` tier. */
	available: boolean;
	/** A few words for a header: `heuristics only`, `proofs from Go's leak profile`. */
	summary: string;
	/** One sentence: where the proofs come from, or why there are none and how to get them. */
	why: string;
}

export interface LeakProofInput {
	/** The poller's probe of /debug/pprof/goroutineleak ('absent' for a file or stdin, which cannot serve it). */
	leakProfile: 'unknown' | 'absent' | 'present';
	/** The dump came from a file or stdin, not a live target. */
	offline: boolean;
	/** The model holds goroutines Go marked `(leaked)`, or was read from a goroutineleak profile. */
	marked: boolean;
}

const HOW = 'Go before 1.26, or 1.26 without GOEXPERIMENT=goroutineleakprofile';

/** Undefined while a live target's leak profile has not been probed yet (nothing honest to say). */
export function leakProof({leakProfile, offline, marked}: LeakProofInput): LeakProof | undefined {
	if (marked || leakProfile === 'present') {
		return {
			available: true,
			summary: "proofs from Go's leak profile",
			why: "proven leaks come from Go's goroutineleak profile; likely and possible are gmon's heuristics",
		};
	}
	if (leakProfile === 'unknown') return undefined;
	const why = offline ? `no (leaked) marks in this dump (${HOW}, or not a goroutineleak dump)` : `the target serves no goroutineleak profile (${HOW})`;
	return {available: false, summary: 'heuristics only', why};
}

/** The whole statement, where there is room for it (the text report, a suspect's stack view). */
export function proofSentence(proof: LeakProof): string {
	return proof.available ? proof.summary : `${proof.summary}: ${proof.why}`;
}

/** modelMarked per snapshot: the TUI asks on every frame (header and stack view), a snapshot never changes. */
const marked = new WeakMap<ModelSnapshot, boolean>();

/** Whether Go marked any goroutine of the model `(leaked)` (a goroutineleak debug=2 dump, or a saved debug=1 leak profile). */
export function modelMarked(model: ModelSnapshot | undefined): boolean {
	if (!model) return false;
	let answer = marked.get(model);
	if (answer === undefined) {
		answer = model.groups.some(group => group.leaked > 0);
		marked.set(model, answer);
	}
	return answer;
}
