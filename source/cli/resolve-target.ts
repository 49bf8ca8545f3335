// TARGET text → a DumpSource, with config.ts deciding what the text means. Its errors split by
// the documented exit codes: a malformed address or flag is a usage error (2); a path that is
// not there, or a socket that is missing, is an unreadable target (3).
import type {Readable} from 'node:stream';
import {buildConfig, ConfigError, parseTarget, type Config} from '../config.ts';
import {createSource} from '../fetch/create-source.ts';
import type {DumpSource} from '../fetch/source.ts';
import {TargetError, UsageError} from './exit-codes.ts';
import type {CliOptions} from './options.ts';

/** Address forms (port, :port, host:port, URL): a ConfigError about one of these is a usage mistake. */
const addressLike = (text: string) => /^https?:\/\//i.test(text) || /^:?\d+$/.test(text) || /^[^/\s]*:\d+(?:\/|$)/.test(text);

export function resolveConfig(targetText: string, options: CliOptions): Config {
	try {
		// config.ts's `watch` means "re-read a file"; a live target is polled anyway, and for the
		// report --watch means "keep polling" (NDJSON with --json), so it applies to files only.
		const watchFile = options.watch && parseTarget(targetText).kind === 'file';
		return buildConfig(targetText, {...options.config, watch: watchFile});
	} catch (error) {
		if (!(error instanceof ConfigError)) throw error;
		if (addressLike(targetText.trim())) throw new UsageError(error.message);
		throw new TargetError(error.message);
	}
}

export function openSource(config: Config, stdin?: Readable): DumpSource {
	return createSource(config, stdin ? {stdin} : {});
}
