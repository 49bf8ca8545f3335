// Terminal text helpers for the reports: colour only when asked (a TTY without NO_COLOR or
// --no-color), and long names cut in the middle so both the package and the method stay visible.
// Text from a dump or a target goes through text/sanitize.ts `visible` before it is styled.

export interface Style {
	bold(text: string): string;
	dim(text: string): string;
	red(text: string): string;
	yellow(text: string): string;
	green(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\u001B[${open}m${text}\u001B[${close}m`;

export function createStyle(color: boolean): Style {
	if (!color) {
		const plain = (text: string) => text;
		return {bold: plain, dim: plain, red: plain, yellow: plain, green: plain};
	}

	return {bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39)};
}

/** Cuts `text` to `width` characters with `…` in the middle. */
export function fitMiddle(text: string, width: number): string {
	if (text.length <= width) return text;
	if (width <= 1) return text.slice(0, width);
	const head = Math.ceil((width - 1) / 2);
	const tail = width - 1 - head;
	return `${text.slice(0, head)}…${tail > 0 ? text.slice(-tail) : ''}`;
}

/** Cuts `text` to `width` characters with `…` at the end. */
export function fitEnd(text: string, width: number): string {
	return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

export const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
