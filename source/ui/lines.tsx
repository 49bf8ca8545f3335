// A column of single-line texts that never wrap. Each line is one Text (one Yoga node).
import {Box, Text} from 'ink';
import {memo} from 'react';
import type {ChromeTone} from '../view/chrome.ts';
import type {RowTone} from '../view/rows.ts';
import type {Tone} from '../view/stack-lines.ts';
import {lineStyle, rowStyle} from './tones.ts';

export const Line = memo(function Line({text, tone, noColor}: {text: string; tone: Tone | ChromeTone; noColor: boolean}) {
	return <Text wrap="truncate" {...lineStyle(tone, noColor)}>{text === '' ? ' ' : text}</Text>;
});

/**
 * A list row. The selected row is drawn inverse and gets a `>` in the gap after its marks, so
 * the cursor stays visible where styles are off (--no-color makes chalk drop inverse too).
 * Only the selected row keeps its trailing spaces (the highlight spans the whole width); the
 * others drop them, because Ink's per-frame cost grows with every cell it writes.
 */
export const RowLine = memo(function RowLine({text, tone, selected, noColor}: {text: string; tone: RowTone; selected: boolean; noColor: boolean}) {
	const shown = selected ? `${text.slice(0, 2)}>${text.slice(3)}` : text.trimEnd() || ' ';
	return <Text wrap="truncate" inverse={selected} {...rowStyle(tone, noColor)}>{shown}</Text>;
});

/**
 * Exactly `height` rows tall, so the footer stays at the bottom whatever the content. Callers
 * never give it more than `height` lines; no overflow="hidden", because clipping makes Ink
 * slice every line through slice-ansi on every frame.
 */
export function Body({height, children}: {height: number; children: React.ReactNode}) {
	return <Box flexDirection="column" height={height}>{children}</Box>;
}
