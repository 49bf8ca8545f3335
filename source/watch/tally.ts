// Counts over a watch engine's life that its state does not keep: whole dumps taken in and failed
// polls by kind. The engine publishes each dump and each error as a new object, so a subscriber
// that compares with the previous state counts each exactly once. Counters for --metrics-listen
// (and anything else that outlives one poll) come from here, not from a poll loop of their own.
import type {WatchEngine, WatchState} from './engine.ts';

export interface Tally {
	polls: number;
	/** Failed polls by the poller's error kind. */
	errors: Readonly<Record<string, number>>;
}

export interface TallyHandle {
	get(): Tally;
	stop(): void;
}

export function tallyWatch(engine: Pick<WatchEngine, 'subscribe' | 'getState'>): TallyHandle {
	let polls = 0;
	const errors: Record<string, number> = {};
	let previous: WatchState = engine.getState();
	const unsubscribe = engine.subscribe(() => {
		const state = engine.getState();
		if (state.dump && state.dump !== previous.dump) polls++;
		const error = state.poller.error;
		if (error && error !== previous.poller.error) errors[error.kind] = (errors[error.kind] ?? 0) + 1;
		previous = state;
	});
	return {get: () => ({polls, errors: {...errors}}), stop: unsubscribe};
}

/** The last poll went through: a whole dump came and no error is newer than it. */
export function isUp(state: WatchState): boolean {
	return state.dump !== undefined && state.poller.error === undefined;
}
