// Which suspect a row or a stack view speaks of. A group's suspect is the one its goroutines'
// site has under the current grouping; a goroutine's is its OWN site's, never its group's: a label
// or creator group holds goroutines of many sites, and a goroutine in IO wait must not carry the
// "why" of a chan send elsewhere in its group.
import type {Suspect, TrackedGoroutine} from '../model/types.ts';

/** The key a suspect's site has in the lookup map (the NUL keeps it apart from every group key). */
export function siteRef(siteKey: string): string {
	return `site\u0000${siteKey}`;
}

/** The lookup map: every group key of a suspect (its strongest, for a group of several sites), and its site, to the suspect. */
export function suspectLookup(suspects: readonly Suspect[]): Map<string, Suspect> {
	const map = new Map<string, Suspect>();
	for (const s of suspects) {
		// Suspects come best first: a group that holds several sites (a label group) speaks of its strongest.
		for (const key of s.groupKeys ?? [s.groupKey]) if (!map.has(key)) map.set(key, s);
		map.set(siteRef(s.siteKey), s);
	}
	return map;
}

/** The suspect at the goroutine's own blocking site (by its group only when the model gave no site). */
export function goroutineSuspect(t: TrackedGoroutine, lookup: ReadonlyMap<string, Suspect>): Suspect | undefined {
	return t.siteKey === undefined ? lookup.get(t.groupKey) : lookup.get(siteRef(t.siteKey));
}
