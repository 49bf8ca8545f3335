// Dump text (function names, args, file paths, labels, error messages) comes from the monitored
// process or from a file anyone could have written. None of it may reach the terminal as control
// bytes: an ESC in a function name would otherwise move the cursor, change the title, or worse.

// C0 controls, DEL, C1 controls, and the Unicode bidi overrides/isolates that reorder what a person reads.
// eslint-disable-next-line no-control-regex
const unsafe = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const whitespaceControls = /[\t\n\r]/g;

/** Removes every control character; tabs and newlines become a space so one line stays one line. */
export function stripControl(text: string): string {
	// Fast path: most dump text is plain printable ASCII.
	if (!needsStrip(text)) return text;
	return text.replace(whitespaceControls, ' ').replace(unsafe, '');
}

function needsStrip(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return true;
	}
	return false;
}
