// `npm run eval`: gmon's verdicts measured on the labelled corpus. For each build (Go 1.26 with
// heuristics only, Go 1.26 with GOEXPERIMENT=goroutineleakprofile, Go 1.27 when its toolchain
// downloads), every scenario runs at once on loopback; gmon's parser and model read them in the
// modes a user has: one dump (2.5 s after start: the leak predates the look), 3 polls at 1 s, and
// with `--watch` a 60 s watch (a poll every 5 s). Printed as Markdown: recall per leak program
// (its labelled site flagged) and per goroutine, false-positive groups on the healthy programs,
// per wait reason, per build and mode. The healthy programs include a real gRPC server under load
// (test/corpus/grpc, its own module: built for Go 1.26+ only, slow the first time). Then the real
// services from Debian that are installed (etcd, alertmanager, caddy, prometheus;
// test/corpus/services.ts), idle and under ordinary load, in two of those modes only — one dump
// and 3 polls at 1 s (never the 60 s watch, --watch or not): false-positive groups per service.
//
//   npm run eval                 all builds, one dump + 3 polls
//   npm run eval -- --watch      also the 60 s watch
//   npm run eval -- --only go1.26   builds whose label contains the text
//   npm run eval -- --only services the real services alone
import {spawnSync} from 'node:child_process';
import {setTimeout as sleep} from 'node:timers/promises';
import {atLeast, type Tier} from '../../source/model/verdict.ts';
import {hasTool, versionArgs} from '../helpers/tools.ts';
import {
	buildCorpus,
	buildSpecs,
	grpcDir,
	labelledSites,
	model,
	poll,
	scenarioTable,
	score,
	startScenario,
	type Build,
	type Poll,
	type Scenario,
	type Score,
} from './corpus.ts';
import {services, type RunningService} from './services.ts';

const args = process.argv.slice(2);
const withWatch = args.includes('--watch');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

interface Row {
	build: string;
	mode: string;
	scenario: Scenario;
	score: Score;
}

const rows: Row[] = [];
const sites = labelledSites();

/** A scenario and the binary that runs it (the corpus, or the gRPC program). */
interface Entry {
	scenario: Scenario;
	binary: string;
}

async function runBuild(build: Build, entries: readonly Entry[]): Promise<void> {
	const table = entries.map(e => e.scenario);
	const running = await Promise.all(entries.map(e => startScenario(e.binary, e.scenario.name)));
	try {
		await sleep(2500);
		const take = () => Promise.all(running.map(r => poll(r.url, build.leakProfile).catch(() => undefined)));
		const first = await take();
		await sleep(1000);
		const second = await take();
		await sleep(1000);
		const third = await take();
		const modes: Array<[string, Array<Array<Poll | undefined>>]> = [
			['one dump', [first]],
			['3 polls at 1 s', [first, second, third]],
		];
		if (withWatch) {
			const watch: Array<Array<Poll | undefined>> = [first, second, third];
			for (let t = 5; t <= 60; t += 5) {
				await sleep(5000);
				watch.push(await take());
			}
			modes.push(['60 s watch', watch]);
		}
		for (const [mode, polls] of modes) {
			for (const [i, scenario] of table.entries()) {
				const list = polls.map(p => p[i]).filter((p): p is Poll => p !== undefined);
				if (list.length === 0) continue;
				rows.push({build: build.label, mode, scenario, score: score(model(list), sites.get(scenario.name) ?? [])});
			}
		}
	} finally {
		await Promise.all(running.map(r => r.stop()));
	}
}

const pct = (n: number, d: number) => (d === 0 ? '–' : `${Math.round((100 * n) / d)}%`);
const caught = (r: Row, tier: Tier) => r.score.tier !== undefined && atLeast(r.score.tier, tier);

function summary(): string[] {
	const out = [
		'| build | mode | leak programs flagged: possible+ | likely+ | proven | goroutines at leak sites: possible+ | likely+ | proven by Go → proven suspect | healthy: likely+ groups | possible groups (max per program) |',
		'|---|---|---|---|---|---|---|---|---|---|',
	];
	const keys = [...new Set(rows.map(r => `${r.build}\u0000${r.mode}`))];
	for (const key of keys) {
		const [build, mode] = key.split('\u0000') as [string, string];
		const these = rows.filter(r => r.build === build && r.mode === mode);
		const leaks = these.filter(r => r.scenario.kind === 'leak');
		const healthy = these.filter(r => r.scenario.kind === 'healthy');
		const atSites = leaks.reduce((n, r) => n + r.score.atSites, 0);
		const g = (tier: Tier) => leaks.reduce((n, r) => n + Math.min(r.score.caught[tier], r.score.atSites), 0);
		const provenByGo = leaks.filter(r => r.score.provenByGo > 0);
		const provenOk = provenByGo.filter(r => r.score.tier === 'proven');
		const fpLikely = healthy.reduce((n, r) => n + r.score.elsewhere.likely + r.score.elsewhere.proven, 0);
		const possible = healthy.map(r => r.score.elsewhere.possible);
		out.push(
			`| ${build} | ${mode} | ${leaks.filter(r => caught(r, 'possible')).length}/${leaks.length} (${pct(leaks.filter(r => caught(r, 'possible')).length, leaks.length)}) | ${leaks.filter(r => caught(r, 'likely')).length}/${leaks.length} (${pct(leaks.filter(r => caught(r, 'likely')).length, leaks.length)}) | ${leaks.filter(r => caught(r, 'proven')).length}/${leaks.length} | ${pct(g('possible'), atSites)} of ${atSites} | ${pct(g('likely'), atSites)} | ${provenOk.length}/${provenByGo.length} | ${fpLikely} in ${healthy.length} programs | ${possible.reduce((a, b) => a + b, 0)} (max ${Math.max(0, ...possible)}) |`,
		);
	}
	return out;
}

function perWait(): string[] {
	const builds = [...new Set(rows.map(r => r.build))];
	const modes = [...new Set(rows.map(r => r.mode))];
	const columns = builds.flatMap(b => modes.map(m => [b, m] as const));
	const out = [`| wait reason | programs | ${columns.map(([b, m]) => `${b}, ${m}`).join(' | ')} |`, `|---|---|${columns.map(() => '---').join('|')}|`];
	const waits = [...new Set(rows.filter(r => r.scenario.kind === 'leak').map(r => r.scenario.wait ?? '?'))].sort();
	for (const wait of waits) {
		const cells = columns.map(([b, m]) => {
			const these = rows.filter(r => r.build === b && r.mode === m && r.scenario.wait === wait);
			const p = these.filter(r => caught(r, 'possible')).length;
			const l = these.filter(r => caught(r, 'likely')).length;
			const pr = these.filter(r => caught(r, 'proven')).length;
			return `${p}/${l}/${pr}`;
		});
		const n = new Set(rows.filter(r => r.scenario.wait === wait).map(r => r.scenario.name)).size;
		out.push(`| ${wait} | ${n} | ${cells.join(' | ')} |`);
	}
	out.push('', 'Cells: programs flagged possible+ / likely+ / proven.');
	return out;
}

function perProgram(): string[] {
	const columns = [...new Set(rows.map(r => `${r.build}, ${r.mode}`))];
	const out = [`| program | kind | wait | ${columns.join(' | ')} |`, `|---|---|---|${columns.map(() => '---').join('|')}|`];
	const names = [...new Set(rows.map(r => r.scenario.name))];
	for (const name of names) {
		const scenario = rows.find(r => r.scenario.name === name)!.scenario;
		const cells = columns.map(column => {
			const row = rows.find(r => `${r.build}, ${r.mode}` === column && r.scenario.name === name);
			if (!row) return '';
			if (scenario.kind === 'leak') return row.score.tier ?? '**missed**';
			const {likely, proven, possible} = row.score.elsewhere;
			return likely + proven > 0 ? `**${likely + proven} likely+**` : possible > 0 ? `${possible} possible` : 'clean';
		});
		out.push(`| ${name} | ${scenario.kind} | ${scenario.wait ?? ''} | ${cells.join(' | ')} |`);
	}
	return out;
}

interface ServiceRow {
	name: string;
	version: string;
	load: string;
	mode: string;
	idle: Score;
	loaded: Score;
}

const serviceRows: ServiceRow[] = [];

/** Three polls at 1 s (the first is the one dump) of a running service. */
async function threePolls(service: RunningService): Promise<Poll[]> {
	const polls: Poll[] = [];
	for (let i = 0; i < 3; i++) {
		if (i > 0) await sleep(1000);
		polls.push(await poll(service.url, false));
	}
	return polls;
}

/** Each installed service: started, 3 polls idle, then 3 polls under its ordinary load (after 1.5 s of it). */
async function runServices(): Promise<void> {
	for (const spec of services) {
		if (!hasTool(spec.tool)) {
			process.stderr.write(`eval: skipping ${spec.name}: ${spec.tool} not installed (Debian ${spec.pkg})\n`);
			continue;
		}
		const printed = spawnSync(spec.tool, versionArgs(spec.tool), {encoding: 'utf8'});
		const version = /\d+\.\d+\.\d+/.exec(`${printed.stdout}${printed.stderr}`)?.[0] ?? '?';
		const service = await spec.start();
		try {
			await sleep(1000);
			const idle = await threePolls(service);
			const traffic = new AbortController();
			const load = service.load(traffic.signal);
			let loaded: Poll[];
			try {
				await sleep(1500);
				loaded = await threePolls(service);
			} finally {
				traffic.abort();
				await load;
			}
			for (const [mode, n] of [
				['one dump', 1],
				['3 polls at 1 s', 3],
			] as const) {
				serviceRows.push({
					name: spec.name,
					version,
					load: spec.loadText,
					mode,
					idle: score(model(idle.slice(0, n)), []),
					loaded: score(model(loaded.slice(0, n)), []),
				});
			}
		} finally {
			await service.stop();
		}
	}
}

function serviceTable(): string[] {
	const cell = (s: Score) => `${s.elsewhere.likely + s.elsewhere.proven} / ${s.elsewhere.possible}`;
	const out = ['| service | load | mode | idle: likely+ / possible groups | under load: likely+ / possible groups |', '|---|---|---|---|---|'];
	for (const r of serviceRows) out.push(`| ${r.name} ${r.version} | ${r.load} | ${r.mode} | ${cell(r.idle)} | ${cell(r.loaded)} |`);
	const possible = serviceRows.flatMap(r => [r.idle, r.loaded].flatMap(s => s.suspects.filter(x => x.tier === 'possible').map(x => `${r.name}: ${x.reason}`)));
	const distinct = [...new Set(possible)];
	if (distinct.length > 0) out.push('', 'The possible groups:', '', ...distinct.map(text => `- ${text}`));
	return out;
}

const started = Date.now();
for (const spec of buildSpecs) {
	if (only && !spec.label.includes(only)) continue;
	let build: Build;
	try {
		build = await buildCorpus(spec);
	} catch (error) {
		process.stderr.write(`eval: skipping ${spec.label}: ${(error as Error).message.split('\n')[0]}\n`);
		continue;
	}
	const entries: Entry[] = (await scenarioTable(build.binary)).map(scenario => ({scenario, binary: build.binary}));
	if (spec.noGrpc) process.stderr.write(`eval: ${spec.label}: no gRPC program (google.golang.org/grpc v1.85 needs Go 1.26+)\n`);
	else {
		try {
			const grpc = await buildCorpus(spec, grpcDir);
			for (const scenario of await scenarioTable(grpc.binary)) entries.push({scenario, binary: grpc.binary});
		} catch (error) {
			process.stderr.write(`eval: ${spec.label}: no gRPC program: ${(error as Error).message.split('\n').slice(0, 3).join(' ')}\n`);
		}
	}
	process.stderr.write(`eval: ${spec.label}: ${entries.length} scenarios\n`);
	await runBuild(build, entries);
}

if (!only || 'services'.includes(only)) await runServices();

/** Distinct programs of a kind over every build (the gRPC one is not built for Go 1.19). */
const programs = (kind: Scenario['kind']) => new Set(rows.filter(r => r.scenario.kind === kind).map(r => r.scenario.name)).size;

const corpusLines = [
	`## gmon on the labelled corpus (${programs('leak')} leak programs, ${programs('healthy')} healthy; ${Math.round((Date.now() - started) / 1000)} s)`,
	'',
	...summary(),
	'',
	'### Per wait reason',
	'',
	...perWait(),
	'',
	'### Per program',
	'',
	...perProgram(),
];
const serviceLines = ['### Real services (Debian), idle and under ordinary load', '', ...serviceTable()];
const lines = [...(rows.length > 0 ? corpusLines : []), ...(serviceRows.length > 0 ? ['', ...serviceLines] : [])];
process.stdout.write(`${lines.join('\n')}\n`);
