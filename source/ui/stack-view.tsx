// The stack view: a window of the pure stack lines at the view's scroll offset.
import type {Line as StackLine} from '../view/stack-lines.ts';
import {Body, Line} from './lines.tsx';

export function StackView({lines, scroll, height, noColor}: {lines: readonly StackLine[]; scroll: number; height: number; noColor: boolean}) {
	const top = Math.max(0, Math.min(scroll, Math.max(0, lines.length - height)));
	const visible = lines.slice(top, top + height);
	return (
		<Body height={height}>
			{visible.length === 0 ? (
				<Line text="nothing to show: the goroutine is gone" tone="dim" noColor={noColor} />
			) : (
				visible.map((line, i) => <Line key={top + i} text={line.text} tone={line.tone} noColor={noColor} />)
			)}
		</Body>
	);
}
