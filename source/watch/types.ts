// What the live TUI reads and drives: the watch engine's state (source/watch/engine.ts) plus the
// TUI's own `w` outcome. The UI subscribes with useSyncExternalStore.
import type {PollerState} from '../fetch/types.ts';
import type {GroupBy, ModelSnapshot} from '../model/types.ts';
import type {WatchState} from './engine.ts';

/** One target of a live view of several (watch/fleet.ts): its own poller's state and model. */
export interface FleetTarget {
	/** The target as shown to the user. */
	name: string;
	poller: PollerState;
	model?: ModelSnapshot;
}

export interface MonitorState extends WatchState {
	/** Where the last `w` wrote the raw dump, or why it failed. */
	lastWrite?: {path?: string; error?: string};
	/**
	 * Several targets (`gmon a b c`): each one's state, in the order given. `model` is then unset (the
	 * view merges the targets' models by its target filter) and `poller` stands for the fleet's commands.
	 */
	fleet?: {targets: readonly FleetTarget[]};
}

export interface MonitorControl {
	pause(): void;
	resume(): void;
	/** `D`: a full dump now, whatever the budget says. */
	refreshNow(): void;
	/** `r`: poll now; a full dump only if the budget allows one. */
	pollNow(): void;
	/** Requested interval; the poller may still stretch it to spare the target. */
	setIntervalMs(ms: number): void;
	setGroupBy(by: GroupBy): void;
	/** Write the last raw dump to a file (default name in the cwd); resolves with the path. */
	writeDump(path?: string): Promise<string>;
	/** `y`: write `text` as a new file `name` in the dump folder (dump-folder.ts); resolves with the full path. */
	writeText(name: string, text: string): Promise<string>;
	stop(): Promise<void>;
}

export interface MonitorStore {
	subscribe(listener: () => void): () => void;
	/** Immutable; a new object whenever anything changed. */
	getState(): MonitorState;
	control: MonitorControl;
}
