// Config → the DumpSource that reads its target.
import type {Readable} from 'node:stream';
import type {Config} from '../config.ts';
import {FileSource, type FileSourceOptions, StdinSource} from './file-source.ts';
import {HttpSource} from './http-source.ts';
import type {DumpSource} from './source.ts';

export interface SourceDeps {
	/** For `-`; default process.stdin. */
	stdin?: Readable;
	now?: () => number;
	env?: NodeJS.ProcessEnv;
}

export function createSource(config: Config, deps: SourceDeps = {}): DumpSource {
	const {target} = config;
	switch (target.kind) {
		case 'http':
		case 'unix': {
			const options: {now?: () => number; env?: NodeJS.ProcessEnv} = {};
			if (deps.now) options.now = deps.now;
			if (deps.env) options.env = deps.env;
			return new HttpSource(config, options);
		}
		case 'file': {
			const options: FileSourceOptions = {watch: config.watch, maxBytes: config.maxBytes, deadlineMs: config.pollTimeoutMs};
			if (deps.now) options.now = deps.now;
			return new FileSource(target.path, target.displayName, options);
		}
		case 'stdin': {
			const options: FileSourceOptions = {maxBytes: config.maxBytes, deadlineMs: config.pollTimeoutMs};
			if (deps.now) options.now = deps.now;
			return new StdinSource(deps.stdin ?? process.stdin, options);
		}
	}
}
