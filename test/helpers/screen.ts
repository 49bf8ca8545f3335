// Reading gmon's screen the way a person does, for the tmux end-to-end tests: the list and group
// rows cut at the header's columns, the footer's status, and waits on the screen or the service.
import assert from 'node:assert/strict';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import type {LeakSite, LeakyProcess} from './go-example.ts';
import type {TmuxSession} from './tmux.ts';

/** The machine is shared and loaded: generous waits, never fixed sleeps for outcomes. */
export const slow = 30_000;

/**
 * Keep a screen for people to read (README walkthroughs, failure triage) when
 * GMON_CAPTURES_DIR names a folder; tests never write outside their temp dirs otherwise.
 */
export function save(name: string, screen: string): void {
	const dir = process.env['GMON_CAPTURES_DIR'];
	if (!dir) return;
	mkdirSync(dir, {recursive: true});
	writeFileSync(join(dir, name), screen.endsWith('\n') ? screen : `${screen}\n`);
}

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface ListRow {
	mark: string;
	/** The cursor's row (drawn inverse, with a `>` after the marks). */
	selected: boolean;
	id: number;
	state: string;
	wait: string;
	where: string;
	file: string;
	/** CREATED BY, on terminals wide enough to show it; '' otherwise. */
	created: string;
}

/** The goroutine list as a person reads it: columns cut where the header puts them. */
export function listRows(screen: string): ListRow[] {
	const lines = screen.split('\n');
	const head = lines.findIndex(line => /^ +ID STATE +WAIT WHERE +FILE/.test(line));
	if (head < 0) return [];
	const header = lines[head]!;
	const stateAt = header.indexOf('STATE');
	const whereAt = header.indexOf('WHERE');
	const fileAt = header.indexOf('FILE');
	const createdAt = header.indexOf('CREATED BY');
	const rows: ListRow[] = [];
	for (const line of lines.slice(head + 1)) {
		// Two marks, then a space or the `>` of the selected row.
		const id = /^..[ >] *(\d+) /.exec(line);
		if (!id) break;
		rows.push({
			mark: line.slice(0, 2),
			selected: line[2] === '>',
			id: Number(id[1]),
			state: line.slice(stateAt, whereAt - 7).trim(),
			wait: line.slice(whereAt - 7, whereAt).trim(),
			where: line.slice(whereAt, fileAt).trim(),
			file: line.slice(fileAt, createdAt > 0 ? createdAt : undefined).trim(),
			created: createdAt > 0 ? line.slice(createdAt).trim() : '',
		});
	}
	return rows;
}

export interface GroupRow {
	mark: string;
	selected: boolean;
	count: number;
	state: string;
	where: string;
	why: string;
}

export function groupRows(screen: string): GroupRow[] {
	const lines = screen.split('\n');
	const head = lines.findIndex(line => /^ +COUNT +Δ TREND +STATE +WHERE +WHY/.test(line));
	if (head < 0) return [];
	const header = lines[head]!;
	const stateAt = header.indexOf('STATE');
	const whereAt = header.indexOf('WHERE');
	const whyAt = header.indexOf('WHY');
	const rows: GroupRow[] = [];
	for (const line of lines.slice(head + 1)) {
		const count = /^..[ >] *(\d+) /.exec(line);
		if (!count) break;
		rows.push({
			mark: line.slice(0, 2),
			selected: line[2] === '>',
			count: Number(count[1]),
			state: line.slice(stateAt, whereAt).trim(),
			where: line.slice(whereAt, whyAt).trim(),
			why: line.slice(whyAt).trim(),
		});
	}
	return rows;
}

/** The footer's status line (the last but one drawn line). */
export function statusOf(screen: string): string {
	return (
		screen
			.split('\n')
			.filter(line => line.trim() !== '')
			.at(-2) ?? ''
	);
}

/** "1/12" at the end of the footer's status line: the cursor row and the list's length. */
export function listLength(screen: string): number | undefined {
	const match = /(\d+)\/(\d+)$/.exec(statusOf(screen).trim());
	return match ? Number(match[2]) : undefined;
}

/** The per-state count the header shows, e.g. `3:chan receive 6`. */
export function headerStateCount(screen: string, state: string): number | undefined {
	const match = new RegExp(`\\d:${escapeRegExp(state)} (\\d+)`).exec(screen.split('\n').slice(0, 4).join('\n'));
	return match ? Number(match[1]) : undefined;
}

/** Poll the screen until `done` holds; rejects with the last screen. */
export async function waitForScreen(tmux: TmuxSession, done: (screen: string) => boolean, timeoutMs = slow): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const screen = tmux.capture();
		if (done(screen)) return screen;
		if (Date.now() > deadline) throw new Error(`the screen never got there:\n${screen}`);
		await delay(100);
	}
}

/** GET each path and read the body (a leak endpoint answers with what it leaked). */
export async function curl(service: LeakyProcess, path: string): Promise<void> {
	const response = await fetch(service.url + path);
	await response.text();
	assert.equal(response.status, 200, path);
}

/**
 * Wait until the service's own dump shows at least `count` goroutines parked at the site, so a
 * poll gmon makes next sees them already blocked (the late workers park tens of ms after the response).
 */
export async function parked(service: LeakyProcess, sites: readonly LeakSite[], times: number): Promise<void> {
	const deadline = Date.now() + slow;
	for (;;) {
		const response = await fetch(`${service.url}/debug/pprof/goroutine?debug=2`);
		const blocks = (await response.text()).split('\n\n');
		const missing = sites.filter(site => {
			const here = blocks.filter(block => block.startsWith('goroutine ') && block.includes(`[${site.state}`) && block.includes(`\n${site.func}(`));
			return here.length < site.leakedPerCall * times;
		});
		if (missing.length === 0) return;
		if (Date.now() > deadline) throw new Error(`not parked in the service: ${missing.map(site => site.func).join(', ')}`);
		await delay(50);
	}
}

/**
 * `/`, the query, Enter — typed the way a person does: Enter only once the prompt shows the
 * query. (Sent in one burst, Ink hands the app "query\r" as one chunk and the Enter is lost:
 * see the burst test in e2e-tui.test.ts.)
 */
export async function typeFilter(tmux: TmuxSession, query: string): Promise<void> {
	tmux.send('/');
	await tmux.waitForText(/^\/█/m, slow);
	tmux.sendLiteral(query);
	await tmux.waitForText(`/${query}█`, slow);
	tmux.send('Enter');
	await tmux.waitForText(`filter "${query}"`, slow);
}

/**
 * Back to the plain goroutine list (no overlay, prompt, stack, filter or state filter), the way a
 * person does it: Esc until nothing is left to clear, Tab if the groups are showing.
 */
export async function toPlainList(tmux: TmuxSession): Promise<string> {
	const deadline = Date.now() + slow;
	for (;;) {
		const screen = tmux.capture();
		const status = statusOf(screen);
		const plain = /^ +ID STATE/m.test(screen) && !/filter "|states: |^\/|stack of/.test(status) && !/^(States:|gmon keys)/m.test(screen);
		if (plain) return screen;
		if (Date.now() > deadline) throw new Error(`could not get back to the plain list:\n${screen}`);
		const clearable = /filter "|states: |^\/|stack of/.test(status) || /^(States:|gmon keys)/m.test(screen);
		if (/^ +COUNT +Δ/m.test(screen) && !clearable) tmux.send('Tab');
		else tmux.send('Escape');
		await delay(300);
	}
}
