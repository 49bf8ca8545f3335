// gmon --once against a real Go service (examples/leaky) while it leaks: several polls through
// the model show the forgotten sender as a suspect, the leak gate fails the run, and the fixed
// endpoint passes it.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import schema from '../source/report/schema.json' with {type: 'json'};
import {leakSites, startLeaky, type LeakyProcess} from './helpers/go-example.ts';
import {validate} from './helpers/json-schema.ts';
import {runCli, type CliResult} from './helpers/run-cli.ts';
import {skipUnless} from './helpers/tools.ts';

/**
 * Calls `path` on the service from two clients, each every 50 ms, while gmon runs — as a load test
 * (or a user with curl) would — so every poll interval sees new calls even on a busy machine.
 */
async function whileHitting(service: LeakyProcess, path: string, run: () => Promise<CliResult>): Promise<{result: CliResult; calls: number}> {
	let calls = 0;
	let done = false;
	const client = async () => {
		while (!done) {
			const response = await fetch(`${service.url}${path}`).catch(() => undefined);
			await response?.arrayBuffer();
			calls++;
			await new Promise(resolve => setTimeout(resolve, 50));
		}
	};
	const load = Promise.all([client(), client()]);
	try {
		return {result: await run(), calls};
	} finally {
		done = true;
		await load;
	}
}

const polls = ['--once', '--polls', '3', '--interval', '300ms'];

describe('gmon --once --polls against a leaking Go service', {skip: skipUnless('go')}, () => {
	const site = leakSites().find(leak => leak.name === 'forgotten-sender')!;

	test('shows the forgotten sender as the top suspect and fails the leak gate with exit 1', async t => {
		const service = await startLeaky();
		t.after(() => service.stop());
		const target = `127.0.0.1:${service.port}`;

		const {result: text} = await whileHitting(service, site.path, () => runCli([...polls, '--fail-on-suspects', target]));
		assert.equal(text.code, 1, text.stderr);
		assert.match(text.stdout, new RegExp(`^gmon report: ${target} · 3 polls`, 'm'));
		assert.match(text.stdout, new RegExp(`^ {2}1\\. likely leak: \\d+ goroutines in chan send at ${site.file}:${site.line}`, 'm'));
		assert.match(
			text.stdout,
			new RegExp(
				`▸ \\d+ × chan send in ${site.func.replaceAll('.', '\\.')}\\n {4}${site.func.replaceAll('.', '\\.')}\\((\\.\\.\\.)?\\) ◀\\n {8}\\S+/examples/leaky/${site.file}:${site.line}`,
			),
		);
		assert.match(
			text.stderr,
			/^gmon: leak gate failed: \d+ likely-or-above suspect goroutines \(threshold 1\); top: likely leak: \d+ goroutines in chan send at leaks\.go/m,
		);

		const {result: json} = await whileHitting(service, site.path, () => runCli([...polls, '--json', '--fail-on-suspects=1000', target]));
		// Above the threshold: the gate passes, the JSON still names the suspect.
		assert.equal(json.code, 0, json.stderr);
		const document = JSON.parse(json.stdout) as Record<string, any>;
		assert.deepEqual(validate(schema, document), []);
		assert.equal(document['poll'].polls, 3);
		assert.equal(document['target'], target);
		const top = document['suspects'][0];
		assert.equal(top.where.function, site.func);
		assert.equal(top.where.line, site.line);
		assert.equal(top.state, 'chan send');
		assert.equal(top.proven, false);
		assert.ok(top.count >= 2, `suspect count ${top.count}`);
		const group = (document['groups'] as Array<Record<string, any>>).find(candidate => candidate['key'] === top.group);
		assert.ok(group?.['suspect'] && group['growth'] > 0, 'the suspect group grew while gmon watched');
		const stuck = (document['goroutines'] as Array<Record<string, any>>).filter(g => g['where']?.function === site.func && g['stuck']);
		assert.ok(stuck.length >= 2, `stuck senders: ${stuck.length}`);
	});

	test('the fixed endpoint leaks nothing: no suspects, and the gate exits 0', async t => {
		const service = await startLeaky();
		t.after(() => service.stop());
		const {result, calls} = await whileHitting(service, site.fixedPath, () => runCli([...polls, '--json', '--fail-on-suspects', `127.0.0.1:${service.port}`]));
		assert.ok(calls >= 5, `the fixed endpoint was called ${calls} times`);
		assert.equal(result.code, 0, result.stderr);
		const document = JSON.parse(result.stdout) as Record<string, any>;
		assert.deepEqual(validate(schema, document), []);
		assert.deepEqual(document['suspects'], []);
		assert.equal((document['goroutines'] as Array<Record<string, any>>).filter(g => g['where']?.function === site.func).length, 0);
	});

	test('gmon diff between a saved dump and the live service shows the leaked group that appeared', async t => {
		const service = await startLeaky({background: false});
		const dir = mkdtempSync(join(tmpdir(), 'gmon-diff-live-'));
		t.after(async () => {
			await service.stop();
			rmSync(dir, {recursive: true, force: true});
		});
		const before = join(dir, 'before.txt');
		writeFileSync(before, await (await fetch(`${service.url}/debug/pprof/goroutine?debug=2`)).text());
		for (let call = 0; call < 3; call++) await (await fetch(`${service.url}${site.path}`)).arrayBuffer();

		const result = await runCli(['diff', '--json', before, `127.0.0.1:${service.port}`]);
		assert.equal(result.code, 0, result.stderr);
		const document = JSON.parse(result.stdout) as Record<string, any>;
		assert.deepEqual(validate(schema, document), []);
		const appeared = (document['changes'] as Array<Record<string, any>>).filter(change => change['change'] === 'appeared');
		const leak = appeared.find(change => change['where']?.function === site.func);
		assert.ok(leak, JSON.stringify(appeared.map(change => change['where']?.function)));
		assert.equal(leak['after'], 3);
		assert.equal(leak['state'], 'chan send');
		assert.equal(document['after'].name, `127.0.0.1:${service.port}`);
	});

	test('a service that goes away is an unreachable target: exit 3 with one line', async () => {
		const service = await startLeaky({background: false});
		const target = `127.0.0.1:${service.port}`;
		await service.stop();
		const result = await runCli(['--once', target]);
		assert.equal(result.code, 3);
		assert.equal(result.stdout, '');
		assert.match(result.stderr, new RegExp(`^gmon: nothing listening on ${target.replaceAll('.', '\\.')} \\(connection refused\\).*\\n$`));
	});
});
