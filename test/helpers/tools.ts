// Tests that need Go, tmux, Prometheus or a real Go service skip with a visible reason on a developer's
// machine that lacks them, and fail in CI (CI is set there), where .ci/run installs them all.
import {execFileSync} from 'node:child_process';

// How each tool prints its version (a run that exits 0 means it is installed and runs); `-V`
// for the rest (tmux, setpriv).
const versionFlags: Record<string, string[]> = {
	go: ['version'],
	caddy: ['version'],
	etcd: ['--version'],
	prometheus: ['--version'],
	promtool: ['--version'],
	'prometheus-alertmanager': ['--version'],
};

export const versionArgs = (name: string): string[] => versionFlags[name] ?? ['-V'];

export function hasTool(name: string): boolean {
	try {
		execFileSync(name, versionArgs(name), {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
}

const inCi = Boolean(process.env['CI']) && process.env['CI'] !== 'false' && process.env['CI'] !== '0';

/**
 * `test('…', {skip: skipUnless('go')}, …)`: false when the tool is here; a reason string otherwise.
 * In CI a missing tool throws instead, so CI never silently skips.
 */
export function skipUnless(...tools: string[]): string | false {
	const missing = tools.filter(tool => !hasTool(tool));
	if (missing.length === 0) return false;
	const reason = `needs ${missing.join(' and ')} (not installed; .ci/run installs it)`;
	if (inCi) throw new Error(`CI must not skip: ${reason}`);
	return reason;
}
