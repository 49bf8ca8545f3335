// The leak verdict for one blocking site (the user frame where goroutines are parked + the wait):
// a tier and ONE sentence of why, the same in every view and output. Pure: facts in, verdict out.
//
// Tiers:
//   proven   — Go's goroutineleak profile (Go 1.26 experiment, 1.27) marked members `(leaked)`:
//              the runtime found the primitive unreachable from any runnable goroutine.
//   likely   — the dump (or the watch) shows a shape that healthy programs do not have.
//   possible — leak-shaped, but healthy programs park there too; worth a look, not an alarm.
//
// The signals, and why each weighs what it does (the corpus under test/corpus measures them):
//   · never wakes: a nil-channel operation or `select {}` outside main.main cannot end. likely.
//   · the primitive: a send parked in user code has lost its receiver far more often than a
//     receive, which is how idle workers, subscribers and per-key loops wait. A lock or a
//     WaitGroup wait is transient under healthy contention.
//   · the creator has returned: Go 1.21+ prints `created by F in goroutine N`; when goroutine N is
//     gone or no longer inside F, the function that started the goroutine (most often the one
//     meant to read its result, or to stop it) is gone. For a sender that is the forgotten-sender
//     and early-return leaks. Worker pools are started by constructors that return too, so for
//     receives and selects it only counts together with accumulation.
//   · accumulation, from goroutine ids (monotonic, never reused): members born at many different
//     times (ids spread across a span far wider than their count, interleaved with other
//     goroutines' births) have piled up one request at a time; a pool started in a loop has
//     consecutive ids. This dates goroutines born before gmon looked.
//   · Go's own wait minutes: a floor on how long the goroutine has been parked without waking,
//     counted from the first GC that saw it parked (weak: a select on a long timer has minutes
//     too). Only a send or a lock waiting a minute or more is upgraded by it.
//   · LeakProf's count rule: many goroutines at one blocking site in user code.
//   · watch signals: members born while gmon watched that then stayed parked (growth in a trickle
//     or a burst), none of the stuck ones leaving; a member that left clears the growth signal.
//   · a baseline dump taken before the workload: members that appeared since and are still parked
//     after the workload settled (goleak's rule).
import {baseState, canonicalState} from '../dump/classify.ts';
import type {Frame} from '../dump/types.ts';
import {baseName, shortLocation} from '../dump/names.ts';
import {formatDuration} from '../text/units.ts';

export type Tier = 'proven' | 'likely' | 'possible';

/** Strongest first; a gate's `--fail-on` threshold compares by this rank. */
export const TIERS: readonly Tier[] = ['proven', 'likely', 'possible'];

export function tierRank(tier: Tier): number {
	return TIERS.length - TIERS.indexOf(tier);
}

/** At or above the threshold: proven ≥ likely ≥ possible. */
export function atLeast(tier: Tier, threshold: Tier): boolean {
	return tierRank(tier) >= tierRank(threshold);
}

export type Primitive = 'send' | 'receive' | 'select' | 'lock' | 'wait-group' | 'cond' | 'other';

/** What the goroutines at a site wait on, from the wait reason (and frames for Go ≤1.23's `semacquire`). */
export function primitiveOf(state: string, frames?: readonly Frame[]): Primitive {
	const base = baseState(canonicalState(state, frames));
	if (base.startsWith('chan send')) return 'send';
	if (base.startsWith('chan receive')) return 'receive';
	if (base.startsWith('select')) return 'select';
	if (base === 'sync.Mutex.Lock' || base === 'sync.RWMutex.Lock' || base === 'sync.RWMutex.RLock') return 'lock';
	if (base === 'sync.WaitGroup.Wait') return 'wait-group';
	if (base === 'sync.Cond.Wait') return 'cond';
	return 'other';
}

/** How a site's count moved over the recent window (see group-history.ts, growthStory). */
export interface GrowthStory {
	/** Goroutines added over the window (sum of the increases). */
	added: number;
	/** Polls in which the count rose. */
	steps: number;
	/** Epoch-ms of the last rise. */
	lastRiseAt: number;
	/** Epoch-ms of the first rise inside the window. */
	firstRiseAt: number;
}

export interface SiteFacts {
	/** The most common wait reason at the site. */
	state: string;
	primitive: Primitive;
	/** `leaks.go:81` or the function when there is no file. */
	location: string;
	count: number;
	/** Members Go's goroutineleak profile proved leaked. */
	leaked: number;
	/** The wait can never end (nil channel, `select {}` outside main.main). */
	neverWakes: boolean;
	/** The largest of Go's own `N minutes` among the members. */
	maxMinutes: number;
	/** Members whose creating function has returned (their creator goroutine is gone or elsewhere). */
	creatorGone: number;
	/** Members whose creator could be checked at all (a creator is printed). */
	creatorKnown: number;
	/** Members born at many different times (see accumulated()). */
	accumulated: boolean;
	/** The id span the members were born across (max id − min id + 1). */
	idSpan: number;
	/**
	 * Of the gaps between members' ids (sorted), the share holding goroutines that have finished
	 * (0…1): near 1 when each member was born among other goroutines that came and went. Counted only
	 * until it passes INTERLEAVED: above that it is a floor.
	 */
	interleaved: number;
	/** Members first seen after the watch's first poll that are now stuck. */
	stuckNewcomers: number;
	/** A stuck member left the site (exited, moved on, woke) within the growth window. */
	leftRecently: boolean;
	/** Members absent from the baseline dump (undefined without --baseline). */
	sinceBaseline?: number;
	/** Recent growth, if any. */
	growth?: GrowthStory;
	/** LeakProf's count rule. */
	leakThreshold: number;
	/** Epoch-ms of the poll (for "1m ago"). */
	now: number;
}

export interface Verdict {
	tier: Tier;
	/** One sentence: "likely leak: 27 goroutines in chan send at leaks.go:81 — …". */
	reason: string;
	/** For ranking inside a tier. */
	score: number;
}

/**
 * Members born at many different times: at least three, sorted by id, and between many pairs of
 * neighbours (at least one in eight, and two) some other goroutine was born and has since exited
 * (an id in the gap the dump does not hold). Go never reuses an id and hands them out in
 * increasing order, so a pile that grew request by request is interleaved with finished
 * goroutines; a pool started in one loop has consecutive ids, broken only where the runtime's
 * per-P id cache (16 ids) ran out. `aliveIn(min, max)` counts the dump's goroutines with ids in
 * [min, max].
 */
export function accumulated(ids: readonly number[], aliveIn: (min: number, max: number) => number): {accumulated: boolean; span: number; interleaved: number} {
	if (ids.length === 0) return {accumulated: false, span: 0, interleaved: 0};
	// A typed array sorts numerically in native code: ~10x a comparator's sort at 100k ids (the model's end of a poll).
	const sorted = Float64Array.from(ids).sort();
	const span = sorted.at(-1)! - sorted[0]! + 1;
	if (sorted.length < 3) return {accumulated: false, span, interleaved: 0};
	const enough = Math.max(2, sorted.length / 8);
	// Counted until both answers are settled: a pile of 100k spread ids passes both long before its
	// last gap, and past that point `interleaved` is a floor already over INTERLEAVED.
	const settled = Math.max(enough, (sorted.length - 1) * INTERLEAVED);
	let gaps = 0;
	for (let i = 1; i < sorted.length && gaps < settled; i++) {
		const a = sorted[i - 1]!;
		const b = sorted[i]!;
		if (b - a > 1 && aliveIn(a + 1, b - 1) < b - a - 1) gaps++;
	}
	return {accumulated: gaps >= enough, span, interleaved: gaps / (sorted.length - 1)};
}

function plural(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "+10 in one burst 1m ago" or "+12 in a trickle over 3m": what the count did, not an average. */
export function describeGrowth(growth: GrowthStory, now: number): string {
	if (growth.steps <= 1) return `+${growth.added} in one burst ${formatDuration(now - growth.lastRiseAt)} ago`;
	const over = growth.lastRiseAt - growth.firstRiseAt;
	if (over < 1000) return `+${growth.added} over ${growth.steps} polls`;
	const still = now - growth.lastRiseAt;
	return `+${growth.added} in a trickle over ${formatDuration(over)}${still >= 60_000 ? `, none for ${formatDuration(still)}` : ''}`;
}

/**
 * Receivers, selects and Cond waiters born at different times weigh as a pile from this many on:
 * fewer is what a handful of clients' sessions or in-flight calls give (see test/services.test.ts).
 */
const WAITERS_PILE = 8;

/** The weight of Go's own proof among a site's evidence (the strongest there is). */
export const PROOF_WEIGHT = 100;

/**
 * Members born among goroutines that came and went: at least this share of the id gaps between
 * them holds finished goroutines. Request traffic starts short-lived goroutines between any two
 * stragglers it leaves behind; a dispatcher or pool starts its loops back to back, with only now
 * and then an unrelated goroutine born between two of them (a per-key dispatcher fed every 150 ms
 * while gmon polls: about one gap in five).
 */
const INTERLEAVED = 0.5;

/**
 * Waiters for work that keep arriving one request at a time: a pile (WAITERS_PILE or more), each
 * born among goroutines that finished (most id gaps hold finished ones: stragglers of request
 * traffic, not loops a dispatcher or pool starts back to back), that rose at two or more separate
 * looks (a trickle, not one burst), none of its stuck members ever leaving. A request path that
 * parks in a receive, select or Cond wait nobody will end looks exactly like this; healthy waiters
 * (idle workers, subscribers, per-key loops, long-poll streams) arrive with their clients or keys
 * and come and go. The limit, said plainly: a service whose request handlers themselves start a
 * long-lived loop per new key (not a dispatcher) looks like this while new keys keep coming.
 */
function trickleOfRequests(f: SiteFacts): boolean {
	const trickle = f.growth !== undefined && f.growth.steps >= 2 && f.growth.lastRiseAt - f.growth.firstRiseAt >= 1000;
	return trickle && f.accumulated && f.interleaved >= INTERLEAVED && f.count >= WAITERS_PILE && !f.leftRecently;
}

interface Evidence {
	tier: Tier;
	text: string;
	weight: number;
}

/** Everything the facts say, strongest first; the verdict takes the strongest tier and the first reasons. */
function evidence(f: SiteFacts): Evidence[] {
	const out: Evidence[] = [];
	const add = (tier: Tier, weight: number, text: string) => out.push({tier, weight, text});
	const creatorAllGone = f.creatorKnown > 0 && f.creatorGone >= f.creatorKnown;
	const creatorText = creatorAllGone
		? 'the functions that started them have returned'
		: `${f.creatorGone} of ${f.count} outlived the function that started them`;
	const minutes = f.maxMinutes >= 1 ? `parked ${f.maxMinutes}m without waking (Go's count)` : '';

	if (f.leaked > 0)
		add('proven', PROOF_WEIGHT, `Go's leak profile proved ${f.leaked >= f.count ? (f.count === 1 ? 'it' : 'all') : `${f.leaked} of ${f.count}`} unreachable`);
	if (f.neverWakes) add('likely', 90, baseState(f.state) === 'select (no cases)' ? 'select {} outside main can never wake' : 'a nil channel can never wake');
	if (f.sinceBaseline !== undefined && f.sinceBaseline > 0)
		add('likely', 80, `${f.sinceBaseline} appeared since the baseline and ${f.sinceBaseline === 1 ? 'is' : 'are'} still parked`);
	if (f.stuckNewcomers >= 2 && !f.leftRecently) {
		// Growth that stays is a leak's signature for senders and locks. Receivers and selects grow
		// and stay in healthy programs too (a dispatcher's per-key loops, long-poll handlers), unless
		// the functions that started them are gone.
		const waitsForWork = f.primitive === 'receive' || f.primitive === 'select' || f.primitive === 'cond' || f.primitive === 'other';
		add(waitsForWork && f.creatorGone === 0 && !trickleOfRequests(f) ? 'possible' : 'likely', 70, `${f.stuckNewcomers} born while watched stayed parked`);
	}
	const big = f.count >= f.leakThreshold;

	switch (f.primitive) {
		case 'send':
			// A sender with its creator gone is the forgotten sender: nobody is left to receive.
			if (f.creatorGone > 0) add('likely', 60, `${creatorText}, so nobody will receive`);
			// Go's minutes: a send parked a minute is odd, five minutes is a lost receiver (a slow
			// consumer wakes its senders far more often).
			if (f.maxMinutes >= 5) add('likely', 50, minutes);
			else if (f.maxMinutes >= 1) add('possible', 15, minutes);
			if (big) add('likely', 40, `${f.count} senders at one site (LeakProf's rule)`);
			if (f.accumulated) add(f.creatorGone > 0 ? 'likely' : 'possible', 30, `born over ${f.idSpan} goroutine ids`);
			add('possible', 10, 'a send parked in your own code');
			break;
		case 'lock':
			// Contention under load is transient and its waiters were born together; a lock that is
			// never released collects waiters one request at a time.
			if (f.maxMinutes >= 1) add('likely', 50, `waiting for the lock ${f.maxMinutes}m (Go's count)`);
			if (f.accumulated) add(f.creatorGone > 0 ? 'likely' : 'possible', 45, `waiters piling up over ${f.idSpan} goroutine ids`);
			break;
		case 'wait-group':
			// Waiters piling up one request at a time after their starters returned have lost a Done.
			// A lone waiter whose starter returned, parked for minutes, is what a supervisor of
			// long-running workers is (`go func() { wg.Wait(); close(out) }()` over producers that
			// stream for hours): its starter returning is the pattern, and minutes alone are never a
			// verdict for a wait that is not a send.
			if (f.creatorGone > 0 && f.accumulated) add('likely', 45, `${creatorText}${f.maxMinutes >= 1 ? `, ${minutes}` : ''}`);
			if (f.accumulated) add('possible', 30, `waiters piling up over ${f.idSpan} goroutine ids`);
			break;
		case 'receive':
		case 'select':
		case 'cond':
			// Idle workers, subscribers and per-key loops wait like this for hours: only a pile of
			// members born one by one after their starters returned is worth a look. And a pile, not
			// a handful: a few clients' streams or in-flight calls wait like this too, born between
			// other requests (etcd with 3 watchers and 4 writers: 3 at each of six such sites).
			if (f.accumulated && f.count >= WAITERS_PILE) {
				if (f.creatorGone > 0) add('possible', 30, `${creatorText}, born over ${f.idSpan} goroutine ids`);
				else add('possible', 20, `piling up over ${f.idSpan} goroutine ids`);
				if (big) add('possible', 25, `${f.count} at one site (LeakProf's rule)`);
			}
			break;
		default:
			break;
	}
	// Go's minutes as a fact to show next to a stronger reason (never a verdict on its own).
	if (minutes && f.primitive !== 'send') add('possible', 1, minutes.replace(" (Go's count)", ''));
	if (f.growth && f.growth.added > 0) add('possible', 2, describeGrowth(f.growth, f.now));
	return out;
}

/**
 * How suspects rank: by tier, then by how many goroutines the site holds (what a leak costs, and a
 * fact every poll sees alike), then by the weight of the evidence (which moves with timing: whether
 * a round of requests was seen growing or landed between two polls). One number, so every output
 * (the TUI's leak sort, the report, JSON, the fleet) ranks alike.
 */
export function suspectScore(tier: Tier, count: number, evidenceWeight: number): number {
	return tierRank(tier) * 1e9 + Math.min(count, 999_999) * 1e3 + Math.min(evidenceWeight, 999);
}

/** Between a reason's what-and-where and its why. */
const REASON_DASH = ' — ';

/**
 * A reason's two halves: what and where ("likely leak: 27 goroutines in chan send at leaks.go:81"),
 * and why (after the dash; undefined when there is none). Narrow outputs show one, or both on two lines.
 */
export function reasonParts(reason: string): {head: string; why: string | undefined} {
	const dash = reason.indexOf(REASON_DASH);
	return dash < 0 ? {head: reason, why: undefined} : {head: reason.slice(0, dash), why: reason.slice(dash + REASON_DASH.length)};
}

/**
 * Each evidence text of evidence() (and judgeSite's draining note, describeGrowth's story) in a few
 * words, for a column too narrow for the sentence: "likely: creator gone, 12 senders". Kept
 * beside the texts it shortens; test/verdict-short.test.ts fails when a text has no short form.
 * '' drops a fragment that only explains the one before it.
 */
const SHORT_FORMS: ReadonlyArray<readonly [RegExp, (m: RegExpMatchArray) => string]> = [
	[/^Go's leak profile proved (it|all|\d+ of \d+) unreachable$/, m => (m[1] === 'it' || m[1] === 'all' ? 'Go proved it' : `Go proved ${m[1]}`)],
	[/^select \{\} outside main can never wake$/, () => 'select {} never wakes'],
	[/^a nil channel can never wake$/, () => 'nil chan never wakes'],
	[/^(\d+) appeared since the baseline and (is|are) still parked$/, m => `${m[1]} since baseline`],
	[/^(\d+) born while watched stayed parked$/, m => `${m[1]} new stuck`],
	[/^the functions that started them have returned$/, () => 'creator gone'],
	[/^(\d+) of (\d+) outlived the function that started them$/, m => `${m[1]}/${m[2]} outlived creator`],
	[/^so nobody will receive$/, () => ''],
	[/^parked (\d+)m without waking( \(Go's count\))?$/, m => `parked ${m[1]}m`],
	[/^waiting for the lock (\d+)m \(Go's count\)$/, m => `lock ${m[1]}m`],
	[/^(\d+) senders at one site \(LeakProf's rule\)$/, m => `${m[1]} senders`],
	[/^(\d+) at one site \(LeakProf's rule\)$/, m => `${m[1]} at one site`],
	[/^born over (\d+) goroutine ids$/, m => `born over ${m[1]} ids`],
	[/^(waiters )?piling up over (\d+) goroutine ids$/, m => `piling up over ${m[2]} ids`],
	[/^a send parked in your own code$/, () => 'send in your code'],
	[/^but stuck members left recently \(draining, not piling up\)$/, () => 'draining'],
	[/^(\+\d+) (in one burst .* ago|over \d+ polls|in a trickle over .*)$/, m => m[1]!],
	[/^none for .*$/, () => ''],
];

/** A fragment of a reason's why in a few words; undefined when no rule knows it. */
export function shortFragment(fragment: string): string | undefined {
	for (const [pattern, short] of SHORT_FORMS) {
		const m = fragment.match(pattern);
		if (m) return short(m);
	}
	return undefined;
}

/**
 * The verdict in a few words, from its one sentence: "likely: creator gone, 12 senders". The
 * same facts as the reason (never another judgement), for where the reason cannot fit; a fragment
 * no rule knows is kept as it is.
 */
export function shortReason(reason: string): string {
	const {head, why} = reasonParts(reason);
	const tier = head.split(' ', 1)[0]!;
	return why === undefined ? tier : `${tier}: ${shortWhy(why)}`;
}

/** A reason's why (after the dash) in a few words: "creator gone, 12 senders". */
export function shortWhy(why: string): string {
	return whyFragments(why)
		.map(fragment => shortFragment(fragment) ?? fragment)
		.filter(text => text !== '')
		.join(', ');
}

/** The why's fragments: its reasons (`; `) and their parts (`, `), a comma inside parentheses kept. */
export function whyFragments(why: string): string[] {
	return why.split(/; |, (?![^(]*\))/);
}

/** The verdict for a site, or undefined when it is not leak-shaped enough to mention. */
export function judgeSite(f: SiteFacts): Verdict | undefined {
	const all = evidence(f);
	// Growth and minutes only describe: they never make a verdict alone.
	if (!all.some(e => e.weight >= 10)) return undefined;
	let tier = all.reduce<Tier>((best, e) => (tierRank(e.tier) > tierRank(best) ? e.tier : best), 'possible');
	// Members that were stuck and then left (exited, moved on, woke): the site drains, so however
	// it looks it is not a leak's pile — at most worth a look, unless Go proved it.
	const draining = f.leftRecently && tier === 'likely' && !f.neverWakes;
	if (draining) tier = 'possible';
	const ranked = [...all].sort((a, b) => tierRank(b.tier) - tierRank(a.tier) || b.weight - a.weight);
	// The strongest reasons, then how it grew (a fact every reader wants), at most three.
	const texts: string[] = [];
	for (const e of ranked) {
		if (texts.length >= 2) break;
		// The site's base shape ("a send parked in your own code") only when nothing stronger says more.
		if (e.weight < 10 || (e.weight === 10 && texts.length > 0)) continue;
		texts.push(e.text);
	}
	if (draining) texts.splice(1, texts.length, 'but stuck members left recently (draining, not piling up)');
	const growth = all.find(e => e.weight === 2);
	if (growth) texts.push(growth.text);
	const reason = `${tier} leak: ${plural(f.count, 'goroutine')} in ${f.state} at ${f.location}${REASON_DASH}${texts.join('; ')}`;
	const weight = ranked.reduce((sum, e) => sum + e.weight, 0);
	return {tier, reason, score: suspectScore(tier, f.count, weight)};
}

/** `leaks.go:81`, or the function when the file is unknown. */
export function siteLocation(where: {func: string; file: string; line: number} | undefined): string {
	if (!where) return '(no frames)';
	return baseName(where.file) ? shortLocation(where.file, where.line) : where.func;
}
