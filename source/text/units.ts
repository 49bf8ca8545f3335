// Sizes and durations as every output prints them (TUI, text and JSON reports, messages): one
// rule each, so a dump is never "25 MB" on one screen and "23.8 MiB" on another.

/**
 * `512 B`, `1.2 KiB`, `25 MiB`, `1.5 GiB`: binary units, because the limits they are read against
 * are binary (Go cuts a dump at 64 MiB; `--max-bytes 64MB` means the same). One decimal below 10.
 */
export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes) || bytes < 0) return '-';
	if (bytes < 1024) return `${bytes} B`;
	const units = ['KiB', 'MiB', 'GiB'];
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * `850ms`, `12s`, `3m05s`, `2m`, `2h14m`, `3d04h`: short, sortable by eye, and floored like Go's own
 * wait minutes (a goroutine waiting 119 s has not waited 2 minutes). A zero last part is left off.
 */
export function formatDuration(ms: number): string {
	if (!Number.isFinite(ms) || ms < 0) return '-';
	if (ms < 999.5) return `${Math.round(ms)}ms`; // 999.6 ms reads 1s, not 1000ms
	const s = Math.max(1, Math.floor(ms / 1000));
	if (s < 60) return `${s}s`;
	const m = Math.floor(s / 60);
	if (m < 60) return s % 60 === 0 ? `${m}m` : `${m}m${pad2(s % 60)}s`;
	const h = Math.floor(m / 60);
	if (h < 24) return m % 60 === 0 ? `${h}h` : `${h}h${pad2(m % 60)}m`;
	const d = Math.floor(h / 24);
	return h % 24 === 0 ? `${d}d` : `${d}d${pad2(h % 24)}h`;
}

/**
 * `12ms`, `1.4s`, `16s`, `2m05s`: how long a target is frozen. One decimal from 1 to 10 s, where
 * formatDuration's floor would read a 1.9 s pause as "1s" and hide what the budget is about.
 */
export function formatPause(ms: number): string {
	if (!Number.isFinite(ms) || ms < 0) return '-';
	if (ms >= 999.5 && ms < 9950) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')}s`;
	return formatDuration(ms);
}

/** `0.3%`, `4.8%`, `12%`: a share of time, one decimal below 10. */
export function formatShare(fraction: number): string {
	if (!Number.isFinite(fraction) || fraction < 0) return '-';
	const pct = fraction * 100;
	return `${pct < 10 ? pct.toFixed(1) : Math.round(pct)}%`;
}
