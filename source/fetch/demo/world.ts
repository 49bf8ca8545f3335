// The simulated Go service behind `gmon --demo`: a shop API with a healthy background and
// the four classic goroutine leaks of examples/leaky, growing as simulated time passes.
// Pure and deterministic: the same seed and the same tick() calls give the same dumps.
// It imitates Go 1.22 (`created by … in goroutine N`, `?`-marked args, 1.22.3 line numbers).
import {formatCreatedBy, formatFrame, formatHeader, formatProfile, type FilledFrame} from './format.ts';
import * as stacks from './stacks.ts';
import type {CreatorTemplate, FrameTemplate} from './stacks.ts';
import {prng} from './prng.ts';

export type LeakKind = 'forgotten-sender' | 'fanout' | 'producer' | 'ticker';

export interface DemoWorldOptions {
	/** PRNG seed (default 1). */
	seed?: number;
	/** How long the service has been up when gmon first looks, ms (default 25 min): leaks from before are already minutes old. */
	uptimeMs?: number;
	/** Leaks stop growing once the process has this many goroutines (default 5000), so a demo left running stays cheap to poll. */
	maxGoroutines?: number;
}

export interface RenderOptions {
	/** 2 (default): per-goroutine tracebacks; 1: the aggregated profile. */
	debug?: 1 | 2;
	/** The connection (from openConnection) whose request is being answered: it is the `[running]` goroutine. */
	servingConnection?: number;
}

type Kind = 'main' | 'background' | 'worker' | 'server-conn' | 'pprof-conn' | 'background-read' | 'client-conn' | 'request-child' | LeakKind;

interface SimGoroutine {
	id: number;
	kind: Kind;
	state: string;
	/** Simulated ms when it parked in this state (for Go's `, N minutes`). */
	since: number;
	frames: FilledFrame[];
	/** Pre-rendered frames + created-by: a dump of thousands of goroutines is mostly string joins. */
	body: string;
	creator?: CreatorTemplate;
	parentId?: number;
	/** Set once the goroutine can never wake (it is one of the four leaks). */
	leaked: boolean;
	/** Bumped on each state change, so timers scheduled for an older state do nothing. */
	generation: number;
	/** The goroutine's own pointers for `@1`…`@9` (receivers, its connection). */
	pointers: string[];
}

interface Timer {
	at: number;
	seq: number;
	run: () => void;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export class DemoWorld {
	private readonly random: () => number;
	private readonly maxGoroutines: number;
	private readonly goroutines = new Map<number, SimGoroutine>();
	private readonly timers: Timer[] = [];
	private readonly workers: SimGoroutine[] = [];
	private readonly clientConns: SimGoroutine[][] = [];
	private now: number;
	private nextId = 1;
	private timerSeq = 0;
	private readonly pprofListenerId: number;
	private readonly schedulerG: SimGoroutine;
	private readonly metricsG: SimGoroutine;
	private readonly janitorG: SimGoroutine;

	constructor(options: DemoWorldOptions = {}) {
		this.random = prng(options.seed ?? 1);
		this.maxGoroutines = options.maxGoroutines ?? 5000;
		const start = options.uptimeMs ?? 25 * MINUTE;
		this.now = start;

		// What main.run started, in order; ids 2–5 are the runtime's own (hidden in debug=2).
		const mainG = this.spawn('main', stacks.mainListener, 'IO wait', undefined, undefined, start - 2 * SECOND);
		this.nextId = 6;
		this.spawn('background', stacks.dbOpener, 'select', stacks.dbOpenerCreator, mainG.id, 0);
		this.metricsG = this.spawn('background', stacks.metricsLoop, 'select', stacks.metricsCreator, mainG.id, start - this.between(0, 10 * SECOND));
		this.janitorG = this.spawn('background', stacks.sessionJanitor, 'select', stacks.sessionCreator, mainG.id, start - (start % (5 * MINUTE)));
		this.schedulerG = this.spawn('background', stacks.scheduler, 'select', stacks.schedulerCreator, mainG.id, start - this.between(0, SECOND));
		for (let index = 0; index < 6; index++) {
			this.workers.push(this.spawn('worker', stacks.workerIdle(index), 'chan receive', stacks.workerCreator, mainG.id, start - this.between(0, 3 * SECOND)));
		}
		this.pprofListenerId = this.spawn('background', stacks.pprofListener, 'IO wait', stacks.pprofListenerCreator, mainG.id, 0).id;

		// Twenty-five minutes of traffic went by: ids have moved on, and some leaks are old.
		this.nextId = 2000 + Math.floor(start / 1000);
		this.preAgeLeaks(start);
		this.dialClient();
		this.dialClient();
		for (let i = 0; i < 3; i++) this.idleServerConn(this.spawn('server-conn', stacks.serverConnIdle, 'IO wait', stacks.createdByServe, mainG.id));

		// A newcomer should see leaks grow in the first seconds, not after a lucky wait.
		this.after(300, () => this.searchRequest(true));
		this.after(500, () => this.quoteRequest());
		this.every(600, () => this.productRequest());
		this.every(2500, () => this.searchRequest());
		this.every(8000, () => this.quoteRequest());
		this.every(14_000, () => this.exportRequest());
		this.every(17_000, () => this.reloadRequest());
		this.every(1000, () => this.scheduleJob());
		this.every(10_000, () => this.wake(this.metricsG), true);
		this.every(90_000, () => this.churnClientConn());
		this.after(5 * MINUTE - (start % (5 * MINUTE)), () => this.janitorTick());
	}

	/** Simulated ms since the simulated process started. */
	get uptimeMs(): number {
		return this.now;
	}

	/** Advance simulated time by `ms`, running every event that falls due. */
	tick(ms: number): void {
		const target = this.now + Math.max(0, ms);
		for (;;) {
			let next: Timer | undefined;
			for (const timer of this.timers) {
				if (timer.at <= target && (!next || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq))) next = timer;
			}
			if (!next) break;
			this.timers.splice(this.timers.indexOf(next), 1);
			this.now = Math.max(this.now, next.at);
			next.run();
		}
		this.now = target;
	}

	/** A client connected to the pprof listener: it gets a server-connection goroutine. Returns its id. */
	openConnection(): number {
		this.wake(this.goroutines.get(this.pprofListenerId)); // Accept returned
		const g = this.spawn('pprof-conn', stacks.serverConnIdle, 'IO wait', stacks.createdByServe, this.pprofListenerId);
		return g.id;
	}

	closeConnection(id: number): void {
		const g = this.goroutines.get(id);
		if (g?.kind === 'pprof-conn') this.exit(g);
	}

	/** How many goroutines each leak holds right now, and the total. */
	counts(): {total: number; leaked: Record<LeakKind, number>} {
		const leaked: Record<LeakKind, number> = {'forgotten-sender': 0, fanout: 0, producer: 0, ticker: 0};
		for (const g of this.goroutines.values()) {
			if (g.leaked && g.kind in leaked) leaked[g.kind as LeakKind]++;
		}
		return {total: this.goroutines.size, leaked};
	}

	/** The dump Go would print now for `/debug/pprof/goroutine?debug=N`. */
	render(options: RenderOptions = {}): string {
		const serving = options.servingConnection === undefined ? undefined : this.goroutines.get(options.servingConnection);
		// Without a known connection, the request came on a fresh one: a new goroutine id.
		const servingId = serving?.id ?? this.nextId++;
		const servingFrames = this.fill(options.debug === 1 ? stacks.pprofServingProfile : stacks.pprofServing, serving?.pointers);
		if (options.debug === 1) {
			const all = [{state: 'running', frames: servingFrames}];
			for (const g of this.goroutines.values()) {
				if (g.id !== servingId) all.push({state: g.state, frames: g.frames});
			}
			return formatProfile('goroutine', all);
		}
		const blocks = [
			formatHeader(servingId, 'running', 0) + servingFrames.map(formatFrame).join('') + formatCreatedBy(stacks.createdByServe, this.pprofListenerId),
		];
		for (const g of this.goroutines.values()) {
			if (g.id === servingId) continue;
			blocks.push(formatHeader(g.id, g.state, Math.floor((this.now - g.since) / MINUTE)) + g.body);
		}
		return blocks.join('\n');
	}

	// --- goroutine lifecycle -------------------------------------------------------------------

	private spawn(kind: Kind, frames: FrameTemplate[], state: string, creator?: CreatorTemplate, parentId?: number, since = this.now): SimGoroutine {
		const g: SimGoroutine = {id: this.nextId++, kind, state, since, frames: [], body: '', creator, parentId, leaked: false, generation: 0, pointers: []};
		this.goroutines.set(g.id, g);
		this.setStack(g, frames);
		return g;
	}

	/** Park `g` in a new state at a new place; its wait clock restarts. */
	private park(g: SimGoroutine, state: string, frames: FrameTemplate[]): void {
		g.state = state;
		g.since = this.now;
		g.generation++;
		this.setStack(g, frames);
	}

	/** A loop woke up and parked again at the same place (a tick, an accepted connection): only its wait clock restarts. */
	private wake(g: SimGoroutine | undefined): void {
		if (g) g.since = this.now;
	}

	private setStack(g: SimGoroutine, frames: FrameTemplate[]): void {
		g.frames = this.fill(frames, g.pointers);
		g.body = g.frames.map(formatFrame).join('') + (g.creator && g.parentId !== undefined ? formatCreatedBy(g.creator, g.parentId) : '');
	}

	private exit(g: SimGoroutine): void {
		g.generation++;
		this.goroutines.delete(g.id);
	}

	private leak(g: SimGoroutine, kind: LeakKind, frames: FrameTemplate[], state: string): void {
		g.kind = kind;
		g.leaked = true;
		this.park(g, state, frames);
	}

	private get full(): boolean {
		return this.goroutines.size >= this.maxGoroutines;
	}

	// --- time ------------------------------------------------------------------------------------

	private after(ms: number, run: () => void): void {
		this.timers.push({at: this.now + ms, seq: this.timerSeq++, run});
	}

	/** Run `run` roughly every `meanMs` (jittered ±50%, or exactly when `exact`). */
	private every(meanMs: number, run: () => void, exact = false): void {
		const schedule = () =>
			this.after(exact ? meanMs : this.between(meanMs / 2, meanMs * 1.5), () => {
				run();
				schedule();
			});
		schedule();
	}

	private between(low: number, high: number): number {
		return Math.round(low + this.random() * (high - low));
	}

	private pick<T>(items: readonly T[]): T | undefined {
		return items[Math.floor(this.random() * items.length)];
	}

	/**
	 * Replace `@P`-style placeholders with fresh pointers and lengths, and `@1`…`@9` with the
	 * goroutine's own stable pointers (a receiver keeps its address across frames and polls).
	 */
	private fill(frames: FrameTemplate[], own: string[] = []): FilledFrame[] {
		const hex = (digits: number) =>
			Math.floor(this.random() * 16 ** digits)
				.toString(16)
				.padStart(digits, '0');
		const pointer = () => `0xc000${hex(4)}${(Math.floor(this.random() * 8) * 0x20).toString(16).padStart(2, '0')}`;
		return frames.map(frame =>
			frame.off === undefined || !frame.args.includes('@')
				? frame
				: {
						...frame,
						args: frame.args.replace(/@([PQXN1-9])(\?)?/g, (_, kind: string, mark: string | undefined) => {
							if (kind === 'X') return `0x7f${hex(2)}${hex(6)}${hex(2)}`;
							if (kind === 'N') return `0x${(3 + Math.floor(this.random() * 28)).toString(16)}`;
							if (kind === 'P') return pointer() + (mark ?? '');
							if (kind === 'Q') return `${pointer()}?`;
							const slot = Number(kind);
							own[slot] ??= pointer();
							return own[slot] + (mark ?? '');
						}),
					},
		);
	}

	// --- the background --------------------------------------------------------------------------

	private scheduleJob(): void {
		this.wake(this.schedulerG);
		const idle = this.workers.filter(worker => worker.state === 'chan receive');
		const worker = this.pick(idle);
		if (!worker) return;
		const index = this.workers.indexOf(worker);
		this.park(worker, 'sleep', stacks.workerBusy(index));
		const generation = worker.generation;
		this.after(this.between(300, 2500), () => {
			if (worker.generation === generation) this.park(worker, 'chan receive', stacks.workerIdle(index));
		});
	}

	private janitorTick(): void {
		this.wake(this.janitorG);
		this.after(5 * MINUTE, () => this.janitorTick());
	}

	/** An outbound keep-alive connection (to the inventory service): read loop + write loop. */
	private dialClient(): void {
		const dialer = this.nextId - 1 - Math.floor(this.random() * 40); // the request that dialled; long gone
		const read = this.spawn('client-conn', stacks.clientReadLoop, 'IO wait', stacks.clientReadLoopCreator, dialer);
		const write = this.spawn('client-conn', stacks.clientWriteLoop, 'select', stacks.clientWriteLoopCreator, dialer);
		this.clientConns.push([read, write]);
	}

	private churnClientConn(): void {
		const old = this.clientConns.shift();
		for (const g of old ?? []) this.exit(g);
		this.dialClient();
	}

	/** A keep-alive server connection waits for its next request, and is closed after a while. */
	private idleServerConn(g: SimGoroutine): void {
		this.park(g, 'IO wait', stacks.serverConnIdle);
		const generation = g.generation;
		this.after(this.between(5 * SECOND, 45 * SECOND), () => {
			if (g.generation === generation) this.exit(g);
		});
	}

	/**
	 * A request arrives: on an idle keep-alive connection when there is one (same goroutine id),
	 * else on a new one. While the handler runs, a background-read goroutine exists beside it.
	 */
	private startRequest(frames: FrameTemplate[], state: string): {g: SimGoroutine; finish: () => void} {
		const idle = [...this.goroutines.values()].filter(g => g.kind === 'server-conn' && g.state === 'IO wait');
		const reuse = this.random() < 0.6 ? this.pick(idle) : undefined;
		const g = reuse ?? this.spawn('server-conn', frames, state, stacks.createdByServe, 1);
		if (reuse) this.park(g, state, frames);
		else this.wake(this.goroutines.get(1)); // Accept returned a new connection
		const reader = this.spawn('background-read', stacks.backgroundRead, 'IO wait', stacks.backgroundReadCreator, g.id);
		let done = false;
		const finish = () => {
			if (done) return;
			done = true;
			this.exit(reader);
			if (this.random() < 0.3 || idle.length > 6) this.exit(g);
			else this.idleServerConn(g);
		};
		return {g, finish};
	}

	private productRequest(): void {
		const {finish} = this.startRequest(stacks.productRequest, 'select');
		this.after(this.between(40, 400), finish);
	}

	// --- the four leaks --------------------------------------------------------------------------

	/** Forgotten sender: Search times out after 800 ms; a slow backend's late send blocks forever. */
	private searchRequest(forceSlow = false): void {
		const {g, finish} = this.startRequest(stacks.searchRequest, 'select');
		const backend = this.spawn('request-child', stacks.searchBackendCall, 'select', stacks.searchWorkerCreator, g.id);
		const slow = !this.full && (forceSlow || this.random() < 0.45);
		const backendMs = slow ? this.between(1500, 4000) : this.between(60, 500);
		if (slow) {
			this.after(800, finish);
			this.after(backendMs, () => this.leak(backend, 'forgotten-sender', stacks.searchLeaked, 'chan send'));
		} else {
			this.after(backendMs, () => {
				this.exit(backend);
				finish();
			});
		}
	}

	/** Fan-out: five providers are asked, the first answer wins, the other four block on send. */
	private quoteRequest(): void {
		const {g, finish} = this.startRequest(stacks.quoteRequest, 'chan receive');
		const times = Array.from({length: 5}, () => this.between(80, 900));
		const first = Math.min(...times);
		const leaks = !this.full;
		for (const ms of times) {
			const provider = this.spawn('request-child', stacks.quoteProviderCall, 'select', stacks.quoteWorkerCreator, g.id);
			this.after(ms, () => {
				if (ms === first || !leaks) this.exit(provider);
				else this.leak(provider, 'fanout', stacks.quoteLeaked, 'chan send');
			});
		}
		this.after(first, finish);
	}

	/** Abandoned producer: the export handler reads a few rows and returns; streamRows keeps trying to send. */
	private exportRequest(): void {
		const {g, finish} = this.startRequest(stacks.exportRequest, 'chan receive');
		const producer = this.spawn('request-child', stacks.exportProducer, 'chan send', stacks.exportProducerCreator, g.id);
		this.after(this.between(150, 400), () => {
			finish();
			if (this.full) this.exit(producer);
			else this.leak(producer, 'producer', stacks.exportProducer, 'chan send');
		});
	}

	/** The loop that outlives its request: each reload starts a cache warmer waiting on a channel nobody closes. */
	private reloadRequest(): void {
		const {g, finish} = this.startRequest(stacks.reloadRequest, 'select');
		if (!this.full) {
			const warmer = this.spawn('request-child', stacks.warmerLeaked, 'chan receive', stacks.warmerCreator, g.id);
			this.leak(warmer, 'ticker', stacks.warmerLeaked, 'chan receive');
		}
		this.after(this.between(50, 200), finish);
	}

	/** Leaks from before gmon started watching: same stacks, already minutes old. */
	private preAgeLeaks(start: number): void {
		if (start < 2 * MINUTE) return;
		const events: {at: number; kind: LeakKind}[] = [];
		for (let i = 0; i < 7; i++) events.push({at: this.between(MINUTE, start - MINUTE), kind: 'forgotten-sender'});
		for (let i = 0; i < 3; i++) events.push({at: this.between(MINUTE, start - MINUTE), kind: 'fanout'});
		for (let i = 0; i < 2; i++) events.push({at: this.between(MINUTE, start - MINUTE), kind: 'producer'});
		for (let i = 0; i < 2; i++) events.push({at: this.between(MINUTE, start - MINUTE), kind: 'ticker'});
		events.sort((a, b) => a.at - b.at);
		// Ids grow with time: spread the events over the ids traffic used before now.
		const firstId = 40;
		const span = this.nextId - firstId;
		const savedNext = this.nextId;
		let used = firstId;
		for (const event of events) {
			// Never below the ids the previous event took: two leaks never share an id.
			this.nextId = Math.max(used, firstId + Math.floor((span * event.at) / start));
			const parent = this.nextId++;
			const spawnLeak = (frames: FrameTemplate[], creator: CreatorTemplate, state: string) => {
				const g = this.spawn(event.kind, frames, state, creator, parent, event.at);
				g.leaked = true;
			};
			if (event.kind === 'forgotten-sender') spawnLeak(stacks.searchLeaked, stacks.searchWorkerCreator, 'chan send');
			if (event.kind === 'fanout') for (let i = 0; i < 4; i++) spawnLeak(stacks.quoteLeaked, stacks.quoteWorkerCreator, 'chan send');
			if (event.kind === 'producer') spawnLeak(stacks.exportProducer, stacks.exportProducerCreator, 'chan send');
			if (event.kind === 'ticker') spawnLeak(stacks.warmerLeaked, stacks.warmerCreator, 'chan receive');
			used = this.nextId;
		}
		this.nextId = savedNext;
	}
}
