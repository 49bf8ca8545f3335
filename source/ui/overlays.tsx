// Full-body overlays: the help and the state picker.
import {Text} from 'ink';
import {helpLines} from '../view/chrome.ts';
import {formatCount} from '../view/format.ts';
import {truncateEnd} from '../text/fit.ts';
import {visible} from '../text/sanitize.ts';
import {Body, Line, RowLine} from './lines.tsx';

export function Help({height, width, scroll, noColor}: {height: number; width: number; scroll: number; noColor: boolean}) {
	const [title, ...lines] = helpLines(height, width, scroll);
	return (
		<Body height={height}>
			<Line text={truncateEnd(title ?? '', width)} tone="title" noColor={noColor} />
			{lines.map((line, i) => (
				<Line key={i} text={truncateEnd(line, width)} tone="normal" noColor={noColor} />
			))}
		</Body>
	);
}

export function StatePicker({
	states,
	counts,
	active,
	cursor,
	height,
	width,
	noColor,
}: {
	states: readonly string[];
	counts: Record<string, number>;
	active: readonly string[];
	cursor: number;
	height: number;
	width: number;
	noColor: boolean;
}) {
	const rows = Math.max(1, height - 1);
	const top = Math.max(0, Math.min(cursor - rows + 1, states.length - rows, cursor));
	const first = Math.max(0, Math.min(top, cursor));
	return (
		<Body height={height}>
			<Text bold wrap="truncate">
				{truncateEnd('States: Space/Enter toggle · 1–9 toggle · 0 all · f/Esc close', width)}
			</Text>
			{states.length === 0 ? (
				<Text dimColor>no states yet</Text>
			) : (
				states.slice(first, first + rows).map((state, i) => {
					const index = first + i;
					const on = active.includes(state);
					// Three leading columns, like list rows: the selected one shows `>` there.
					const text = `   ${on ? '[x]' : '[ ]'} ${index < 9 ? `${index + 1}` : ' '} ${visible(state)} ${formatCount(counts[state] ?? 0)}`;
					return <RowLine key={state} text={truncateEnd(text, width)} tone={on ? 'new' : 'normal'} selected={index === cursor} noColor={noColor} />;
				})
			)}
		</Body>
	);
}
