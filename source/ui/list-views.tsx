// The goroutine list and the group list: a column header and only the visible rows.
import {Text} from 'ink';
import type {FlatNode} from '../model/creator-tree.ts';
import type {Group, Suspect, TrackedGoroutine} from '../model/types.ts';
import {goroutineColumns, goroutineHeader, goroutineRow, groupColumns, groupHeader, groupRow} from '../view/rows.ts';
import {treeColumns, treeHeader, treeRow} from '../view/tree-rows.ts';
import {
	type FleetRows,
	fleetGoroutineColumns,
	fleetGoroutineHeader,
	fleetGoroutineRow,
	fleetGroupColumns,
	fleetGroupHeader,
	fleetGroupRow,
	fleetTreeColumns,
	fleetTreeHeader,
	fleetTreeRow,
} from '../view/fleet.ts';
import {Body, RowLine} from './lines.tsx';

interface ListProps<T> {
	/** Only the visible rows: React's development build diffs props deeply, so never hand it 100k items. */
	visible: readonly T[];
	/** Row number of visible[0] and of the cursor, in the whole list. */
	top: number;
	index: number;
	height: number;
	width: number;
	suspects: Map<string, Suspect>;
	noColor: boolean;
	empty: string;
	idDigits?: number;
	/** Several targets: each goroutine's target, each group's count per target. */
	fleet?: FleetRows | undefined;
	/** Some goroutine carries pprof labels: a wide list shows them in a column. */
	labels?: boolean;
}

export function GoroutineList({visible, top, index, height, width, suspects, noColor, empty, idDigits, fleet, labels}: ListProps<TrackedGoroutine>) {
	const cols = fleet ? fleetGoroutineColumns(width, fleet, idDigits, labels) : goroutineColumns(width, idDigits, labels);
	return (
		<Body height={height}>
			<Text bold wrap="truncate">
				{fleet ? fleetGoroutineHeader(cols, fleet) : goroutineHeader(cols)}
			</Text>
			{visible.length === 0 ? (
				<EmptyText text={empty} />
			) : (
				visible.map((t, i) => {
					const row = fleet ? fleetGoroutineRow(t, cols, {suspects}, fleet) : goroutineRow(t, cols, {suspects});
					return <RowLine key={row.key} text={row.text} tone={row.tone} selected={top + i === index} noColor={noColor} />;
				})
			)}
		</Body>
	);
}

export function GroupList({visible, top, index, height, width, suspects, noColor, empty, fleet}: ListProps<Group>) {
	const fleetCols = fleet ? fleetGroupColumns(width, fleet) : undefined;
	const cols = fleetCols ?? groupColumns(width);
	return (
		<Body height={height}>
			<Text bold wrap="truncate">
				{fleet && fleetCols ? fleetGroupHeader(fleetCols, fleet) : groupHeader(cols)}
			</Text>
			{visible.length === 0 ? (
				<EmptyText text={empty} />
			) : (
				visible.map((group, i) => {
					const row = fleet && fleetCols ? fleetGroupRow(group, fleetCols, {suspects}, fleet) : groupRow(group, cols, {suspects});
					return <RowLine key={row.key} text={row.text} tone={row.tone} selected={top + i === index} noColor={noColor} />;
				})
			)}
		</Body>
	);
}

export function TreeList({visible, top, index, height, width, noColor, empty, fleet}: Omit<ListProps<FlatNode>, 'suspects'>) {
	const cols = fleet ? fleetTreeColumns(width, fleet) : treeColumns(width);
	return (
		<Body height={height}>
			<Text bold wrap="truncate">
				{fleet ? fleetTreeHeader(cols, fleet) : treeHeader(cols)}
			</Text>
			{visible.length === 0 ? (
				<EmptyText text={empty} />
			) : (
				visible.map((flat, i) => {
					const row = fleet ? fleetTreeRow(flat, cols, fleet) : treeRow(flat, cols);
					return <RowLine key={row.key} text={row.text} tone={row.tone} selected={top + i === index} noColor={noColor} />;
				})
			)}
		</Body>
	);
}

/** An empty list's text, one cut line per line of it (a filter's reason on its own line). */
function EmptyText({text}: {text: string}) {
	return (
		<>
			{text.split('\n').map(line => (
				<Text key={line} dimColor wrap="truncate">
					{line}
				</Text>
			))}
		</>
	);
}
