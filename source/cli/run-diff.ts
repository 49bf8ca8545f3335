// `gmon diff BEFORE AFTER`: read each side once (a file, stdin, or a live target) through the watch
// engine, so its groups (and their keys) are exactly the TUI's and the report's, and print the
// stack-by-stack difference as text or JSON.
import type {ModelSnapshot} from '../model/types.ts';
import {buildDiffJson, diffSnapshots, formatDiffText} from '../report/diff.ts';
import {schemaVersion} from '../report/json.ts';
import {jsonPieces, writePieces} from '../report/json-stream.ts';
import {terminalSafe} from '../text/sanitize.ts';
import {FOR_REPORTS, configWatchOptions, createWatch} from '../watch/engine.ts';
import {exitCodes, InterruptedError, TargetError, UsageError, type ExitCode} from './exit-codes.ts';
import type {CliOptions} from './options.ts';
import {openSource, resolveConfig} from './resolve-target.ts';
import type {ReportIo} from './run-report.ts';

export async function runDiff(options: CliOptions, io: ReportIo): Promise<ExitCode> {
	const [beforeText = '', afterText = ''] = options.targets;
	// Resolve both before reading either, so a typo in AFTER fails fast.
	const configs = [resolveConfig(beforeText, options), resolveConfig(afterText, options)] as const;
	const before = await readOnce(configs[0], options, io);
	const after = await readOnce(configs[1], options, io);
	if (io.signal?.aborted) throw new InterruptedError(io.signal.reason);
	const diff = diffSnapshots(before.snapshot, after.snapshot, {before: before.name, after: after.name});
	if (options.json) await writePieces(io.stdout, jsonPieces({...buildDiffJson(diff, schemaVersion)}, true), '\n');
	else io.stdout.write(terminalSafe(formatDiffText(diff, {color: options.color && io.stdout.isTTY === true})));
	return exitCodes.ok;
}

/** One poll of one side through its own engine. */
async function readOnce(config: ReturnType<typeof resolveConfig>, options: CliOptions, io: ReportIo): Promise<{snapshot: ModelSnapshot; name: string}> {
	const engine = createWatch(openSource(config, io.stdin), {...configWatchOptions(config), ...FOR_REPORTS, groupBy: options.groupBy, autoStart: false});
	const stop = () => void engine.stop();
	io.signal?.addEventListener('abort', stop, {once: true});
	try {
		await engine.poller.poll();
		const {model, poller} = engine.getState();
		if (io.signal?.aborted) throw new InterruptedError(io.signal.reason);
		// A file that is not a dump is a wrong argument (exit 2); a side that could not be read, exit 3.
		if (!model && poller.error?.final) throw new UsageError(poller.error.message);
		if (!model) throw new TargetError(poller.error?.message ?? `${poller.target}: nothing to read`);
		return {snapshot: model, name: poller.target};
	} finally {
		io.signal?.removeEventListener('abort', stop);
		await engine.stop();
	}
}
