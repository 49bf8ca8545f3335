// Lists in prose, for messages and help generated from one list of choices.

/** `a`, `a or b`, `a, b or c`. */
export function orList(items: readonly string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
