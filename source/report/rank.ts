// Which groups a report shows and in what order — shared by the text and JSON reports so both
// say the same thing: suspects first (proven above heuristic, as the model ranked them), then
// the remaining groups largest first; `--hide-idle` drops known-benign groups and their members.
import type {Group, ModelSnapshot, Suspect, TrackedGoroutine} from '../model/types.ts';

export interface Ranked {
	groups: Group[];
	suspects: Suspect[];
	goroutines: TrackedGoroutine[];
	/** Members hidden by --hide-idle. */
	hiddenIdle: number;
}

export function rank(snapshot: ModelSnapshot, hideIdle: boolean): Ranked {
	const idleKeys = new Set(hideIdle ? snapshot.groups.filter(group => group.idle).map(group => group.key) : []);
	const suspectOrder = new Map(snapshot.suspects.flatMap((suspect, index) => suspect.groupKeys.map(key => [key, index] as const)));
	const groups = snapshot.groups
		.filter(group => !idleKeys.has(group.key))
		.sort((a, b) => {
			const sa = suspectOrder.get(a.key) ?? Infinity;
			const sb = suspectOrder.get(b.key) ?? Infinity;
			return sa - sb || b.count - a.count || a.key.localeCompare(b.key);
		});
	const goroutines = snapshot.goroutines.filter(tracked => !idleKeys.has(tracked.groupKey));
	const hiddenIdle = snapshot.goroutines.length - goroutines.length;
	const suspects = snapshot.suspects.filter(suspect => !suspect.groupKeys.every(key => idleKeys.has(key)));
	return {groups, suspects, goroutines, hiddenIdle};
}

/** Goroutines counted as suspects by the leak gate. */
export const suspectCount = (suspects: readonly Suspect[]) => suspects.reduce((sum, suspect) => sum + suspect.count, 0);
