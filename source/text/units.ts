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
