// What the live TUI reads and drives: one store that composes the poller (source/fetch/)
// and the tracker (source/model/). The UI subscribes with useSyncExternalStore.
import type {GroupBy, ModelSnapshot} from './model/types.ts';
import type {PollerState} from './fetch/types.ts';

export interface MonitorState {
	poller: PollerState;
	/** Undefined until the first good debug=2 poll. */
	model?: ModelSnapshot;
	/** Where the last `w` wrote the raw dump, or why it failed. */
	lastWrite?: {path?: string; error?: string};
}

export interface MonitorControl {
	pause(): void;
	resume(): void;
	refreshNow(): void;
	/** Requested interval; the poller may still stretch it to spare the target. */
	setIntervalMs(ms: number): void;
	setGroupBy(by: GroupBy): void;
	/** Write the last raw dump to a file (default name in the cwd); resolves with the path. */
	writeDump(path?: string): Promise<string>;
	stop(): Promise<void>;
}

export interface MonitorStore {
	subscribe(listener: () => void): () => void;
	/** Immutable; a new object whenever anything changed. */
	getState(): MonitorState;
	control: MonitorControl;
}
