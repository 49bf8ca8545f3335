// Compiles gmon for its users: cli.tsx and source/ → dist/, plain ES modules that bare Node runs with no
// loader. esbuild rather than tsc's emit: 0.15 s against 9.5 s for the same files, so `npm test` can build
// every run and the tests drive exactly what users run (tsc still type-checks, with noEmit).
// --splitting keeps each mode's code in its own chunk, loaded on demand: `--once` never loads the UI.
import {rmSync} from 'node:fs';
import {build} from 'esbuild';

const started = performance.now();
// Chunk names change with their content and esbuild never deletes the old ones: without this, dist/ (and
// so `npm pack`, which ships dist/) would keep every earlier build's copy of the bundled packages.
rmSync('dist', {recursive: true, force: true});
await build({
	entryPoints: ['cli.tsx'],
	outdir: 'dist',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node22',
	// Packages are bundled too: Node's ESM loader resolving and compiling Ink's dependency tree file by file
	// (es-toolkit alone is hundreds of modules) was ~290 ms of CPU before the first frame; bundled, ~30 ms.
	// Kept external: yoga-layout (Ink's layout engine: wasm, loaded as its package ships it) and
	// react-devtools-core (optional, only with DEV=true, not installed).
	external: ['yoga-layout', 'react-devtools-core'],
	// CommonJS packages inside the bundle (react, undici) require Node's builtins: give each chunk a real require.
	banner: {js: "import {createRequire as __gmonCreateRequire} from 'node:module';\nconst require = __gmonCreateRequire(import.meta.url);"},
	jsx: 'automatic',
	legalComments: 'none',
	logLevel: 'warning',
});
if (!process.argv.includes('--quiet')) console.log(`built dist/ in ${Math.round(performance.now() - started)} ms`);
