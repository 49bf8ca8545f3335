// Terminal text helpers for the reports: colour only when asked (a TTY without NO_COLOR or
// --no-color). Cuts to a width are text/fit.ts's, the TUI's own.
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

export const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
