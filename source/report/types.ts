// What a report is built from: the model's snapshot of the last poll plus what it cost to get.
// The text and JSON formatters read only this, so they stay pure and testable without I/O.
import type {DumpKind} from '../dump/types.ts';
import type {LeakProof} from '../model/proof.ts';
import type {ModelSnapshot} from '../model/types.ts';

export interface PollMeta {
	/** Epoch-ms when the fetch (or file read) started. */
	at: number;
	fetchMs: number;
	bytes: number;
	/** The dump was cut (--max-bytes, Go's 64 MB cap, or a broken stream). */
	truncated: boolean;
}

/** The polls behind a report: how many, and the first and last (a --watch run never keeps them all). */
export interface PollSummary {
	count: number;
	first: PollMeta;
	last: PollMeta;
}

export interface ReportError {
	at: number;
	/** Machine-readable (the poller's PollError kinds, or `read`). */
	kind: string;
	message: string;
}

export interface ReportInput {
	/** The target as shown to the user (never with credentials). */
	target: string;
	kind: DumpKind;
	snapshot: ModelSnapshot;
	polls: PollSummary;
	/** Recent failed polls (bounded), oldest first. */
	errors: ReportError[];
	/** `panic: …` / `fatal error: …` lines before the first goroutine, when the dump is a crash. */
	preamble?: string;
	/** Goroutine headers of a shape gmon does not know (their goroutines are missing): count and the first, raw. */
	unparsedHeaders?: {count: number; first: string};
	/** Whether Go's leak profile stands behind the verdicts (model/proof.ts); unset while unknown. */
	proof?: LeakProof;
	/** Leave out groups (and their goroutines) that are known-benign. */
	hideIdle: boolean;
}
