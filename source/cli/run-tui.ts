// The live TUI: the monitor store (poller + tracker) drawn by Ink. Imported lazily by main.ts so
// `--once`, `--json` and usage errors never load Ink or React.
import {statSync} from 'node:fs';
import type {Readable} from 'node:stream';
import {exitCodes, signalExitCode, TargetError, UsageError, type ExitCode} from './exit-codes.ts';
import type {CliOptions} from './options.ts';
import {resolveConfig} from './resolve-target.ts';
import {maxFleetTargets} from '../model/fleet-ids.ts';
import type {MonitorStore} from '../watch/types.ts';

/**
 * Variables `is-in-ci` reads (research §2.6). Ink's own check no longer matters (startTui passes
 * `interactive`), but chalk still picks its colours once, at load, and with any `CI` set it picks none.
 */
function isCiVariable(name: string): boolean {
	return name === 'CI' || name === 'CONTINUOUS_INTEGRATION' || name.startsWith('CI_');
}

/** We only get here with a terminal on both ends: a person is watching. Clear the variables before the first import of Ink (and chalk). */
function clearCiVariables(): void {
	for (const name of Object.keys(process.env)) if (isCiVariable(name)) delete process.env[name];
}

function isFolder(path: string): boolean {
	try {
		return statSync(path).isDirectory();
	} catch {
		return false;
	}
}

/** `--source-root DIR` must be a folder: a typo is a usage error, not a stack view that never finds the source. */
function checkSourceRoot(options: CliOptions): void {
	if (options.sourceRoot !== undefined && !isFolder(options.sourceRoot)) throw new UsageError(`--source-root ${options.sourceRoot} is not a folder`);
}

export async function runTui(targetText: string, options: CliOptions, io: {stdin?: Readable; signal?: AbortSignal}): Promise<ExitCode> {
	const config = resolveConfig(targetText, options);
	checkSourceRoot(options);
	clearCiVariables();
	// Both loaded at once: the first frame waits for the slower.
	const ui = import('../ui/start.tsx');
	const {createMonitor} = await import('../watch/store.ts');
	const file = config.target.kind === 'file';
	const monitor = createMonitor(config, {...(io.stdin ? {stdin: io.stdin} : {}), autoStart: !file}, {groupBy: options.groupBy});
	if (file) {
		// A file is read before the live view opens: one that is not a dump (or cannot be read) is
		// an error line and an exit code, not a screen that retries forever.
		const {error, last, lastProfile} = await monitor.poller.poll();
		// With --watch a file being written may be empty for now: that one is waited for.
		if (error && !last && !lastProfile && (error.final || !config.watch)) {
			await monitor.control.stop();
			throw error.final ? new UsageError(error.message) : new TargetError(error.message);
		}
		monitor.poller.start();
	}
	return show(ui, monitor, options, io);
}

/**
 * `gmon a:6060 b:6060 c:6060`: one live view of several targets, each with its own watch engine
 * (watch/fleet.ts). Every target is checked before any is polled: a typo on one is a usage error.
 */
export async function runFleetTui(targetTexts: readonly string[], options: CliOptions, io: {signal?: AbortSignal}): Promise<ExitCode> {
	const configs = targetTexts.map(text => resolveConfig(text, options));
	if (configs.length > maxFleetTargets)
		throw new UsageError(`the live view shows at most ${maxFleetTargets} targets; serve more to Prometheus: --metrics-listen 9464`);
	checkSourceRoot(options);
	clearCiVariables();
	const ui = import('../ui/start.tsx');
	const {createFleetMonitor} = await import('../watch/fleet.ts');
	return show(ui, createFleetMonitor(configs, {}, {groupBy: options.groupBy}), options, io);
}

async function show(ui: Promise<typeof import('../ui/start.tsx')>, store: MonitorStore, options: CliOptions, io: {signal?: AbortSignal}): Promise<ExitCode> {
	const {startTui} = await ui;
	await startTui(store, {
		initialGroupBy: options.groupBy,
		hideIdle: options.hideIdle,
		noColor: !options.color,
		clipboard: options.clipboard,
		...(options.sourceRoot === undefined ? {} : {sourceRoot: options.sourceRoot}),
		...(io.signal ? {signal: io.signal} : {}),
	});
	// SIGINT/SIGTERM end the TUI like q (screen restored, store stopped), with the shell's code for the signal.
	if (io.signal?.aborted) return signalExitCode(io.signal.reason);
	return exitCodes.ok;
}
