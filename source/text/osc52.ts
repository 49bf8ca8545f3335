// `y --clipboard`: text to the terminal's clipboard with OSC 52 (xterm, iTerm2, kitty, WezTerm,
// tmux with set-clipboard on). The text goes in base64, so no byte of it can end the sequence or
// act on the terminal; it is made visible first (sanitize.ts), so what lands in the clipboard is
// what the screen showed, never a control sequence a target planted in its dump.
import {visible} from './sanitize.ts';

/** Terminals drop (or choke on) longer OSC 52 payloads; xterm's default limit is near this. */
export const OSC52_MAX_BYTES = 100_000;

/** The OSC 52 sequence that sets the clipboard to `text`, or undefined when it is too long to send. */
export function osc52(text: string): string | undefined {
	const safe = text.split('\n').map(visible).join('\n');
	const payload = Buffer.from(safe, 'utf8').toString('base64');
	if (payload.length > OSC52_MAX_BYTES) return undefined;
	return `\u001B]52;c;${payload}\u0007`;
}
