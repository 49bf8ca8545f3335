// Go's goroutineleak profile (Go 1.26 experiment, 1.27 GA) lists proven leaks as debug=1
// records: counts per stack, no ids. We match them to the places of the debug=2 poll by the
// stack's functions. Both formats hide runtime frames; we drop any that remain (crash-style
// dumps, the `runtime.goexit` a not-yet-started goroutine shows) so the lists line up.
// debug=1 stacks are capped (32 PCs in Go 1.19, more later) without a marker, so a long
// record that is a prefix of a longer stack matches too.
import type {Frame, ProfileRecord} from '../dump/types.ts';

/** debug=1 prints at most this many frames of a stack (Go 1.19: 32 PCs, fewer frames once runtime ones are hidden). */
export const CAPPED_AT_LEAST = 24;

/** Whether a frame counts in both formats: runtime frames (and panic's pseudo-frame) are dropped. */
export function inSignature(frame: Frame): boolean {
	return !frame.func.startsWith('runtime.') && frame.func !== 'panic';
}

/** The stack as both formats print it: the function names of the frames inSignature keeps. */
function signature(frames: readonly Frame[]): string[] {
	const out: string[] = [];
	for (const frame of frames) if (inSignature(frame)) out.push(frame.func);
	return out;
}

/**
 * A record with no function at all: Go 1.27.3's `goroutineleak?debug=1` on a server whose main ends in
 * `select {}` counts main before taking it back and prints `1 @` with one `#\t0x0` line (formats.md
 * §9.3). It stands for no goroutine and no place: never a suspect, never counted.
 */
export function isEmptyRecord(record: ProfileRecord): boolean {
	// (Not a record with PCs but no frame lines: that is a goroutine that has not started yet.)
	return record.pcs.length === 0 && record.frames.every(frame => frame.func === '');
}

/**
 * The debug=1 twin of isDeliberatePark (Go 1.26 proves main's `select {}` leaked): the record is the main
 * goroutine parked in main.main itself — main.main is its only non-runtime frame — with no more runtime
 * PCs above it than `select {}` leaves (runtime.gopark, runtime.block). debug=1 prints no wait reason;
 * a channel operation leaves three (gopark, chanrecv, chanrecv1) and is not taken for a park. A select
 * with cases also leaves two: main parked on channels nothing can ever reach is the same park.
 */
export function isDeliberateParkRecord(record: ProfileRecord): boolean {
	const funcs = signature(record.frames);
	if (funcs.length !== 1 || funcs[0] !== 'main.main') return false;
	const first = record.frames.find(frame => frame.func === 'main.main');
	const pc = first?.pc === undefined ? Number.NaN : Number(first.pc);
	// The record's PCs are return addresses; a frame line prints the call's PC (one less).
	const above = record.pcs.findIndex(text => {
		const value = Number(text);
		return value === pc || value === pc + 1;
	});
	return above >= 0 && above <= 2;
}

export interface LeakMatcher {
	/** How many goroutines of this stack the profile proved leaked (0 when none). */
	leakedAt(frames: readonly Frame[]): number;
	readonly empty: boolean;
}

export function leakMatcher(records: readonly ProfileRecord[]): LeakMatcher {
	const sigs = records
		.filter(record => record.count > 0 && !isEmptyRecord(record) && !isDeliberateParkRecord(record))
		.map(record => ({count: record.count, funcs: signature(record.frames)}))
		.filter(sig => sig.funcs.length > 0);
	return {
		empty: sigs.length === 0,
		leakedAt(frames) {
			if (sigs.length === 0) return 0;
			const funcs = signature(frames);
			let leaked = 0;
			for (const sig of sigs) {
				const r = sig.funcs;
				if (r.length > funcs.length) continue;
				if (r.length < funcs.length && r.length < CAPPED_AT_LEAST) continue;
				let same = true;
				for (let i = 0; i < r.length; i++) {
					if (r[i] !== funcs[i]) {
						same = false;
						break;
					}
				}
				if (same) leaked += sig.count;
			}
			return leaked;
		},
	};
}
