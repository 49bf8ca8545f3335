// The tree by creator: groups arranged by who started them. Go ≥ 1.21 prints `created by F in
// goroutine N`; following N up to a goroutine with no creator (main, runtime roots) gives each
// goroutine a chain of groups. Goroutines whose chain of groups is the same are one node, so a
// leaked worker sits under the request (or worker) that spawned it, and counts roll up.
// When the parent is gone (it returned, or Go < 1.21 printed no id), the creator function stands
// in for it: a root node "created by F". Pure: plain data in, plain data out.
import type {CreatedBy} from '../dump/types.ts';
import type {TrackedGoroutine} from './types.ts';

export interface CreatorNode {
	/**
	 * Stable across polls: the path of group keys (or the stand-in creator) from the root, so a
	 * selection can follow the node by key while the rows around it change.
	 */
	key: string;
	/** A group's goroutines under this path, or the stand-in for a creator that is gone. */
	kind: 'group' | 'creator';
	/** The group key (under the current group-by) of a `group` node. */
	groupKey?: string;
	/** What created the goroutines under a `creator` node. */
	creator?: CreatedBy;
	/** Goroutines of this node itself (shown ones only). */
	ids: number[];
	/** The member with the longest wait: what the row shows. Absent when no member is shown here. */
	sample?: TrackedGoroutine;
	/** A goroutine of this node's group on this path, shown or not: names a parent the filter hides. */
	via?: TrackedGoroutine;
	/** This node's members plus every descendant's. */
	total: number;
	/** The loudest leak tier in the subtree (3 proven, 2 suspect, 1 stuck, 0 none): a folded node still says so. */
	worst: number;
	depth: number;
	children: CreatorNode[];
}

export interface CreatorTreeInput {
	/** The goroutines to count (the filtered list). */
	shown: readonly TrackedGoroutine[];
	/** Any goroutine of the dump by id, shown or not: a parent filtered out still places its children. */
	byId(id: number): TrackedGoroutine | undefined;
	/** How loudly a goroutine says leak (the lists' tier), for `worst`. */
	tierOf(t: TrackedGoroutine): number;
}

/** Separates path elements in a node key; never printed. */
const SEP = '\u0001';

function creatorKey(creator: CreatedBy): string {
	return `${SEP}created by ${creator.func}`;
}

/** Roots, in order: the loudest leak first, then the largest subtree, then by key. */
export function buildCreatorTree({shown, byId, tierOf}: CreatorTreeInput): CreatorNode[] {
	const roots = new Map<string, CreatorNode>();
	const childMaps = new Map<CreatorNode, Map<string, CreatorNode>>();
	// The node each goroutine id lands in (shown or an ancestor of a shown one).
	const nodeOfId = new Map<number, CreatorNode>();

	const child = (parent: CreatorNode | undefined, key: string, make: () => Omit<CreatorNode, 'key' | 'depth'>): CreatorNode => {
		const siblings = parent ? (childMaps.get(parent) ?? new Map<string, CreatorNode>()) : roots;
		if (parent && !childMaps.has(parent)) childMaps.set(parent, siblings);
		const full = parent ? parent.key + SEP + key : key;
		let node = siblings.get(full);
		if (!node) {
			node = {...make(), key: full, depth: parent ? parent.depth + 1 : 0};
			siblings.set(full, node);
			if (parent) parent.children.push(node);
		}
		return node;
	};
	const groupNode = (parent: CreatorNode | undefined, t: TrackedGoroutine) =>
		child(parent, t.groupKey, () => ({kind: 'group', groupKey: t.groupKey, via: t, ids: [], total: 0, worst: 0, children: []}));

	const nodeOf = (start: TrackedGoroutine): CreatorNode => {
		// Walk up to a goroutine already placed or a root; iterative, so a 10,000-deep chain is fine,
		// and a loop (only a hostile dump can make one) ends where it closes.
		const chain: TrackedGoroutine[] = [];
		const seen = new Set<number>();
		let at: TrackedGoroutine | undefined = start;
		let base: CreatorNode | undefined;
		let standIn: CreatedBy | undefined;
		while (at) {
			const placed = nodeOfId.get(at.g.id);
			if (placed) {
				base = placed;
				break;
			}
			chain.push(at);
			seen.add(at.g.id);
			const created: CreatedBy | undefined = at.g.createdBy;
			if (!created) break;
			const parent: TrackedGoroutine | undefined = created.parentId === undefined ? undefined : byId(created.parentId);
			if (!parent) {
				standIn = created;
				break;
			}
			if (seen.has(parent.g.id)) break;
			at = parent;
		}
		if (!base && standIn) {
			const creator = standIn;
			base = child(undefined, creatorKey(creator), () => ({kind: 'creator', creator, ids: [], total: 0, worst: 0, children: []}));
		}
		for (let i = chain.length - 1; i >= 0; i--) {
			base = groupNode(base, chain[i]!);
			nodeOfId.set(chain[i]!.g.id, base);
		}
		return base!;
	};

	for (const t of shown) {
		const node = nodeOf(t);
		node.ids.push(t.g.id);
		if (!node.sample || t.waitMs > node.sample.waitMs) node.sample = t;
		node.worst = Math.max(node.worst, tierOf(t));
	}
	const list = [...roots.values()];
	for (const root of list) rollUp(root);
	return list.sort(compareNodes);
}

function compareNodes(a: CreatorNode, b: CreatorNode): number {
	return b.worst - a.worst || b.total - a.total || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** Totals and the loudest tier from the leaves up; children sorted. Iterative (deep chains). */
function rollUp(root: CreatorNode): void {
	const order: CreatorNode[] = [];
	const stack = [root];
	while (stack.length > 0) {
		const node = stack.pop()!;
		order.push(node);
		for (const c of node.children) stack.push(c);
	}
	for (let i = order.length - 1; i >= 0; i--) {
		const node = order[i]!;
		let total = node.ids.length;
		let worst = node.worst;
		for (const c of node.children) {
			total += c.total;
			worst = Math.max(worst, c.worst);
		}
		node.total = total;
		node.worst = worst;
		node.children.sort(compareNodes);
	}
}

export interface FlatNode {
	node: CreatorNode;
	/** Has children and they are hidden. */
	folded: boolean;
}

/** The rows of the tree, depth first, skipping the children of folded nodes. */
export function flattenTree(roots: readonly CreatorNode[], folded: ReadonlySet<string>): FlatNode[] {
	const out: FlatNode[] = [];
	const stack: CreatorNode[] = [...roots].reverse();
	while (stack.length > 0) {
		const node = stack.pop()!;
		const isFolded = node.children.length > 0 && folded.has(node.key);
		out.push({node, folded: isFolded});
		if (!isFolded) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
	}
	return out;
}

/** The parent key of a node key ('' for a root). */
export function parentKey(key: string): string {
	// A creator root's key starts with SEP: its own separator is not a path step.
	const at = key.lastIndexOf(SEP);
	return at <= 0 ? '' : key.slice(0, at);
}

/** The last step of a node key: its group key (or the stand-in's), the same whichever path leads to it. */
export function lastStep(key: string): string {
	return key.slice(key.lastIndexOf(SEP, key.length - 1) + 1);
}

/**
 * The function a goroutine was started with (`go f()`: f), its outermost frame: what a tree of
 * who started whom names a node by. (With Go's elided frames it is the outermost one printed.)
 */
export function entryFunc(t: TrackedGoroutine): string {
	const frames = t.g.frames;
	return frames.length > 0 ? frames[frames.length - 1]!.func : '';
}

/** Every node by key. */
export function indexTree(roots: readonly CreatorNode[]): Map<string, CreatorNode> {
	const index = new Map<string, CreatorNode>();
	const stack = [...roots];
	while (stack.length > 0) {
		const node = stack.pop()!;
		index.set(node.key, node);
		for (const c of node.children) stack.push(c);
	}
	return index;
}
