// The store lives outside React (poller + tracker); components read its immutable state.
import {useSyncExternalStore} from 'react';
import type {MonitorState, MonitorStore} from '../watch/types.ts';

export function useMonitor(store: MonitorStore): MonitorState {
	return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
