// --baseline FILE: a goroutine dump saved before the workload. It is read once, as a file TARGET
// is (the same --max-bytes cap, --poll-timeout deadline and wording of faults), and only its
// goroutine ids are kept: the model calls what appeared since and is still parked a likely leak.
import type {Config} from '../config.ts';
import {FileSource} from '../fetch/file-source.ts';
import {InterruptedError, TargetError} from './exit-codes.ts';

export async function readBaseline(path: string, config: Pick<Config, 'maxBytes' | 'pollTimeoutMs'>, signal?: AbortSignal): Promise<ReadonlySet<number>> {
	const source = new FileSource(path, path, {maxBytes: config.maxBytes, deadlineMs: config.pollTimeoutMs});
	try {
		const outcome = await source.fetch({profile: 'goroutine', debug: 2}, signal);
		const dump = outcome === 'unchanged' ? undefined : outcome.result.dump;
		if (dump?.kind !== 'traceback' || dump.goroutines.length === 0) {
			throw new TargetError(`--baseline ${path} is not a goroutine dump with goroutine ids (save ?debug=2 before the workload)`);
		}
		return new Set(dump.goroutines.map(g => g.id));
	} catch (error) {
		if (signal?.aborted) throw new InterruptedError(signal.reason);
		if (error instanceof TargetError) throw error;
		throw new TargetError(`cannot read --baseline: ${error instanceof Error ? error.message : String(error)}`);
	} finally {
		await source.close();
	}
}
