// Tones (chosen by the pure view code) → Ink Text props. With NO_COLOR only styles remain
// (bold, dim, inverse), and the row marks (! ? ● +) still say what the colour would have.
import type {TextProps} from 'ink';
import type {ChromeTone} from '../view/chrome.ts';
import type {RowTone} from '../view/rows.ts';
import type {Tone} from '../view/stack-lines.ts';

type Style = Pick<TextProps, 'color' | 'backgroundColor' | 'bold' | 'dimColor'>;

const rowColours: Record<RowTone, Style> = {
	normal: {},
	new: {color: 'green'},
	stuck1: {color: 'yellow'},
	stuck2: {color: '#ff8700'},
	stuck3: {color: 'red'},
	suspect: {color: 'magentaBright', bold: true},
	proven: {color: 'whiteBright', backgroundColor: 'red', bold: true},
	idle: {dimColor: true},
};

const rowPlain: Record<RowTone, Style> = {
	normal: {},
	new: {},
	stuck1: {},
	stuck2: {bold: true},
	stuck3: {bold: true},
	suspect: {bold: true},
	proven: {bold: true},
	idle: {dimColor: true},
};

export function rowStyle(tone: RowTone, noColor: boolean): Style {
	return (noColor ? rowPlain : rowColours)[tone];
}

const lineColours: Record<Tone | ChromeTone, Style> = {
	normal: {},
	dim: {dimColor: true},
	title: {bold: true, color: 'cyan'},
	warn: {color: 'yellow'},
	danger: {color: 'red', bold: true},
	accent: {color: 'cyan'},
};

const linePlain: Record<Tone | ChromeTone, Style> = {
	normal: {},
	dim: {dimColor: true},
	title: {bold: true},
	warn: {bold: true},
	danger: {bold: true},
	accent: {},
};

export function lineStyle(tone: Tone | ChromeTone, noColor: boolean): Style {
	return (noColor ? linePlain : lineColours)[tone];
}
