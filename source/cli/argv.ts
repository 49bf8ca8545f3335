// Checks the raw argv before meow sees it. meow prints unknown flags on two lines and would let a
// bare `--fail-on-suspects` swallow the TARGET after it as its value; gmon wants one clear line
// and `--fail-on-suspects[=N]` semantics, so both are settled here.
import {UsageError} from './exit-codes.ts';
import {flagDefinitions} from './flags.ts';

const kebab = (name: string) => name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);

interface FlagSpec {
	/** The long name, kebab-case. */
	name: string;
	takesValue: boolean;
	boolean: boolean;
}

function knownFlags(): {long: Map<string, FlagSpec>; short: Map<string, FlagSpec>} {
	const long = new Map<string, FlagSpec>();
	const short = new Map<string, FlagSpec>();
	for (const [name, definition] of Object.entries(flagDefinitions)) {
		const spec = {name: kebab(name), takesValue: definition.type === 'string', boolean: definition.type === 'boolean'};
		long.set(kebab(name), spec);
		long.set(name, spec);
		if ('shortFlag' in definition) short.set(definition.shortFlag, spec);
	}

	return {long, short};
}

/**
 * Returns argv ready for meow: bare `--fail-on-suspects` becomes `--fail-on-suspects=1`.
 * Throws UsageError for an unknown flag, a flag missing its value, or a gate number given as a
 * second TARGET (`--fail-on-suspects 5 FILE`).
 */
export function prepareArgv(argv: readonly string[]): string[] {
	const {long, short} = knownFlags();
	const out: string[] = [];
	// The TARGETs (and `diff`), and a bare number a bare --fail-on-suspects may have meant as its N.
	const positionals: string[] = [];
	let numberAfterGate: string | undefined;
	for (let index = 0; index < argv.length; index++) {
		const token = argv[index]!;
		if (token === '--') {
			out.push(...argv.slice(index));
			positionals.push(...argv.slice(index + 1));
			break;
		}

		if (token === '-' || !token.startsWith('-') || /^-\d/.test(token)) {
			out.push(token);
			positionals.push(token);
			continue;
		}

		if (token.startsWith('--')) {
			const [rawName = '', value] = splitOnce(token.slice(2), '=');
			if (rawName === 'fail-on-suspects' || rawName === 'failOnSuspects') {
				if (value === '') throw new UsageError('--fail-on-suspects= needs a number, e.g. --fail-on-suspects=5');
				out.push(value === undefined ? '--fail-on-suspects=1' : token);
				if (value === undefined && /^\d+$/.test(argv[index + 1] ?? '')) numberAfterGate = argv[index + 1];
				continue;
			}

			const negated = rawName.startsWith('no-') ? long.get(rawName.slice(3)) : undefined;
			const spec = long.get(rawName) ?? (negated?.boolean ? negated : undefined);
			if (!spec) throw new UsageError(`unknown flag --${rawName} (see gmon --help)`);
			if (spec.takesValue && value === undefined && !negated) {
				const next = argv[index + 1];
				if (next === undefined) throw new UsageError(`--${rawName} needs a value (see gmon --help)`);
				// Glued with `=`: meow would read a value starting with `-` (`--interval -1s`) as a flag
				// and leave the option empty ("no target"); the option's own check should judge it.
				out.push(`${token}=${next}`);
				index++;
			} else {
				out.push(token);
			}

			continue;
		}

		// Short flags: `-H value`, `-Hvalue`, `-h`.
		const letter = token[1]!;
		const spec = short.get(letter);
		if (!spec) throw new UsageError(`unknown flag ${token} (see gmon --help)`);
		if (spec.takesValue && token.length === 2) {
			const next = argv[index + 1];
			if (next === undefined) throw new UsageError(`${token} needs a value (see gmon --help)`);
			out.push(`--${spec.name}=${next}`);
			index++;
		} else {
			out.push(token);
		}
	}

	checkGateNumber(positionals, numberAfterGate);
	return out;
}

/**
 * `gmon --fail-on-suspects 5 FILE`: the 5 is a TARGET (a bare 6060 is a port), so the run would
 * watch port 5 beside FILE. When a bare number follows the bare gate, name the fix instead.
 */
function checkGateNumber(positionals: readonly string[], numberAfterGate: string | undefined): void {
	if (numberAfterGate === undefined || positionals[0] === 'diff' || positionals.length < 2) return;
	throw new UsageError(`--fail-on-suspects takes its number after "=": --fail-on-suspects=${numberAfterGate}`);
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
	const at = text.indexOf(separator);
	return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}
