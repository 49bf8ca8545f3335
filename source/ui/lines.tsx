// A column of single-line texts that never wrap. A line is one Text (one Yoga node), or a row of
// Texts when it mixes ASCII with other characters (see asciiRuns).
import {Box, Text} from 'ink';
import {memo} from 'react';
import type {ChromeTone} from '../view/chrome.ts';
import type {RowTone} from '../view/rows.ts';
import type {Tone} from '../view/stack-lines.ts';
import {lineStyle, rowStyle} from './tones.ts';

const NON_ASCII = /[^\u0020-\u007E]+/g;

/**
 * The line cut into runs of printable ASCII and runs of anything else. Ink measures every Text's
 * width on every frame with string-width, which is instant for printable ASCII and walks a grapheme
 * segmenter over the whole text otherwise: one `●` or `…` in a row made its 120 characters cost
 * ~100 µs per frame (measured: 4 ms of a 10k-goroutine key press at 120x40). Split, only the short
 * non-ASCII runs take the slow path.
 */
export function asciiRuns(text: string): string[] {
	const runs: string[] = [];
	let at = 0;
	for (const match of text.matchAll(NON_ASCII)) {
		if (match.index > at) runs.push(text.slice(at, match.index));
		runs.push(match[0]);
		at = match.index + match[0].length;
	}
	if (at < text.length) runs.push(text.slice(at));
	return runs;
}

type TextStyle = Parameters<typeof Text>[0];

function Runs({text, style}: {text: string; style: TextStyle}) {
	const runs = asciiRuns(text);
	if (runs.length <= 1)
		return (
			<Text wrap="truncate" {...style}>
				{text}
			</Text>
		);
	return (
		<Box flexDirection="row">
			{runs.map((run, i) => (
				<Text key={i} wrap="truncate" {...style}>
					{run}
				</Text>
			))}
		</Box>
	);
}

export const Line = memo(function Line({text, tone, noColor}: {text: string; tone: Tone | ChromeTone; noColor: boolean}) {
	return <Runs text={text === '' ? ' ' : text} style={lineStyle(tone, noColor)} />;
});

/**
 * A list row. The selected row is drawn inverse and gets a `>` in the gap after its marks, so
 * the cursor stays visible where styles are off (--no-color makes chalk drop inverse too).
 * Only the selected row keeps its trailing spaces (the highlight spans the whole width); the
 * others drop them, because Ink's per-frame cost grows with every cell it writes.
 */
export const RowLine = memo(function RowLine({text, tone, selected, noColor}: {text: string; tone: RowTone; selected: boolean; noColor: boolean}) {
	const shown = selected ? `${text.slice(0, 2)}>${text.slice(3)}` : text.trimEnd() || ' ';
	return <Runs text={shown} style={{inverse: selected, ...rowStyle(tone, noColor)}} />;
});

/**
 * Exactly `height` rows tall, so the footer stays at the bottom whatever the content. Callers
 * never give it more than `height` lines; no overflow="hidden", because clipping makes Ink
 * slice every line through slice-ansi on every frame.
 */
export function Body({height, children}: {height: number; children: React.ReactNode}) {
	return (
		<Box flexDirection="column" height={height}>
			{children}
		</Box>
	);
}
