// Runs the TUI in the terminal's alternate screen (Ink's `alternateScreen`) and always gives the
// screen back. Ink leaves it on unmount, which happens on q and Ctrl-C (the App exits), when the
// caller's `signal` aborts (the CLI turns SIGINT/SIGTERM into that, so a signal ends gmon the same
// way as q: store stopped, exit code from the CLI), and on any other signal or process exit (Ink's
// signal-exit hook, e.g. SIGHUP). A crash needs our handler: Node prints an uncaught error before
// 'exit', which would land on the alternate screen and vanish with it.
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
	/** --clipboard: `y` also copies to the terminal clipboard (OSC 52). */
	clipboard?: boolean;
	/** --source-root: where the build's sources are on this machine. */
	sourceRoot?: string;
	/** Default process.stdout / process.stdin. */
	stdout?: NodeJS.WriteStream;
	stdin?: NodeJS.ReadStream;
	/** Stop the store when the user quits (default true). */
	stopStoreOnExit?: boolean;
	/** Ends the TUI as q does (the CLI aborts it on SIGINT/SIGTERM). */
	signal?: AbortSignal;
}

/** Resolves when the user quits (q / Ctrl-C) or `signal` aborts. A crash restores the screen, prints the error and exits 1. */
export async function startTui(store: MonitorStore, options: TuiOptions = {}): Promise<void> {
	if (options.signal?.aborted) return;
	const stdout = options.stdout ?? process.stdout;
	const app = render(
		<App
			store={store}
			{...(options.initialGroupBy ? {initialGroupBy: options.initialGroupBy} : {})}
			{...(options.hideIdle === undefined ? {} : {hideIdle: options.hideIdle})}
			noColor={options.noColor ?? (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '')}
			{...(options.initialView ? {initialView: options.initialView} : {})}
			clipboard={options.clipboard ?? false}
			{...(options.sourceRoot === undefined ? {} : {sourceRoot: options.sourceRoot})}
		/>,
		{
			stdout,
			stdin: options.stdin ?? process.stdin,
			// A person is watching whenever stdout is a terminal, whatever CI variables say (Ink's
			// default would draw nothing until exit under CI).
			interactive: Boolean(stdout.isTTY),
			// Only on a TTY; hides the cursor until unmount.
			alternateScreen: true,
			// console output would tear the full-screen frame.
			patchConsole: false,
			// The App handles Ctrl-C itself, as a quit.
			exitOnCtrlC: false,
		},
	);

	const onAbort = () => app.unmount();
	options.signal?.addEventListener('abort', onAbort, {once: true});
	const onCrash = (error: unknown) => {
		try {
			app.unmount();
		} catch {}
		process.stderr.write(`gmon crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exit(1);
	};
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);

	try {
		await app.waitUntilExit();
	} finally {
		options.signal?.removeEventListener('abort', onAbort);
		process.off('uncaughtException', onCrash);
		process.off('unhandledRejection', onCrash);
		// A poll stuck in a slow target must not hold the user's shell: give stop() a second.
		if (options.stopStoreOnExit ?? true) await Promise.race([store.control.stop(), new Promise(resolve => setTimeout(resolve, 1000).unref())]);
	}
}
