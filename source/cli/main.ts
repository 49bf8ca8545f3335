// What gmon does with a parsed command line: the diff, a printed report, or the live TUI.
// Returns the exit code; the caller (cli.tsx) owns process.exit.
// The runners are imported on demand: they pull in undici (~200 ms), which a usage error never needs.
import {readFileSync} from 'node:fs';
import type {Readable, Writable} from 'node:stream';
import {InterruptedError, TargetError, UsageError, type ExitCode} from './exit-codes.ts';
import {buildCliOptions, chooseOutput, parseTargetsFile, type RawFlags} from './options.ts';
import {sayError} from './say.ts';

export interface MainIo {
	stdout: Writable & {isTTY?: boolean};
	stderr: Writable;
	stdin: Readable & {isTTY?: boolean};
	env: NodeJS.ProcessEnv;
	signal?: AbortSignal;
}

export async function main(input: readonly string[], flags: RawFlags, io: MainIo): Promise<ExitCode> {
	try {
		const options = buildCliOptions(flags.targets === undefined ? input : [...input, ...readTargetsFile(flags.targets)], flags, io.env);
		if (options.targets.includes('-') && io.stdin.isTTY === true) {
			throw new UsageError("- reads a dump from stdin, but stdin is the terminal: pipe one in (curl -s 'HOST:PORT/debug/pprof/goroutine?debug=2' | gmon -)");
		}

		if (options.command === 'diff') {
			const {runDiff} = await import('./run-diff.ts');
			return await runDiff(options, io);
		}

		const output = chooseOutput(options, {stdinIsTty: io.stdin.isTTY === true, stdoutIsTty: io.stdout.isTTY === true});
		const demo = options.demo ? await startDemo() : undefined;
		try {
			const targets = demo ? [demo.url] : options.targets;
			if (output === 'metrics') {
				const {runMetrics} = await import('./run-metrics.ts');
				return await runMetrics(targets, options, io);
			}
			if (targets.length > 1 && output === 'tui') {
				const {runFleetTui} = await import('./run-tui.ts');
				return await runFleetTui(targets, options, io.signal ? {signal: io.signal} : {});
			}
			if (targets.length > 1) {
				const {runFleetReport} = await import('./run-fleet.ts');
				return await runFleetReport(targets, options, io);
			}
			const target = targets[0] ?? '';
			if (output === 'tui') {
				const {runTui} = await import('./run-tui.ts');
				return await runTui(target, options, io.signal ? {signal: io.signal} : {});
			}

			const {runReport} = await import('./run-report.ts');
			return await runReport(target, options, io);
		} finally {
			await demo?.close();
		}
	} catch (error) {
		if (error instanceof UsageError || error instanceof TargetError || error instanceof InterruptedError) {
			sayError(io.stderr, error.message);
			return error.exitCode;
		}

		throw error;
	}
}

/** --targets FILE: its lines are TARGETs after those on the command line. */
function readTargetsFile(path: string): string[] {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		throw new UsageError(
			`--targets ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error)}`,
		);
	}
	const targets = parseTargetsFile(text);
	if (targets.length === 0) throw new UsageError(`--targets ${path} names no target (one a line; # starts a comment)`);
	return targets;
}

/** `gmon --demo`: the embedded simulated service, on a loopback port, for as long as gmon runs. */
async function startDemo(): Promise<{url: string; close(): Promise<void>}> {
	const {startDemoServer} = await import('../fetch/demo/server.ts');
	return startDemoServer();
}
