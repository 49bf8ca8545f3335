// The live TUI: the monitor store (poller + tracker) drawn by Ink. Imported lazily by main.ts so
// `--once`, `--json` and usage errors never load Ink or React.
import type {Readable} from 'node:stream';
import {exitCodes, type ExitCode} from './exit-codes.ts';
import type {CliOptions} from './options.ts';
import {resolveConfig} from './resolve-target.ts';

/** Variables `is-in-ci` reads (research §2.6): with any of them set, Ink 6.8 draws nothing until exit. */
function isCiVariable(name: string): boolean {
	return name === 'CI' || name === 'CONTINUOUS_INTEGRATION' || name.startsWith('CI_');
}

export async function runTui(targetText: string, options: CliOptions, io: {stdin?: Readable}): Promise<ExitCode> {
	const config = resolveConfig(targetText, options);
	// We only get here with a terminal on both ends: a person is watching. Ink decides "CI" once,
	// when it loads, so clear the variables before the first import of it.
	for (const name of Object.keys(process.env)) if (isCiVariable(name)) delete process.env[name];
	const [{createMonitor}, {startTui}] = await Promise.all([import('../watch/store.ts'), import('../ui/start.tsx')]);
	const monitor = createMonitor(config, io.stdin ? {stdin: io.stdin} : {}, {groupBy: options.groupBy});
	await startTui(monitor, {initialGroupBy: options.groupBy, hideIdle: options.hideIdle, noColor: !options.color});
	return exitCodes.ok;
}
