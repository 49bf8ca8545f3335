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

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// An older Node fails somewhere deep (undici 8 needs 22.19, Ink 8 needs 22): say so in one line instead.
// The version lives in package.json's engines (`>=MAJOR.MINOR`).
const [, needMajor, needMinor] = /^>=(\d+)\.(\d+)/.exec(pkg.engines.node).map(Number);
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < needMajor || (major === needMajor && minor < needMinor)) {
	process.stderr.write(`gmon: needs Node.js ${needMajor}.${needMinor} or newer, and this is ${process.version} (see README: "Run it")\n`);
	process.exit(2);
}

// `gmon --version` alone is answered before the command-line parser loads (meow costs ~35 ms).
const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') {
	process.stdout.write(`${pkg.version}\n`);
	process.exit(0);
}

// V8's compiled code for every module after this line, kept on disk (os.tmpdir()/node-compile-cache;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off). Measured on Node 24, CPU per run (20 runs × 3):
// `--version` ~165 → ~158 ms, `--once` on a fixture ~359 → ~320 ms.
module.enableCompileCache();
// React's development build doubles the cost of every redraw; users get the production one.
// Set before anything imports React (ESM imports are hoisted, hence the dynamic import below).
process.env['NODE_ENV'] ??= 'production';
await import('../dist/cli.js');
