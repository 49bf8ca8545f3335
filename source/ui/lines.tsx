// A column of single-line texts that never wrap. Each line is one Text (one Yoga node).
import {Box, Text} from 'ink';
import {memo} from 'react';
import type {ChromeTone} from '../view/chrome.ts';
import {padEnd} from '../view/format.ts';
import type {RowTone} from '../view/rows.ts';
import type {Tone} from '../view/stack-lines.ts';
import {lineStyle, rowStyle} from './tones.ts';

export const Line = memo(function Line({text, tone, noColor}: {text: string; tone: Tone | ChromeTone; noColor: boolean}) {
	return <Text wrap="truncate" {...lineStyle(tone, noColor)}>{text === '' ? ' ' : text}</Text>;
});

export const RowLine = memo(function RowLine({text, tone, selected, noColor}: {text: string; tone: RowTone; selected: boolean; noColor: boolean}) {
	return <Text wrap="truncate" inverse={selected} {...rowStyle(tone, noColor)}>{text}</Text>;
});

/** Exactly `height` rows tall, so the footer stays at the bottom whatever the content. */
export function Body({height, children}: {height: number; children: React.ReactNode}) {
	return <Box flexDirection="column" height={height} overflow="hidden">{children}</Box>;
}

export function pad(text: string, width: number): string {
	return padEnd(text, width);
}
