#!/usr/bin/env -S node --max-semi-space-size=4
// --max-semi-space-size=4 (MB; V8's default here is 16): gmon keeps everything it parses, so nearly
// every young object survives and the young generation is committed memory with little to collect.
// Measured (`npm run bench -- parse`, 100k goroutines): peak RSS 2.17x the parsed result with the
// default, 1.85x with 4 MB, at the same MB/s within noise; scavenge pauses drop from ~5 ms to ~1.5 ms.
// bench/run.ts reads this line, so the benchmarks run gmon's code with the flags gmon runs with.
// gmon ships its TypeScript sources and runs them through tsx's loader, so there is
// no build step between a checkout and a working `gmon` (see README: "Run it").
import {register} from 'tsx/esm/api';

// React's development build doubles the cost of every redraw; users get the production one.
// Set before anything imports React (ESM imports are hoisted, hence the dynamic import below).
process.env['NODE_ENV'] ??= 'production';
register();
await import('../cli.tsx');
