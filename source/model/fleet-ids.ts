// Goroutine ids in a view of several targets. Each process numbers its goroutines from 1, so two
// replicas both have a goroutine 7: the merged model gives target k's goroutine n the id
// k·2^44 + n, and every place that selects, looks up or links goroutines (the cursor, the stack
// view, the tree by creator's parent links) works on those ids unchanged. Every place that PRINTS
// an id prints goroutineNumber(id): the number Go printed. For one target (k = 0) both are the id.
// 2^44 leaves room for ids up to 1.7·10^13 (a service starting 100k goroutines a second for five
// years) and 512 targets within the 2^53 a number holds exactly.

const stride = 2 ** 44;

/** The most targets one merged view tells apart. */
export const maxFleetTargets = 512;

/** Target `index`'s goroutine `id` in the merged view. */
export function fleetId(index: number, id: number): number {
	return index * stride + id;
}

/** The target a merged id belongs to (0 for an id of a single target). */
export function fleetIndexOf(id: number): number {
	return Math.floor(id / stride);
}

/** The goroutine's own number, as Go printed it: what every view shows. */
export function goroutineNumber(id: number): number {
	return id % stride;
}
