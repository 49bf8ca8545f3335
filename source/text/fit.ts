// Fitting text into fixed-width terminal cells, for every output (TUI, reports): one rule for a cut
// at the end, one for a cut in the middle, one for wrapping a sentence a reader needs whole. Widths
// count UTF-16 code units: dump text is almost always ASCII, and the few symbols gmon draws itself are
// one column wide.

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
