// The live TUI: the monitor store (poller + tracker) drawn by Ink. Imported lazily by main.ts so
// `--once`, `--json` and usage errors never load Ink or React.
import {statSync} from 'node:fs';
import type {Readable} from 'node:stream';
import {exitCodes, signalExitCode, TargetError, UsageError, type ExitCode} from './exit-codes.ts';
import type {CliOptions} from './options.ts';
import {resolveConfig} from './resolve-target.ts';

/**
 * Variables `is-in-ci` reads (research §2.6). Ink's own check no longer matters (startTui passes
 * `interactive`), but chalk still picks its colours once, at load, and with any `CI` set it picks none.
 */
function isCiVariable(name: string): boolean {
	return name === 'CI' || name === 'CONTINUOUS_INTEGRATION' || name.startsWith('CI_');
}

function isFolder(path: string): boolean {
	try {
		return statSync(path).isDirectory();
	} catch {
		return false;
	}
}

export async function runTui(targetText: string, options: CliOptions, io: {stdin?: Readable; signal?: AbortSignal}): Promise<ExitCode> {
	const config = resolveConfig(targetText, options);
	if (options.sourceRoot !== undefined && !isFolder(options.sourceRoot)) throw new UsageError(`--source-root ${options.sourceRoot} is not a folder`);
	// We only get here with a terminal on both ends: a person is watching. Clear the variables
	// before the first import of Ink (and chalk).
	for (const name of Object.keys(process.env)) if (isCiVariable(name)) delete process.env[name];
	const [{createMonitor}, {startTui}] = await Promise.all([import('../watch/store.ts'), import('../ui/start.tsx')]);
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
	await startTui(monitor, {
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
