#!/usr/bin/env -S node --max-semi-space-size=4
// --max-semi-space-size=4 (MB; V8's default here is 16): gmon keeps everything it parses, so nearly
// every young object survives and the young generation is committed memory with little to collect.
// Measured (`npm run bench -- parse`, 100k goroutines): peak RSS 2.17x the parsed result with the
// default, 1.85x with 4 MB, at the same MB/s within noise; scavenge pauses drop from ~5 ms to ~1.5 ms.
// bench/run.ts reads this line, so the benchmarks run gmon's code with the flags gmon runs with.
//
// gmon runs compiled JavaScript from dist/ (`npm run build`; `prepare` builds it on install from git and
// `prepack` before packing), with no TypeScript loader at run time.
import {readFileSync} from 'node:fs';
import module from 'node:module';

// `gmon --version` alone is answered before the command-line parser loads (meow costs ~35 ms).
const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') {
	const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
	process.stdout.write(`${pkg.version}\n`);
	process.exit(0);
}

// Node 22+ caches compiled modules on disk: later starts skip parsing gmon's and its packages' code.
module.enableCompileCache?.();
// React's development build doubles the cost of every redraw; users get the production one.
// Set before anything imports React (ESM imports are hoisted, hence the dynamic import below).
process.env['NODE_ENV'] ??= 'production';
await import('../dist/cli.js');
