// A fixed-capacity ring of numbers: histories stay the same size however long gmon runs.
//
// The storage grows with the values up to the capacity instead of being allocated whole: every group
// has two rings per history (counts and times), and a dump of many distinct stacks makes one group
// each. Allocated whole (a Float64Array of 120 a ring), 350k distinct stacks cost ~5 GB and most of
// the run's CPU in typed-array allocation, for rings holding one value.

export class Ring {
	private readonly values: number[] = [];
	/** Index of the oldest value once the ring is full. */
	private start = 0;
	readonly capacity: number;

	constructor(capacity: number) {
		this.capacity = Math.max(1, capacity);
	}

	get length(): number {
		return this.values.length;
	}

	push(value: number): void {
		if (this.values.length < this.capacity) {
			this.values.push(value);
		} else {
			this.values[this.start] = value;
			this.start = (this.start + 1) % this.capacity;
		}
	}

	/** The i-th value, oldest first (i may be negative: -1 is the newest). */
	at(i: number): number | undefined {
		const size = this.values.length;
		const index = i < 0 ? size + i : i;
		if (index < 0 || index >= size) return undefined;
		return this.values[(this.start + index) % size];
	}

	/** Values oldest first, as a fresh array (snapshots are immutable). */
	toArray(): number[] {
		const size = this.values.length;
		const out = new Array<number>(size);
		for (let i = 0; i < size; i++) out[i] = this.values[(this.start + i) % size]!;
		return out;
	}
}
