// The labelled corpus, shared by `npm run eval` (eval.ts) and test/corpus.test.ts: build the Go
// binary, read its scenario table (`corpus -list`) and its labelled sites (`// LEAK(name)`
// comments), start scenarios on loopback, poll them through gmon's own parser and model, and
// score gmon's suspects against the labels.
import {execFile, spawn} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {parseDump} from '../../source/dump/parse.ts';
import type {ProfileRecord} from '../../source/dump/types.ts';
import {Tracker} from '../../source/model/tracker.ts';
import type {ModelSnapshot, Suspect} from '../../source/model/types.ts';
import {atLeast, type Tier} from '../../source/model/verdict.ts';
import {goBuild} from '../helpers/go-build.ts';

const execFileAsync = promisify(execFile);

export const corpusDir = fileURLToPath(new URL('./', import.meta.url));

export interface Scenario {
	name: string;
	kind: 'leak' | 'healthy';
	/** The wait reason Go prints at the labelled site (leaks). */
	wait?: string;
	pattern: string;
}

export interface Site {
	file: string;
	line: number;
}

/** Every `// LEAK(name)` tag in the corpus sources: name → the blocking lines. */
export function labelledSites(): Map<string, Site[]> {
	const out = new Map<string, Site[]>();
	for (const file of readdirSync(corpusDir).filter(name => name.endsWith('.go'))) {
		const lines = readFileSync(join(corpusDir, file), 'utf8').split('\n');
		lines.forEach((text, index) => {
			const match = /\/\/ LEAK\(([\w-]+)\)/.exec(text);
			if (!match) return;
			const list = out.get(match[1]!) ?? [];
			list.push({file, line: index + 1});
			out.set(match[1]!, list);
		});
	}
	return out;
}

export interface Build {
	/** heuristics (Go 1.26), proof (Go 1.26 + GOEXPERIMENT=goroutineleakprofile), go1.27 (leak profile on by default). */
	label: string;
	binary: string;
	/** The target serves /debug/pprof/goroutineleak. */
	leakProfile: boolean;
}

export interface BuildSpec {
	label: string;
	env: NodeJS.ProcessEnv;
	leakProfile: boolean;
	/** The go command (default: `go` on PATH). */
	go?: string;
}

export const buildSpecs: readonly BuildSpec[] = [
	{label: 'go1.26 heuristics', env: {}, leakProfile: false},
	{label: 'go1.26 + leak profile', env: {GOEXPERIMENT: 'goroutineleakprofile'}, leakProfile: true},
	{label: 'go1.27', env: {GOTOOLCHAIN: 'go1.27.3'}, leakProfile: true},
	// The old format users still run (semacquire states, no `in goroutine N`): Debian's golang-go, when installed.
	{label: 'go1.19 (Debian)', env: {}, leakProfile: false, go: '/usr/lib/go-1.19/bin/go'},
];

/** `go build` the corpus with the given environment, once per test run (go-build.ts); resolves to the binary. */
export async function buildCorpus(spec: BuildSpec): Promise<Build> {
	const env = {...process.env, CGO_ENABLED: '0', GOFLAGS: '', ...spec.env};
	const name = `corpus-${spec.label.replace(/[^a-z0-9.]+/gi, '-')}`;
	const binary = await goBuild({dir: corpusDir, name, env, ...(spec.go ? {go: spec.go} : {})});
	return {label: spec.label, binary, leakProfile: spec.leakProfile};
}

export async function scenarioTable(binary: string): Promise<Scenario[]> {
	const {stdout} = await execFileAsync(binary, ['-list']);
	return JSON.parse(stdout) as Scenario[];
}

export interface Running {
	name: string;
	url: string;
	stop(): Promise<void>;
}

// Scenarios left running when the process exits (a failed test) are killed: one listener for all.
const children = new Set<ReturnType<typeof spawn>>();
process.once('exit', () => {
	for (const child of children) child.kill('SIGKILL');
});

/** Start one scenario on 127.0.0.1 and resolve once it prints its port. Always stop() it. */
export function startScenario(binary: string, name: string, args: readonly string[] = []): Promise<Running> {
	const child = spawn(binary, ['-scenario', name, '-port', '0', ...args], {stdio: ['ignore', 'pipe', 'pipe']});
	const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
	children.add(child);
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		await exited;
		children.delete(child);
	};
	return new Promise((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => {
			void stop();
			reject(new Error(`corpus ${name} did not start: ${out}`));
		}, 15_000);
		child.stdout.setEncoding('utf8');
		child.stdout.on('data', (chunk: string) => {
			out += chunk;
			const match = /listening on (127\.0\.0\.1:\d+)/.exec(out);
			if (match) {
				clearTimeout(timer);
				child.stdout.resume();
				resolve({name, url: `http://${match[1]}`, stop});
			}
		});
		child.stderr.on('data', (chunk: Buffer) => {
			out += chunk.toString();
		});
		child.once('exit', code => {
			clearTimeout(timer);
			reject(new Error(`corpus ${name} exited (${code}): ${out}`));
		});
	});
}

export interface Poll {
	text: Buffer;
	leakRecords?: ProfileRecord[];
	at: number;
}

/** One poll as gmon takes it: the debug=2 dump, then (when served) the goroutineleak profile. */
export async function poll(url: string, leakProfile: boolean): Promise<Poll> {
	const at = Date.now();
	const text = Buffer.from(await (await fetch(`${url}/debug/pprof/goroutine?debug=2`)).arrayBuffer());
	if (!leakProfile) return {text, at};
	const response = await fetch(`${url}/debug/pprof/goroutineleak?debug=1`);
	const leak = parseDump(Buffer.from(await response.arrayBuffer()));
	return {text, at, ...(response.ok && leak.kind === 'profile' ? {leakRecords: leak.records} : {})};
}

/** Feed polls to a fresh model the way `gmon --once --polls N` does (stuck after N-1 polls, at least 2). */
export function model(polls: readonly Poll[]): ModelSnapshot {
	const tracker = new Tracker(polls.length > 1 ? {stuckAfterPolls: Math.max(2, Math.min(3, polls.length - 1))} : {});
	let snapshot: ModelSnapshot | undefined;
	for (const [index, p] of polls.entries()) {
		const last = index === polls.length - 1;
		snapshot = tracker.update({goroutines: parseDump(p.text).goroutines, at: p.at, ...(last && p.leakRecords ? {leakRecords: p.leakRecords} : {})});
	}
	return snapshot!;
}

export function atSite(where: {file: string; line: number} | undefined, sites: readonly Site[]): boolean {
	return where !== undefined && sites.some(site => where.line === site.line && (where.file === site.file || where.file.endsWith(`/${site.file}`)));
}

export interface Score {
	/** Best tier of a suspect at a labelled site; undefined when none is flagged there. */
	tier?: Tier;
	/** Goroutines parked at the labelled sites. */
	atSites: number;
	/** Of those, in suspects of each tier or above. */
	caught: Record<Tier, number>;
	/** Goroutines at the sites the runtime proved leaked ((leaked) or the leak profile). */
	provenByGo: number;
	/** Suspects elsewhere (not at a labelled site), by tier. */
	elsewhere: Record<Tier, number>;
	/** The sentence of the best suspect at the site. */
	reason?: string;
	suspects: Suspect[];
}

export function score(snapshot: ModelSnapshot, sites: readonly Site[]): Score {
	const caught: Record<Tier, number> = {proven: 0, likely: 0, possible: 0};
	const elsewhere: Record<Tier, number> = {proven: 0, likely: 0, possible: 0};
	let tier: Tier | undefined;
	let reason: string | undefined;
	for (const suspect of snapshot.suspects) {
		if (atSite(suspect.where, sites)) {
			if (!tier || atLeast(suspect.tier, tier)) {
				if (tier !== suspect.tier || !reason) reason = suspect.reason;
				tier = suspect.tier;
			}
			for (const t of ['proven', 'likely', 'possible'] as const) if (atLeast(suspect.tier, t)) caught[t] += suspect.count;
		} else {
			elsewhere[suspect.tier]++;
		}
	}
	const at = snapshot.groups.filter(group => atSite(group.where, sites));
	const atSites = at.reduce((sum, group) => sum + group.count, 0);
	const provenByGo = at.reduce((sum, group) => sum + group.leaked, 0);
	return {...(tier ? {tier} : {}), ...(reason ? {reason} : {}), atSites, caught, provenByGo, elsewhere, suspects: snapshot.suspects};
}
