// Keys that act on the target rather than on the screen: pause/resume, refresh, the interval,
// group-by, writing the raw dump, and quit. Each says what it did in the footer.
import {useApp} from 'ink';
import {useCallback, useRef} from 'react';
import type {GroupBy} from '../model/types.ts';
import type {MonitorState, MonitorStore} from '../watch/types.ts';
import {nextGroupBy, nextInterval, type Command} from '../view/keymap.ts';
import {fullDumpPrompt, groupByNotice} from '../view/chrome.ts';
import {labelKeys} from '../view/select.ts';
import type {Action, ListKind} from '../view/types.ts';

/** How long a first `D` over the budget waits for the second. */
const confirmMs = 10_000;

export function useStoreCommands(
	store: MonitorStore,
	state: MonitorState,
	groupBy: GroupBy,
	setGroupBy: (by: GroupBy) => void,
	dispatch: (action: Action) => void,
	/** The list under the current view, read at key time (it decides whether `b` needs a word). */
	listKind: () => ListKind,
	/** `y`: the selected stack or group as text, read at key time. */
	selection: () => {name: string; text: string} | undefined,
	/** `--clipboard` on a terminal: sends text to the clipboard (OSC 52); false when it could not. */
	copy?: (text: string) => boolean,
): (command: Command) => void {
	const {exit} = useApp();
	// Read at key time, not at render time: several keys can arrive between two renders.
	const stateRef = useRef(state);
	stateRef.current = state;
	const groupByRef = useRef(groupBy);
	groupByRef.current = groupBy;
	const say = useCallback((text: string) => dispatch({type: 'message', text}), [dispatch]);
	// `D` over the budget asks first: the second press within this long takes the dump.
	const armedAt = useRef(0);

	return useCallback(
		(command: Command) => {
			const {control} = store;
			const poller = stateRef.current.poller;
			switch (command) {
				case 'quit':
					exit();
					return;
				case 'pause':
					if (poller.paused) control.resume();
					else control.pause();
					return;
				case 'refresh':
					control.pollNow();
					say('refreshing now');
					return;
				case 'fullDump': {
					const full = poller.fullDump;
					const now = Date.now();
					if (full?.held && now - armedAt.current > confirmMs) {
						armedAt.current = now;
						say(fullDumpPrompt(full));
						return;
					}
					armedAt.current = 0;
					control.refreshNow();
					say('taking a full dump now');
					return;
				}
				case 'slower':
				case 'faster': {
					const ms = nextInterval(poller.intervalMs, command);
					control.setIntervalMs(ms);
					say(`poll every ${ms >= 1000 ? `${ms / 1000}s` : `${ms}ms`}`);
					return;
				}
				case 'groupBy': {
					const by = nextGroupBy(groupByRef.current, labelKeys(stateRef.current.model?.goroutines ?? []));
					groupByRef.current = by;
					setGroupBy(by);
					control.setGroupBy(by);
					const notice = groupByNotice(by, listKind());
					if (notice) say(notice);
					return;
				}
				case 'yank': {
					const picked = selection();
					if (!picked) {
						say('nothing selected to save');
						return;
					}
					const copied = copy ? (copy(picked.text) ? ' and copied it to the clipboard' : '; too long for the clipboard') : '';
					control.writeText(picked.name, picked.text).then(
						path => say(`wrote ${path}${copied}`),
						(error: unknown) => say(`${error instanceof Error ? error.message : String(error)}${copied}`),
					);
					return;
				}
				case 'write':
					say('writing the dump…');
					control.writeDump().then(
						path => say(`wrote ${path}`),
						(error: unknown) => say(`write failed: ${error instanceof Error ? error.message : String(error)}`),
					);
			}
		},
		[store, exit, say, setGroupBy, listKind, selection, copy],
	);
}
