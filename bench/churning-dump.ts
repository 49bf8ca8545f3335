// A synthetic service's goroutine dumps over time, for the benches: the blocks of one generated
// Go 1.19-style dump (test/helpers/synth-dump.ts), re-printed each poll after 1% churn (1% exit,
// 1% new ids with stacks drawn from the population, 1% move on to another stack). The text of each
// poll is a real dump, so the parser and tracker read what they would read live.
import {prng, synthDumpChunks} from '../test/helpers/synth-dump.ts';

interface Block {
	/** The header's bracket body without `, N minutes` (e.g. `chan receive, locked to thread`). */
	bracket: string;
	/** The header's bracket body as generated (with minutes, if any). */
	bracketWithMinutes: string;
	/** The frame lines after the header, each ending in a newline. */
	stack: string;
	/** The `created by` line and its file line (a goroutine's creator never changes). */
	creator: string;
}

interface Member {
	id: number;
	/** Block whose stack it stands at. */
	block: number;
	/** Block whose creator it has. */
	creator: number;
	/** Keep Go's `N minutes` (false once it moved: the wait started over). */
	minutes: boolean;
}

export class ChurningDump {
	readonly churnRate: number;
	private readonly blocks: Block[] = [];
	/** Per block, the index of its stack template (its text without args); one block per template. */
	private readonly templateOf: number[] = [];
	private readonly templateBlocks: number[] = [];
	private members: Member[] = [];
	private readonly random: () => number;
	private nextId: number;

	constructor(goroutines: number, options: {seed?: number; stacks?: number; churnRate?: number} = {}) {
		this.churnRate = options.churnRate ?? 0.01;
		this.random = prng(11);
		const templateIds = new Map<string, number>();
		for (const chunk of synthDumpChunks({goroutines, seed: options.seed ?? 7, stacks: options.stacks ?? 300})) {
			// Blocks are separated by a blank line; a chunk may begin with that separator.
			for (const raw of chunk.split('\n\n')) {
				const text = raw.replace(/^\n+/, '');
				if (text === '') continue;
				const nl = text.indexOf('\n');
				const header = text.slice(0, nl);
				const match = /^goroutine (\d+) \[(.*)\]:$/.exec(header);
				if (!match) throw new Error(`bench: unexpected header ${header}`);
				const bracketWithMinutes = match[2]!;
				const body = text.slice(nl + 1).replace(/\n?$/, '\n');
				const created = body.lastIndexOf('created by ');
				if (created < 0) throw new Error('bench: block without created by');
				this.blocks.push({
					bracket: bracketWithMinutes.replace(/, \d+ minutes/, ''),
					bracketWithMinutes,
					stack: body.slice(0, created),
					creator: body.slice(created),
				});
				const index = this.blocks.length - 1;
				this.members.push({id: Number(match[1]), block: index, creator: index, minutes: true});
				const shape = `${this.blocks[index]!.bracket}\n${body.replace(/\(.*\)\n/g, '()\n')}`;
				let t = templateIds.get(shape);
				if (t === undefined) {
					t = this.templateBlocks.length;
					templateIds.set(shape, t);
					this.templateBlocks.push(index);
				}
				this.templateOf.push(t);
			}
		}
		this.nextId = this.members.reduce((max, m) => Math.max(max, m.id), 0) + 1;
	}

	/** Distinct stacks (without args) in the population. */
	get stacks(): number {
		return this.templateBlocks.length;
	}

	get goroutines(): number {
		return this.members.length;
	}

	/** One poll interval passes: some goroutines exit, some are born, some move on. */
	churn(): void {
		const rate = this.churnRate;
		const next: Member[] = [];
		for (const m of this.members) {
			const r = this.random();
			if (r < rate) continue; // exited
			if (r < 2 * rate) {
				// moved on: same id and creator, the next stack of its family (as a worker moves from
				// its receive to its send), so places stay bounded as in a real program
				next.push({id: m.id, block: this.templateBlocks[(this.templateOf[m.block]! + 1) % this.templateBlocks.length]!, creator: m.creator, minutes: false});
				continue;
			}
			next.push(m);
		}
		const born = Math.round(this.members.length * rate);
		for (let i = 0; i < born; i++) {
			const block = Math.floor(this.random() * this.blocks.length);
			next.push({id: this.nextId++, block, creator: block, minutes: false});
		}
		this.members = next;
	}

	/** The current dump's text in pieces of about `chunkChars`. */
	*chunks(chunkChars = 1 << 16): Generator<string> {
		let piece = '';
		for (const m of this.members) {
			const b = this.blocks[m.block]!;
			piece += `goroutine ${m.id} [${m.minutes ? b.bracketWithMinutes : b.bracket}]:\n${b.stack}${this.blocks[m.creator]!.creator}\n`;
			if (piece.length >= chunkChars) {
				yield piece;
				piece = '';
			}
		}
		if (piece !== '') yield piece;
	}

	/** The current dump as bytes (the synthetic dump is ASCII). */
	bytes(): Buffer {
		return Buffer.from([...this.chunks()].join(''), 'latin1');
	}
}
