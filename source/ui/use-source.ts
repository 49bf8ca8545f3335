// The open stack's source file for the view: asks the reader (watch/source-files.ts) for it and
// redraws when it lands. The reading is here and there, never in the pure view.
import {useEffect, useReducer} from 'react';
import type {SourceText} from '../view/source-lines.ts';
import type {SourceFiles} from '../watch/source-files.ts';

export function useSourceText(files: SourceFiles, file: string | undefined): SourceText | undefined {
	const [, redraw] = useReducer((n: number) => n + 1, 0);
	useEffect(() => files.subscribe(redraw), [files]);
	useEffect(() => {
		if (file !== undefined) files.request(file);
	}, [files, file]);
	if (file === undefined) return undefined;
	const found = files.cached(file);
	if (!found) return undefined;
	if (found.status === 'found') return {file, lines: found.lines};
	return found.root === undefined ? {file} : {file, root: found.root};
}
