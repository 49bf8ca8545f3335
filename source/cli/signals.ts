// SIGINT and SIGTERM end a run through an AbortSignal, so each runner ends the way it ends on its
// own: the TUI leaves the alternate screen and stops the store, a --watch run just ends, a one-shot
// report says it was cut short. The listeners stay (not `once`): Ink's signal-exit hook kills the
// process at once when it finds itself the only listener left, before the TUI could stop cleanly.
// A second signal, or a run that has not wound down a second after the first, ends at once: a signal
// always stops gmon, whatever it was waiting on.
import {signalExitCode} from './exit-codes.ts';

export function abortOnSignals(): AbortSignal {
	const stop = new AbortController();
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.on(signal, () => {
			if (stop.signal.aborted) process.exit(signalExitCode(signal));
			stop.abort(signal);
			setTimeout(() => process.exit(signalExitCode(signal)), 1000).unref();
		});
	}
	return stop.signal;
}
