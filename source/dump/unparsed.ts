// Goroutines behind a header shape gmon does not know are in no count. Every output that says so
// (the --once text, the TUI header, the not-a-dump error) uses these words, and one rule decides
// when a dump with such headers has nothing left to show.
import type {Dump} from './types.ts';

/** `3 goroutine headers not understood`; `shown` is the count as the caller prints numbers (`12.3k`). */
export function unparsedHeadersText(count: number, shown = String(count)): string {
	return `${shown} goroutine header${count === 1 ? '' : 's'} not understood`;
}

/**
 * A traceback in which not one goroutine could be read: every header it has (if any) is of an
 * unknown shape. A prose file quoting one `goroutine 7 [chan send]` line is such an input, and so
 * is a dump of a Go whose headers gmon cannot parse: neither is a report of "0 goroutines", and a
 * gate must not pass on it. (A debug=1 profile has no goroutines by design: not this.)
 */
export function noGoroutineRead(dump: Dump): boolean {
	return dump.kind === 'traceback' && dump.goroutines.length === 0;
}
