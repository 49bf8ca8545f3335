// A fixed-capacity ring of numbers: histories stay the same size however long gmon runs.

export class Ring {
	private readonly values: Float64Array;
	private start = 0;
	private size = 0;

	constructor(readonly capacity: number) {
		this.values = new Float64Array(Math.max(1, capacity));
	}

	get length(): number {
		return this.size;
	}

	push(value: number): void {
		const cap = this.values.length;
		if (this.size < cap) {
			this.values[(this.start + this.size) % cap] = value;
			this.size++;
		} else {
			this.values[this.start] = value;
			this.start = (this.start + 1) % cap;
		}
	}

	/** The i-th value, oldest first (i may be negative: -1 is the newest). */
	at(i: number): number | undefined {
		const index = i < 0 ? this.size + i : i;
		if (index < 0 || index >= this.size) return undefined;
		return this.values[(this.start + index) % this.values.length];
	}

	/** Values oldest first, as a fresh array (snapshots are immutable). */
	toArray(): number[] {
		const out = new Array<number>(this.size);
		const cap = this.values.length;
		for (let i = 0; i < this.size; i++) out[i] = this.values[(this.start + i) % cap]!;
		return out;
	}
}
