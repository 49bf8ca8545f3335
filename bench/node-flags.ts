// The node flags gmon runs with: those on source/bin.js's `#!/usr/bin/env -S node …` line (the one
// place they are written). The benches run with them, so their figures are gmon's.
import {readFileSync} from 'node:fs';

export function gmonNodeFlags(): string[] {
	const shebang = readFileSync(new URL('../source/bin.js', import.meta.url), 'utf8').split('\n', 1)[0]!;
	const match = /^#!\/usr\/bin\/env -S node((?: --[\w-]+(?:=\S+)?)*)$/.exec(shebang);
	if (!match) throw new Error(`source/bin.js: unexpected first line ${shebang}`);
	return match[1]!
		.trim()
		.split(' ')
		.filter(flag => flag !== '');
}
