// An in-memory MonitorStore fed with hand-made ModelSnapshots, for UI tests and the UI bench.
// The real store (poller + tracker) is tested on its own; here only what the UI reads matters.
import type {StateClass} from '../../source/dump/api.ts';
import type {Frame, Goroutine} from '../../source/dump/types.ts';
import type {GroupBy, Group, ModelSnapshot, Suspect, TrackedGoroutine} from '../../source/model/types.ts';
import type {MonitorControl, MonitorState, MonitorStore} from '../../source/watch/types.ts';
import type {PollerState} from '../../source/fetch/types.ts';
import {whereFrame} from '../../source/dump/user-frame.ts';

export interface GoroutineSpec {
	id: number;
	state?: string;
	/** Innermost first: [func, file, line][]; defaults to a user frame under runtime.gopark. */
	frames?: Array<[string, string, number]>;
	createdBy?: {func: string; file?: string; line?: number; parentId?: number};
	waitMs?: number;
	stuck?: boolean;
	samePolls?: number;
	isNew?: boolean;
	leaked?: boolean;
	groupKey?: string;
	labels?: Record<string, string>;
	args?: string;
	idle?: boolean;
	stateClass?: StateClass;
}

export function frame(func: string, file: string, line: number, args = '0xc000012345?'): Frame {
	return {func, args, inlined: false, file, line, pcOffset: 0x1d};
}

export function goroutine(spec: GoroutineSpec): Goroutine {
	const frames = (
		spec.frames ?? [
			['runtime.gopark', '/usr/local/go/src/runtime/proc.go', 398],
			[`main.worker${spec.id % 7}`, '/home/dev/app/worker.go', 40 + (spec.id % 7)],
		]
	).map(([func, file, line]) => frame(func, file, line, spec.args ?? '0xc000012345?'));
	const state = spec.state ?? 'chan receive';
	return {
		id: spec.id,
		state,
		rawState: state,
		waitMinutes: 0,
		locked: false,
		scan: false,
		leaked: spec.leaked ?? false,
		durable: false,
		frames,
		...(spec.labels ? {labels: spec.labels} : {}),
		...(spec.createdBy
			? {
					createdBy: {
						func: spec.createdBy.func,
						file: spec.createdBy.file ?? '/home/dev/app/main.go',
						line: spec.createdBy.line ?? 20,
						...(spec.createdBy.parentId === undefined ? {} : {parentId: spec.createdBy.parentId}),
					},
				}
			: {}),
	};
}

export function tracked(spec: GoroutineSpec, at = 1_000_000): TrackedGoroutine {
	const g = goroutine(spec);
	// The tracker's own rule: the innermost frame in the user's code, else the top frame.
	const where = whereFrame(g);
	return {
		g,
		firstSeen: at - (spec.waitMs ?? 0),
		sameSince: at - (spec.waitMs ?? 0),
		samePolls: spec.samePolls ?? (spec.stuck ? 5 : 1),
		stuck: spec.stuck ?? false,
		waitMs: spec.waitMs ?? 0,
		isNew: spec.isNew ?? false,
		stateClass: spec.stateClass ?? 'channel',
		idle: spec.idle ?? false,
		groupKey: spec.groupKey ?? `${g.state}|${g.frames.map(f => `${f.func}:${f.line}`).join(';')}`,
		...(where ? {where} : {}),
	};
}

/** Groups by each goroutine's groupKey, the way the tracker would. */
export function groupsOf(list: readonly TrackedGoroutine[], by: GroupBy = 'stack', extra: Record<string, Partial<Group>> = {}): Group[] {
	const byKey = new Map<string, TrackedGoroutine[]>();
	for (const t of list) {
		const members = byKey.get(t.groupKey) ?? [];
		members.push(t);
		byKey.set(t.groupKey, members);
	}
	return [...byKey].map(([key, members]) => {
		const states: Record<string, number> = {};
		for (const t of members) states[t.g.state] = (states[t.g.state] ?? 0) + 1;
		const sample = members.reduce((a, b) => (b.waitMs > a.waitMs ? b : a));
		const waits = members.map(t => t.waitMs);
		const group: Group = {
			key,
			by,
			count: members.length,
			states,
			state: Object.entries(states).sort((a, b) => b[1] - a[1])[0]![0],
			sample: sample.g,
			...(sample.where ? {where: sample.where} : {}),
			ids: members.map(t => t.g.id),
			minWaitMs: Math.min(...waits),
			maxWaitMs: Math.max(...waits),
			history: [members.length],
			growth: 0,
			growthPerMin: 0,
			delta: 0,
			stuck: members.filter(t => t.stuck).length,
			leaked: members.filter(t => t.g.leaked).length,
			idle: members.every(t => t.idle),
			stateClass: members[0]!.stateClass,
			...extra[key],
		};
		return group;
	});
}

export function suspect(partial: Partial<Suspect> & {groupKey: string}): Suspect {
	return {
		siteKey: `site:${partial.groupKey}`,
		groupKeys: [partial.groupKey],
		variants: 1,
		tier: partial.proven ? 'proven' : 'likely',
		count: 1,
		state: 'chan send',
		reason: 'blocked in user code',
		proven: false,
		score: 1,
		stuck: 0,
		leaked: 0,
		growthPerMin: 0,
		maxWaitMs: 0,
		...partial,
	};
}

export interface SnapshotOptions {
	poll?: number;
	at?: number;
	totalHistory?: number[];
	suspects?: Suspect[];
	groups?: Group[];
	groupExtra?: Record<string, Partial<Group>>;
	by?: GroupBy;
}

export function snapshot(list: TrackedGoroutine[], options: SnapshotOptions = {}): ModelSnapshot {
	const states: Record<string, number> = {};
	for (const t of list) states[t.g.state] = (states[t.g.state] ?? 0) + 1;
	return {
		epoch: 1,
		poll: options.poll ?? 1,
		at: options.at ?? 1_000_000,
		total: list.length,
		states,
		goroutines: list,
		groups: options.groups ?? groupsOf(list, options.by, options.groupExtra),
		suspects: options.suspects ?? [],
		totalHistory: options.totalHistory ?? [list.length],
		stateHistory: {},
		newIds: list.filter(t => t.isNew).map(t => t.g.id),
		goneIds: [],
		restarted: false,
	};
}

export function pollerState(partial: Partial<PollerState> = {}): PollerState {
	return {
		target: 'localhost:6060',
		leakProfile: 'absent',
		paused: false,
		polling: false,
		intervalMs: 2000,
		effectiveIntervalMs: 2000,
		pauses: [],
		...partial,
	};
}

/** A store whose state tests set directly; every control call is recorded in `calls`. */
export class FakeStore implements MonitorStore {
	calls: string[] = [];
	#state: MonitorState;
	#listeners = new Set<() => void>();
	writePath = '/tmp/gmon-dump.txt';
	/** What `y` wrote, in order. */
	texts: string[] = [];

	constructor(model?: ModelSnapshot, poller: Partial<PollerState> = {}) {
		this.#state = {poller: pollerState(poller), ...(model ? {model} : {})};
	}

	subscribe = (listener: () => void) => {
		this.#listeners.add(listener);
		return () => {
			this.#listeners.delete(listener);
		};
	};

	getState = () => this.#state;

	set(next: Partial<MonitorState>): void {
		this.#state = {...this.#state, ...next};
		for (const listener of this.#listeners) listener();
	}

	setModel(model: ModelSnapshot): void {
		this.set({model});
	}

	setPoller(partial: Partial<PollerState>): void {
		this.set({poller: {...this.#state.poller, ...partial}});
	}

	control: MonitorControl = {
		pause: () => {
			this.calls.push('pause');
			this.setPoller({paused: true});
		},
		resume: () => {
			this.calls.push('resume');
			this.setPoller({paused: false});
		},
		refreshNow: () => {
			this.calls.push('refreshNow');
		},
		pollNow: () => {
			this.calls.push('pollNow');
		},
		setIntervalMs: (ms: number) => {
			this.calls.push(`setIntervalMs ${ms}`);
			this.setPoller({intervalMs: ms, effectiveIntervalMs: ms});
		},
		setGroupBy: (by: GroupBy) => {
			this.calls.push(`setGroupBy ${by}`);
			// Like the monitor: the regrouped model is published at once (here only relabelled).
			const model = this.#state.model;
			if (model) this.setModel({...model, groups: model.groups.map(group => ({...group, by}))});
		},
		writeDump: async () => {
			this.calls.push('writeDump');
			return this.writePath;
		},
		writeText: async (name: string, text: string) => {
			this.calls.push(`writeText ${name}`);
			this.texts.push(text);
			return `/tmp/gmon-dumps/${name}`;
		},
		stop: async () => {
			this.calls.push('stop');
		},
	};
}
