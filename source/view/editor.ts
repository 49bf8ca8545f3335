// `e`: the editor's argv for a file and line. Pure. The command comes from $VISUAL or $EDITOR only
// (split into words here, quotes honoured, never handed to a shell); the file is an absolute path
// gmon found on this machine, so nothing from a dump is ever run or read as an option.

/** `$VISUAL`, else `$EDITOR`, split into words; undefined when neither names a command. */
export function editorCommand(env: Readonly<Record<string, string | undefined>>): string[] | undefined {
	for (const name of ['VISUAL', 'EDITOR']) {
		const words = splitWords(env[name] ?? '');
		if (words.length > 0) return words;
	}
	return undefined;
}

/** Words as a shell would split them without expanding anything: spaces separate, '…' and "…" group, \ escapes. */
export function splitWords(text: string): string[] {
	const words: string[] = [];
	let word = '';
	let inWord = false;
	let quote: '"' | "'" | undefined;
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		if (quote) {
			if (c === quote) quote = undefined;
			else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
			else word += c;
		} else if (c === '"' || c === "'") {
			quote = c;
			inWord = true;
		} else if (c === '\\' && i + 1 < text.length) {
			word += text[++i];
			inWord = true;
		} else if (/\s/.test(c)) {
			if (inWord) words.push(word);
			word = '';
			inWord = false;
		} else {
			word += c;
			inWord = true;
		}
	}
	if (inWord) words.push(word);
	return words;
}

/** Editors that take `FILE:LINE` after a flag or alone; every other one gets `+LINE FILE` (vi, vim, nvim, nano, emacs, micro, …). */
const gotoFlag = new Set(['code', 'code-insiders', 'codium', 'vscodium', 'cursor', 'windsurf']);
const fileColonLine = new Set(['subl', 'sublime_text', 'zed', 'hx', 'helix']);

/** The program's name without its folder or `.exe`. */
function programName(command: string): string {
	return (command.split(/[\\/]/).at(-1) ?? command).replace(/\.exe$/i, '').toLowerCase();
}

/** The full argv to open `path` at `line` with the editor `command` (its own words first). */
export function editorArgv(command: readonly string[], path: string, line: number): string[] {
	const name = programName(command[0] ?? '');
	const at = Math.max(1, Math.floor(line) || 1);
	if (gotoFlag.has(name)) return [...command, '-g', `${path}:${at}`];
	if (fileColonLine.has(name)) return [...command, `${path}:${at}`];
	return [...command, `+${at}`, path];
}
