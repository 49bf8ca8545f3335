// Equality of plain parsed data (dumps, goroutines, records) at the cost of two JSON.stringify calls:
// node's deepStrictEqual walks objects slowly, and the parser tests compare thousands of parses (it was
// seconds of CPU in a suite that must stay under a minute). On a difference, deepEqual runs to name it.
// The fast path reads a property set to undefined as absent: the parsed data means the same either way.
import assert from 'node:assert/strict';

export function assertSameData(actual: unknown, expected: unknown, message?: string): void {
	if (JSON.stringify(actual) !== JSON.stringify(expected)) assert.deepEqual(actual, expected, message);
}
