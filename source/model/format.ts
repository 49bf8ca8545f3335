// Short human figures for the one-line suspect reasons: "2m", "1h5m", "+3/min".

/** 45s, 2m, 1h5m, 3h, 2d. Floors, like Go's own minutes. */
export function formatDuration(ms: number): string {
	const s = Math.max(0, Math.floor(ms / 1000));
	if (s < 60) return `${s}s`;
	const m = Math.floor(s / 60);
	if (m < 60) return `${m}m`;
	const h = Math.floor(m / 60);
	if (h < 24) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
	return `${Math.floor(h / 24)}d`;
}

/** +3/min, +0.5/min, -2/min: one decimal below 10, whole numbers above. */
export function formatRate(perMin: number): string {
	const sign = perMin > 0 ? '+' : perMin < 0 ? '-' : '';
	const abs = Math.abs(perMin);
	const text = abs >= 10 ? String(Math.round(abs)) : String(Math.round(abs * 10) / 10);
	return `${sign}${text}/min`;
}

/** Last path element: `/home/x/handlers.go` → `handlers.go`, `C:/a b/x.go` → `x.go`. */
export function baseName(file: string): string {
	const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
	return slash < 0 ? file : file.slice(slash + 1);
}
