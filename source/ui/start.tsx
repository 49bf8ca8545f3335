// Runs the TUI in the terminal's alternate screen and always gives the screen back: on q and
// Ctrl-C (the App exits), on SIGTERM/SIGHUP/SIGINT and on a crash (our handlers, then
// process.exit, because once we listen for a signal nobody else exits for us).
import {render} from 'ink';
import type {GroupBy} from '../model/types.ts';
import type {MonitorStore} from '../watch/types.ts';
import type {ListKind} from '../view/types.ts';
import {App} from './app.tsx';

export interface TuiOptions {
	initialGroupBy?: GroupBy;
	hideIdle?: boolean;
	noColor?: boolean;
	initialView?: ListKind;
	/** Default process.stdout / process.stdin. */
	stdout?: NodeJS.WriteStream;
	stdin?: NodeJS.ReadStream;
	/** Stop the store when the user quits (default true). */
	stopStoreOnExit?: boolean;
}

// Ink 6.8 has no alternate-screen option (added in 7.0): switch by hand, and hide the cursor.
const enterAlt = '\u001B[?1049h\u001B[H\u001B[?25l';
const leaveAlt = '\u001B[?25h\u001B[?1049l';

const signals = [
	['SIGINT', 130],
	['SIGTERM', 143],
	['SIGHUP', 129],
] as const;

/** Resolves when the user quits (q / Ctrl-C). Signals and crashes restore the screen and exit the process. */
export async function startTui(store: MonitorStore, options: TuiOptions = {}): Promise<void> {
	const stdout = options.stdout ?? process.stdout;
	const stdin = options.stdin ?? process.stdin;
	let inAlt = false;
	const restore = () => {
		if (!inAlt) return;
		inAlt = false;
		stdout.write(leaveAlt);
	};
	if (stdout.isTTY) {
		stdout.write(enterAlt);
		inAlt = true;
	}

	const app = render(
		<App
			store={store}
			{...(options.initialGroupBy ? {initialGroupBy: options.initialGroupBy} : {})}
			{...(options.hideIdle === undefined ? {} : {hideIdle: options.hideIdle})}
			noColor={options.noColor ?? (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '')}
			{...(options.initialView ? {initialView: options.initialView} : {})}
		/>,
		{
			stdout,
			stdin,
			// console output would tear the full-screen frame.
			patchConsole: false,
			// Ghost and duplicated lines in 6.8 (ink#910): keep full-frame rewrites.
			incrementalRendering: false,
			// The App handles Ctrl-C itself so the screen is restored before exit.
			exitOnCtrlC: false,
		},
	);

	const onSignal = (code: number) => () => {
		try {
			app.unmount();
		} catch {}
		restore();
		void Promise.resolve(store.control.stop())
			.catch(() => {})
			.finally(() => process.exit(code));
		// Don't hang on a stuck stop().
		setTimeout(() => process.exit(code), 500).unref();
	};
	const onCrash = (error: unknown) => {
		try {
			app.unmount();
		} catch {}
		restore();
		process.stderr.write(`gmon crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exit(1);
	};
	const handlers = signals.map(([signal, code]) => [signal, onSignal(code)] as const);
	for (const [signal, handler] of handlers) process.on(signal, handler);
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);
	process.on('exit', restore);

	try {
		await app.waitUntilExit();
	} finally {
		restore();
		for (const [signal, handler] of handlers) process.off(signal, handler);
		process.off('uncaughtException', onCrash);
		process.off('unhandledRejection', onCrash);
		process.off('exit', restore);
		// A poll stuck in a slow target must not hold the user's shell: give stop() a second.
		if (options.stopStoreOnExit ?? true) await Promise.race([store.control.stop(), new Promise(resolve => setTimeout(resolve, 1000).unref())]);
	}
}
