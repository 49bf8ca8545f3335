// The Prometheus text exposition format (version 0.0.4) and OpenMetrics 1.0.0, written by hand:
// gmon exports only gauges and counters whose whole set is rebuilt from the engine's state on
// every scrape, which is a few dozen lines of format. prom-client would add a runtime dependency
// tree (@opentelemetry/api, tdigest) and a registry of long-lived mutable metrics that would have
// to be reset each scrape so a group that went away does not linger. The real Prometheus in
// test/metrics-prometheus.test.ts is the judge of this file's output.
import {visible} from '../text/sanitize.ts';

export type MetricType = 'gauge' | 'counter';

export interface Sample {
	/** Label name → value as it came (a dump's function name…): made visible, cut and escaped here. */
	labels: Record<string, string>;
	value: number;
}

export interface Family {
	/** The family name; a counter's samples get `_total` appended (both formats name them so). */
	name: string;
	type: MetricType;
	help: string;
	samples: Sample[];
}

export const contentTypes = {
	text: 'text/plain; version=0.0.4; charset=utf-8',
	openMetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
} as const;

export type ExpositionFormat = keyof typeof contentTypes;

/** What a scraper's Accept header asks for: OpenMetrics when it names it (Prometheus does), else the classic text. */
export function negotiate(accept: string | undefined): ExpositionFormat {
	return accept !== undefined && /application\/openmetrics-text/i.test(accept) ? 'openMetrics' : 'text';
}

/**
 * A label value from outside (a function name, a file path, a state): made visible first (no
 * terminal control reaches a console that shows it), cut to a length a dashboard can show, then
 * escaped as both formats require (`\\`, `\"`, `\n`; visible() already turned newlines into spaces).
 */
export function labelValue(text: string, max = maxLabelLength): string {
	let shown = visible(text);
	if (shown.length > max) shown = `${shown.slice(0, max - 1)}…`;
	return shown.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

/** A function name past this is a hostile or generated one; the series stays readable and bounded. */
export const maxLabelLength = 256;

function formatValue(value: number): string {
	if (Number.isNaN(value)) return 'NaN';
	if (value === Infinity) return '+Inf';
	if (value === -Infinity) return '-Inf';
	return String(value);
}

/**
 * The families as one exposition. Samples of a family whose labels end up equal (two stacks parked
 * at the same line, two names cut to the same prefix) are summed into one: a scrape with a
 * duplicate series is rejected whole by Prometheus.
 */
export function writeExposition(families: readonly Family[], format: ExpositionFormat): string {
	const lines: string[] = [];
	for (const family of families) {
		// OpenMetrics names a counter's family without the `_total` its samples carry.
		const sampleName = family.type === 'counter' ? `${family.name}_total` : family.name;
		const familyName = format === 'text' ? sampleName : family.name;
		lines.push(`# HELP ${familyName} ${family.help}`, `# TYPE ${familyName} ${family.type}`);
		const merged = new Map<string, number>();
		for (const sample of family.samples) {
			const labels = Object.entries(sample.labels)
				.map(([name, value]) => `${name}="${labelValue(value)}"`)
				.join(',');
			merged.set(labels, (merged.get(labels) ?? 0) + sample.value);
		}
		for (const [labels, value] of merged) lines.push(`${sampleName}${labels ? `{${labels}}` : ''} ${formatValue(value)}`);
	}
	if (format === 'openMetrics') lines.push('# EOF');
	return `${lines.join('\n')}\n`;
}
