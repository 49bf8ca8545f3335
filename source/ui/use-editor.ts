// `e`: the blocking frame's file in $VISUAL/$EDITOR at its line. Ink hands the terminal over
// (alternate screen left, raw mode off, input paused), the editor runs with the terminal as its
// stdio, and Ink takes the terminal back and redraws in full. The argv is spawned directly: the
// command comes from the environment only, the file is a path found here (never dump text to a shell).
import {spawn} from 'node:child_process';
import {basename} from 'node:path';
import {useApp} from 'ink';
import {useCallback} from 'react';
import type {Frame} from '../dump/types.ts';
import {visible} from '../text/sanitize.ts';
import {editorArgv, editorCommand} from '../view/editor.ts';
import type {SourceFiles} from '../watch/source-files.ts';

/** Runs argv with the terminal; resolves with what to tell the user. */
function runEditor(argv: readonly string[]): Promise<string | undefined> {
	return new Promise(resolve => {
		const child = spawn(argv[0]!, argv.slice(1), {stdio: 'inherit'});
		child.once('error', error => resolve(`could not start ${visible(argv[0]!)}: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
		child.once('exit', (code, signal) => resolve(code === 0 ? undefined : `${visible(argv[0]!)} exited with ${signal ?? `code ${code}`}`));
	});
}

export function useEditor(
	files: SourceFiles,
	/** The frame to open, read at key time. */
	frameNow: () => Frame | undefined,
	say: (text: string) => void,
	env: Readonly<Record<string, string | undefined>> = process.env,
): () => void {
	const {suspendTerminal} = useApp();
	return useCallback(() => {
		const frame = frameNow();
		if (!frame) {
			say('no source file to open here');
			return;
		}
		const command = editorCommand(env);
		if (!command) {
			say('no editor: set $VISUAL or $EDITOR (e.g. EDITOR=vim)');
			return;
		}
		const where = `${visible(frame.file)}:${frame.line}`;
		void files.locate(frame.file).then(async path => {
			if (path === undefined) {
				say(files.root === undefined ? `${where} is not on this machine; --source-root DIR maps it` : `${where} is not here or under ${visible(files.root)}`);
				return;
			}
			let outcome: string | undefined;
			await suspendTerminal(async () => {
				outcome = await runEditor(editorArgv(command, path, frame.line));
			});
			say(outcome ?? `back from ${visible(basename(command[0]!))} (${visible(basename(path))}:${frame.line})`);
		});
	}, [files, frameNow, say, env, suspendTerminal]);
}
