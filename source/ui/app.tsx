// The whole TUI: header, one body (list, groups, stack, help or state picker), footer.
// It reads the store, keeps the UI state in the pure reducer (source/view/reducer.ts), and turns
// keys into reducer intents or store commands. Everything it shows is computed by source/view/.
import {Box, Text, useInput, usePaste, useStdin, useStdout, useWindowSize} from 'ink';
import {useCallback, useMemo, useRef, useState} from 'react';
import {osc52} from '../text/osc52.ts';
import type {GroupBy} from '../model/types.ts';
import type {MonitorStore} from '../watch/types.ts';
import {emptyListText, headerHeight, headerLines, keysLine, membersLabel, statusLine} from '../view/chrome.ts';
import {keyIntent, pasteActions, splitBurst, splitMeta, type KeyLike} from '../view/keymap.ts';
import {currentListKind, currentView, editFrame, initialUiState, listRows, reduce, selectedText, stackContent, stackFrame, type Env} from '../view/reducer.ts';
import {createSelector} from '../view/select.ts';
import {shortFunc} from '../view/frames.ts';
import {entryFunc} from '../model/creator-tree.ts';
import type {Action, ListKind, UiState} from '../view/types.ts';
import {GoroutineList, GroupList, TreeList} from './list-views.tsx';
import {Line} from './lines.tsx';
import {Help, StatePicker} from './overlays.tsx';
import {StackView} from './stack-view.tsx';
import {useMonitor} from './use-monitor.ts';
import {useNow} from './use-now.ts';
import {watchProof} from '../watch/proof.ts';
import {useStoreCommands} from './use-store-commands.ts';
import {createFleetSelector, fleetHeaderCompact, fleetHeaderHeight, fleetHeaderLines, fleetOnTargets, fleetRawLookup, fleetRows} from '../view/fleet.ts';
import {useEditor} from './use-editor.ts';
import {useSourceText} from './use-source.ts';
import {SourceFiles} from '../watch/source-files.ts';

export interface AppProps {
	store: MonitorStore;
	/** The group-by the store starts with; `b` cycles on from it. Default 'stack'. */
	initialGroupBy?: GroupBy;
	/** Start with idle goroutines hidden (`H` toggles). */
	hideIdle?: boolean;
	/** NO_COLOR / --no-color: styles only (bold, dim, inverse), no colours. */
	noColor?: boolean;
	/** Which list to open on. Default 'goroutines'. */
	initialView?: ListKind;
	/** Clock for ages and countdowns (tests pin it). Default Date.now. */
	clock?: () => number;
	/** --clipboard: `y` also copies to the terminal clipboard (OSC 52), when stdout is a terminal. */
	clipboard?: boolean;
	/** --source-root: where the build's source files are on this machine (stack view, `e`). */
	sourceRoot?: string;
}

/** Below this the layout cannot show a useful list: say so instead of drawing garbage. */
export const minColumns = 60;
export const minRows = 12;

const defaultClock = () => Date.now();

export function App({store, initialGroupBy, hideIdle, noColor = false, initialView, clock = defaultClock, clipboard = false, sourceRoot}: AppProps) {
	const state = useMonitor(store);
	const {columns, rows} = useWindowSize();
	const [select] = useState(createSelector);
	const [ui, setUi] = useState<UiState>(() => initialUiState({hideIdle: hideIdle ?? false, ...(initialView ? {view: initialView} : {})}));
	const [groupBy, setGroupBy] = useState<GroupBy>(initialGroupBy ?? 'stack');
	const now = useNow(clock);
	const {isRawModeSupported} = useStdin();

	// The frame fills the terminal: Ink 8 draws a frame as tall as the terminal in place
	// (it used to clear the whole screen on every frame, ink#450, so the frame was rows - 1).
	const frameRows = rows;
	const tooSmall = columns < minColumns || rows < minRows;
	const compact = rows < 20;
	// Several targets (`gmon a b c`): their models merged under the target filter (view/fleet.ts).
	const [fleetSelect] = useState(createFleetSelector);
	const fleet = state.fleet ? fleetSelect(state.fleet.targets, ui.target) : undefined;
	const model = fleet ? fleet.merged?.model : state.model;
	const headerRows = fleet
		? fleetHeaderHeight(fleet.targets.length, fleetHeaderCompact(fleet.targets.length, frameRows))
		: headerHeight(Boolean(state.poller.error), compact);
	const bodyRows = Math.max(1, frameRows - headerRows - 2);
	const onTargets = fleet ? fleetOnTargets(fleet) : undefined;
	const env: Env = fleet
		? {
				model,
				rawOf: fleetRawLookup(fleet, (raw, id) => select.rawGoroutine(raw, id)),
				targetLabels: fleet.labels,
				bodyRows,
				columns,
				select,
				targets: fleet.targets.length,
				...(onTargets ? {onTargets} : {}),
			}
		: {model, raw: state.poller.last?.dump.goroutines, bodyRows, columns, select, proof: watchProof(state.poller, model)};
	// The open stack's source lines: read outside the view, handed to it as data.
	const [sources] = useState(() => new SourceFiles(sourceRoot));
	const shown = currentView(ui);
	env.source = useSourceText(sources, shown.kind === 'stack' ? stackFrame(shown, env)?.file : undefined);
	const envRef = useRef(env);
	envRef.current = env;

	// The latest UI state, updated synchronously so several keys in one input chunk (fast typing,
	// tmux send-keys, paste) each see the state the previous one left.
	const uiRef = useRef(ui);
	const dispatch = useCallback((action: Action) => {
		uiRef.current = reduce(uiRef.current, action, envRef.current);
		setUi(uiRef.current);
	}, []);

	const listKindNow = useCallback(() => currentListKind(uiRef.current), []);
	const selectionNow = useCallback(() => selectedText(uiRef.current, envRef.current), []);
	const {stdout} = useStdout();
	// Only a terminal has a clipboard to set; the sequence is written beside Ink's frame and moves nothing.
	const copy = useMemo(() => {
		if (!clipboard || !(stdout as Partial<NodeJS.WriteStream>).isTTY) return undefined;
		return (text: string) => {
			const sequence = osc52(text);
			if (sequence === undefined) return false;
			stdout.write(sequence);
			return true;
		};
	}, [clipboard, stdout]);
	const run = useStoreCommands(store, state, groupBy, setGroupBy, dispatch, listKindNow, selectionNow, copy);
	const editFrameNow = useCallback(() => editFrame(uiRef.current, envRef.current), []);
	const say = useCallback((text: string) => dispatch({type: 'message', text}), [dispatch]);
	const edit = useEditor(sources, editFrameNow, say);

	const handleKey = useCallback(
		(input: string, key: KeyLike) => {
			const intent = keyIntent(input, key, uiRef.current);
			if (!intent) return;
			if (!('command' in intent)) dispatch(intent.action);
			else if (intent.command === 'edit') edit();
			else run(intent.command);
		},
		[run, dispatch, edit],
	);

	const handleInput = useCallback(
		(input: string, key: KeyLike) => {
			const plain = !key.ctrl && !key.meta && !key.escape && !key.return && !key.tab;
			if (!plain || input.length <= 1) {
				handleKey(input, key);
				return;
			}
			// A burst (fast typing, paste, tmux send-keys): Enter/Tab/Backspace inside it are keys; text
			// typed into the filter prompt goes in whole; outside the prompt every character is a key.
			for (const part of splitBurst(input)) {
				if ('key' in part) {
					handleKey('', part.key);
					continue;
				}
				let rest = part.text;
				while (rest !== '' && !uiRef.current.editing) {
					handleKey(rest[0]!, {});
					rest = rest.slice(1);
				}
				if (rest !== '') handleKey(rest, {});
			}
		},
		[handleKey],
	);

	useInput(
		(input, key) => {
			for (const event of splitMeta(input, key)) handleInput(event.input, event.key);
		},
		{isActive: isRawModeSupported === true},
	);
	usePaste(
		text => {
			for (const action of pasteActions(text, uiRef.current)) dispatch(action);
		},
		{isActive: isRawModeSupported === true},
	);

	if (tooSmall) {
		return (
			<Box flexDirection="column" height={Math.max(1, frameRows)}>
				<Text wrap="truncate">{`terminal too small: ${columns}x${rows}`}</Text>
				<Text wrap="truncate">{`gmon needs at least ${minColumns}x${minRows}`}</Text>
			</Box>
		);
	}

	const view = currentView(ui);
	const listKind = currentListKind(ui);
	const header = fleet
		? fleetHeaderLines({view: fleet, now, width: columns, rows: frameRows, stateOrder: select.stateOrder(model, ui), ui})
		: headerLines({poller: state.poller, model, now, width: columns, compact, stateOrder: select.stateOrder(model, ui), ui});
	const rowsFleet = fleet ? fleetRows(fleet) : undefined;
	const suspects = select.suspectsByKey(model);

	let body: React.ReactNode;
	let position: string | undefined;
	let gone: string | undefined;
	let groupLabel: string | undefined;
	if (ui.overlay === 'help') {
		body = <Help height={bodyRows} width={columns} scroll={ui.helpScroll ?? 0} noColor={noColor} />;
	} else if (ui.overlay === 'states') {
		body = (
			<StatePicker
				states={select.stateOrder(model, ui)}
				counts={model?.states ?? {}}
				active={ui.states}
				cursor={ui.picker}
				height={bodyRows}
				width={columns}
				noColor={noColor}
			/>
		);
	} else if (view.kind === 'stack') {
		const content = stackContent(view, env);
		body = <StackView lines={content.lines} scroll={view.scroll} height={bodyRows} noColor={noColor} />;
		const max = Math.max(0, content.lines.length - bodyRows);
		if (max > 0) position = `lines ${Math.min(view.scroll, max) + 1}–${Math.min(content.lines.length, view.scroll + bodyRows)}/${content.lines.length}`;
	} else if (view.kind === 'tree') {
		const list = select.tree(model, ui, view, listRows(bodyRows));
		position = listPosition(list);
		gone = list.gone;
		body = (
			<TreeList
				visible={visibleRows(list, listRows(bodyRows))}
				top={list.top}
				index={list.index}
				height={bodyRows}
				width={columns}
				noColor={noColor}
				empty={emptyListText('goroutines', model, state.poller, ui, {anyLabels: select.anyLabels(model), now})}
				fleet={rowsFleet}
			/>
		);
	} else if (view.kind === 'groups') {
		const list = select.groups(model, ui, view, listRows(bodyRows));
		position = listPosition(list);
		gone = list.gone;
		body = (
			<GroupList
				visible={visibleRows(list, listRows(bodyRows))}
				top={list.top}
				index={list.index}
				height={bodyRows}
				width={columns}
				suspects={suspects}
				noColor={noColor}
				empty={emptyListText('groups', model, state.poller, ui, {anyLabels: select.anyLabels(model), now})}
				fleet={rowsFleet}
			/>
		);
	} else {
		const list = select.goroutines(model, ui, view, listRows(bodyRows));
		position = listPosition(list);
		gone = list.gone;
		if (view.group !== undefined) {
			groupLabel = membersLabel(select.followGroup(model, view.group, view.groupBy, view.anchors), view.groupBy);
		}
		if (view.node !== undefined) {
			const node = select.treeNode(model, ui, view.node);
			const named = node?.sample ?? node?.via;
			groupLabel = named ? `tree node ${shortFunc(entryFunc(named))} (${node!.ids.length})` : 'tree node gone';
		}
		body = (
			<GoroutineList
				idDigits={select.idDigits(model)}
				labels={select.anyLabels(model)}
				visible={visibleRows(list, listRows(bodyRows))}
				top={list.top}
				index={list.index}
				height={bodyRows}
				width={columns}
				suspects={suspects}
				noColor={noColor}
				empty={emptyListText('goroutines', model, state.poller, ui, {anyLabels: select.anyLabels(model), now})}
				fleet={rowsFleet}
			/>
		);
	}

	const status = statusLine({
		ui,
		view,
		listKind,
		width: columns,
		groupBy: model?.groups[0]?.by ?? groupBy,
		...(position ? {position} : {}),
		...(gone ? {gone} : {}),
		...(groupLabel ? {groupLabel} : {}),
		...(fleet?.only === undefined ? {} : {target: fleet.targets[fleet.only]!.name}),
	});
	const keys = keysLine(view, columns, ui.overlay, fleet !== undefined);

	return (
		<Box flexDirection="column" width={columns} height={frameRows}>
			{header.map((line, i) => (
				<Line key={`h${i}`} text={line.text} tone={line.tone} noColor={noColor} />
			))}
			{body}
			<Line text={status.text} tone={status.tone} noColor={noColor} />
			<Line text={keys.text} tone={keys.tone} noColor={noColor} />
		</Box>
	);
}

/** A list window's rows on screen, and `3/27` for the status line: the same for every list view. */
interface ListWindow<T> {
	items: readonly T[];
	top: number;
	index: number;
}

function visibleRows<T>(list: ListWindow<T>, rows: number): T[] {
	return list.items.slice(list.top, list.top + rows);
}

function listPosition(list: ListWindow<unknown>): string {
	return list.items.length === 0 ? '0/0' : `${list.index + 1}/${list.items.length}`;
}
