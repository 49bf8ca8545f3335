// `gmon diff BEFORE AFTER`: read each side once (a file, stdin, or a live target) and print the
// stack-by-stack difference as text or JSON.
import {buildDiffJson, diffSnapshots, formatDiffText} from '../report/diff.ts';
import {schemaVersion} from '../report/json.ts';
import {jsonPieces, writePieces} from '../report/json-stream.ts';
import {terminalSafe} from '../text/sanitize.ts';
import type {Dump} from '../dump/types.ts';
import {PollFault} from '../fetch/faults.ts';
import {exitCodes, InterruptedError, TargetError, type ExitCode} from './exit-codes.ts';
import type {CliOptions} from './options.ts';
import {createReportModel} from './report-model.ts';
import {openSource, resolveConfig} from './resolve-target.ts';
import type {ReportIo} from './run-report.ts';

export async function runDiff(options: CliOptions, io: ReportIo): Promise<ExitCode> {
	const [beforeText = '', afterText = ''] = options.targets;
	// Resolve both before reading either, so a typo in AFTER fails fast.
	const configs = [resolveConfig(beforeText, options), resolveConfig(afterText, options)] as const;
	const [before, after] = [await readOnce(configs[0], options, io), await readOnce(configs[1], options, io)];
	if (io.signal?.aborted) throw new InterruptedError(io.signal.reason);
	// Each side through its own model: the groups (and their keys) are exactly the TUI's.
	const snapshot = (dump: Dump, at: number) => createReportModel({groupBy: options.groupBy}).update(dump, {at});
	const diff = diffSnapshots(snapshot(before.dump, before.at), snapshot(after.dump, after.at), {before: before.name, after: after.name});
	if (options.json) await writePieces(io.stdout, jsonPieces({...buildDiffJson(diff, schemaVersion)}, true), '\n');
	else io.stdout.write(terminalSafe(formatDiffText(diff, {color: options.color && io.stdout.isTTY === true})));
	return exitCodes.ok;
}

async function readOnce(config: ReturnType<typeof resolveConfig>, _options: CliOptions, io: ReportIo): Promise<{dump: Dump; name: string; at: number}> {
	const source = openSource(config, io.stdin);
	try {
		const outcome = await source.fetch({profile: 'goroutine', debug: 2}, io.signal);
		if (outcome === 'unchanged') throw new TargetError(`${source.displayName}: nothing to read`);
		return {dump: outcome.result.dump, name: source.displayName, at: outcome.result.at};
	} catch (error) {
		if (error instanceof PollFault) throw new TargetError(error.message);
		throw error;
	} finally {
		await source.close();
	}
}
