// How a Go function name and a source path read in one short cell, for every output (TUI columns,
// stack view, text reports, diffs, suspect reasons). Pure; escaping is the printer's job.

/** Last path element: `/home/x/handlers.go` → `handlers.go`, `C:\a b\x.go` → `x.go`. */
export function baseName(file: string): string {
	const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
	return slash < 0 ? file : file.slice(slash + 1);
}

/** `handlers.go:88` from `/srv/app/handlers.go`, line 88; just the file when the line is unknown (0). */
export function shortLocation(file: string, line: number): string {
	const base = baseName(file);
	return line > 0 ? `${base}:${line}` : base;
}

/** A module's major-version path element (`/v2`): Go prints it, but it names no package. */
const majorVersion = /^v\d+$/;

/**
 * A function name without its package path: `github.com/x/y.(*T).M` → `y.(*T).M`. A major-version
 * element keeps the element before it, so `github.com/caddyserver/caddy/v2.trapSignalsPosix.func1`
 * reads `caddy/v2.trapSignalsPosix.func1`, never `v2.trapSignalsPosix.func1`.
 */
export function shortFuncName(func: string): string {
	const slash = func.lastIndexOf('/');
	if (slash < 0) return func;
	const dot = func.indexOf('.', slash + 1);
	const element = func.slice(slash + 1, dot < 0 ? undefined : dot);
	if (majorVersion.test(element)) {
		const before = func.lastIndexOf('/', slash - 1);
		return func.slice(before + 1);
	}
	return func.slice(slash + 1);
}
