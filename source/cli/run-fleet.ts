import type {ExitCode} from './exit-codes.ts';
export async function runFleetReport(..._args: unknown[]): Promise<ExitCode> {
	throw new Error('todo');
}
