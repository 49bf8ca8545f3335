// Short human figures for the one-line suspect reasons: "+3/min" (durations: text/units.ts).

/** +3/min, +0.5/min, -2/min: one decimal below 10, whole numbers above. */
export function formatRate(perMin: number): string {
	const sign = perMin > 0 ? '+' : perMin < 0 ? '-' : '';
	const abs = Math.abs(perMin);
	const text = abs >= 10 ? String(Math.round(abs)) : String(Math.round(abs * 10) / 10);
	return `${sign}${text}/min`;
}
