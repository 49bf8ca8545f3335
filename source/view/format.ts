import {formatDuration} from '../text/units.ts';

// Pure text formatting for fixed-width terminal cells. Widths count UTF-16 code units: dump text is
// almost always ASCII, and the few symbols gmon draws itself are one column wide.

const ellipsis = '…';

/** Cuts the middle out of `text` so it fits `width` (`github.com/a/…/handlers.go:88`); never wraps. */
export function truncateMiddle(text: string, width: number): string {
	if (width <= 0) return '';
	if (text.length <= width) return text;
	if (width === 1) return ellipsis;
	const keep = width - 1;
	// Keep a little more of the end: the file name, the line number and the method name live there.
	let head = Math.floor(keep / 2);
	let tail = keep - head;
	// A major-version element names nothing alone: `…v9.(*Client).Process` lost the package and
	// `redis/v…` reads as a cut word. The tail keeps `redis/v9` whole when the cut lands in it (if
	// it fits); the head stops before `/v9` rather than inside it.
	for (const span of versionSpans(text)) {
		const cut = text.length - tail;
		if (cut > span.start && cut < span.end && text.length - span.start <= keep) {
			tail = text.length - span.start;
			head = keep - tail;
		}
		if (head > span.slash && head < span.end) {
			tail += head - span.slash;
			head = span.slash;
		}
	}
	return text.slice(0, head) + ellipsis + text.slice(text.length - tail);
}

/**
 * Word-wraps `text` into lines of at most `width` columns, continuation lines indented by `indent`
 * spaces; a word longer than a line is cut. For sentences a reader needs whole (a suspect's why).
 */
export function wrapWords(text: string, width: number, indent = 0): string[] {
	if (width <= indent + 1) return [truncateEnd(text, width)];
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		const room = width - (lines.length === 0 ? 0 : indent);
		if (line === '') line = word;
		else if (line.length + 1 + word.length <= room) line += ` ${word}`;
		else {
			lines.push(line);
			line = word;
		}
	}
	lines.push(line);
	return lines.map((text, i) => (i === 0 ? truncateEnd(text, width) : ' '.repeat(indent) + truncateEnd(text, width - indent)));
}

/** `/v2`, `/v10` as a module path's major version: followed by `.`, `/` or the end. */
const majorVersion = /\/v\d+(?=[./]|$)/g;

/** Each `elem/vN` in `text`: where `elem` starts, where `/vN` starts, and where it ends. */
function versionSpans(text: string): Array<{start: number; slash: number; end: number}> {
	return [...text.matchAll(majorVersion)].map(match => ({
		start: text.lastIndexOf('/', match.index - 1) + 1,
		slash: match.index,
		end: match.index + match[0].length,
	}));
}

/** Cuts the end of `text` to fit `width`. */
export function truncateEnd(text: string, width: number): string {
	if (width <= 0) return '';
	if (text.length <= width) return text;
	if (width === 1) return ellipsis;
	return text.slice(0, width - 1) + ellipsis;
}

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
