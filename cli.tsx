// gmon's entry: parse the command line with meow, hand it to source/cli/main.ts, exit with its
// code. The shell only parses and wires; everything it decides is tested through the real binary.
import process from 'node:process';
import meow from 'meow';
import {prepareArgv} from './source/cli/argv.ts';
import {exitCodes, UsageError} from './source/cli/exit-codes.ts';
import {description, flagDefinitions, helpText} from './source/cli/flags.ts';
import {main} from './source/cli/main.ts';
import {sayError} from './source/cli/say.ts';
import {abortOnSignals} from './source/cli/signals.ts';

function usageExit(message: string): never {
	sayError(process.stderr, message);
	process.exit(exitCodes.usage);
}

let argv: string[];
try {
	argv = prepareArgv(process.argv.slice(2));
} catch (error) {
	if (error instanceof UsageError) usageExit(error.message);
	throw error;
}

let cli: ReturnType<typeof meow<typeof flagDefinitions>>;
try {
	cli = meow(helpText, {
		importMeta: import.meta,
		description,
		argv,
		flags: flagDefinitions,
		// argv.ts already refused unknown flags with one clear line.
		allowUnknownFlags: true,
	});
} catch (error) {
	// meow throws for a flag given twice ("The flag --polls can only be set once.").
	usageExit(error instanceof Error ? error.message.replace(/\.$/, '') : String(error));
}

// meow only answers --help/--version when they are the sole argument; gmon answers them anywhere.
if (cli.flags.help) cli.showHelp(0);
if (cli.flags.version) cli.showVersion();

// `gmon --json x | head`: a reader that stops early is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') process.exit(process.exitCode ?? exitCodes.ok);
	throw error;
});

const code = await main(cli.input, cli.flags, {
	stdout: process.stdout,
	stderr: process.stderr,
	stdin: process.stdin,
	env: process.env,
	signal: abortOnSignals(),
});
process.exitCode = code;
