// gmon's documented exit codes (README, `gmon --help`). Scripts and CI jobs branch on these,
// so they never change meaning.
export const exitCodes = {
	/** The report was printed; no leak gate tripped. */
	ok: 0,
	/** `--fail-on-suspects`: at least N goroutines are suspects, or Go proved one leaked. */
	suspects: 1,
	/** Bad flags, bad values, or nothing to do. */
	usage: 2,
	/** The target could not be reached or read, or what came back is not a goroutine dump. */
	target: 3,
	/** Ctrl-C (128 + SIGINT) before a one-shot report was complete: no verdict, so never "ok". */
	interrupted: 130,
	/** SIGTERM (128 + 15) before a one-shot report was complete. */
	terminated: 143,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** A mistake on the command line: one line on stderr, exit 2. */
export class UsageError extends Error {
	override readonly name = 'UsageError';
	readonly exitCode = exitCodes.usage;
}

/** The exit code for a run ended by SIGINT or SIGTERM (the AbortSignal's reason), as a shell gives it. */
export function signalExitCode(signal: unknown): ExitCode {
	return signal === 'SIGTERM' ? exitCodes.terminated : exitCodes.interrupted;
}

/** A one-shot run stopped by a signal before it could give its verdict (a CI gate must not pass). */
export class InterruptedError extends Error {
	override readonly name = 'InterruptedError';
	readonly exitCode: ExitCode;
	constructor(signal: unknown) {
		super(`interrupted by ${signal === 'SIGTERM' ? 'SIGTERM' : 'SIGINT'} before the report was complete`);
		this.exitCode = signalExitCode(signal);
	}
}

/** The target is unreachable, unreadable or not a dump: one line on stderr, exit 3. */
export class TargetError extends Error {
	override readonly name = 'TargetError';
	readonly exitCode = exitCodes.target;
}
