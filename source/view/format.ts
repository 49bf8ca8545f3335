import {truncateEnd} from '../text/fit.ts';
import {formatDuration} from '../text/units.ts';

// Pure text formatting for the TUI's fixed-width cells (the cuts and wrapping every output shares
// live in text/fit.ts).

/** Pads (or end-truncates) to exactly `width` columns. */
export function padEnd(text: string, width: number): string {
	const cut = truncateEnd(text, width);
	return cut.length < width ? cut + ' '.repeat(width - cut.length) : cut;
}

/** Right-aligns (or end-truncates) to exactly `width` columns. */
export function padStart(text: string, width: number): string {
	const cut = truncateEnd(text, width);
	return cut.length < width ? ' '.repeat(width - cut.length) + cut : cut;
}

/** Wait column: blank under a second (nothing to see), otherwise a duration. */
export function formatWait(ms: number): string {
	return ms < 1000 ? '' : formatDuration(ms);
}

/** `+3`, `-2`, `0`. */
export function formatDelta(delta: number): string {
	if (delta > 0) return `+${delta}`;
	return String(delta);
}

/**
 * A group's state as a cell: its one state, or "3 states" when its members are in several (a
 * label or creator group mixes them; naming only the most common one would speak for all).
 */
export function groupStateText(group: {state: string; states: Readonly<Record<string, number>>}): string {
	let n = 0;
	for (const count of Object.values(group.states)) if (count > 0) n++;
	return n > 1 ? `${n} states` : group.state;
}

/** `1234`, `12.3k`, `1.2M`: counts in narrow columns. */
export function formatCount(n: number): string {
	if (n < 10_000) return String(n);
	if (n < 1_000_000) return `${(n / 1000).toFixed(n < 100_000 ? 1 : 0)}k`;
	return `${(n / 1_000_000).toFixed(1)}M`;
}

const bars = '▁▂▃▄▅▆▇█';

/**
 * The last `width` values as block characters, scaled from zero to their max: ONE rule for every
 * trend gmon draws (the header's total and each group's TREND), so the same steady count looks the
 * same everywhere (full height), 3 → 4 does not look like a leak taking off, and 0 → 12 does. The
 * small moves a zero-based scale hides are in the Δ beside each sparkline. Fewer values than
 * `width` give a shorter line; all zeros draw the floor.
 */
export function sparkline(values: readonly number[], width: number): string {
	if (width <= 0 || values.length === 0) return '';
	const recent = values.length > width ? values.slice(values.length - width) : values;
	let max = 0;
	for (const v of recent) if (v > max) max = v;
	let out = '';
	for (const v of recent) out += bars[max <= 0 ? 0 : Math.round((Math.max(0, v) / max) * (bars.length - 1))];
	return out;
}
