// What a hostile target or file may send, and the check that none of it reached a terminal raw.
// The payloads are the ones issue 20 names: title set, clear screen, OSC 52 (clipboard), OSC 8
// (hyperlink), C1 CSI/OSC, bidi overrides and isolates, zero-width space, BOM.
import {isUnsafeCode} from '../../source/text/sanitize.ts';

export const payloads = {
	title: '\u001B]0;pwned\u0007',
	clear: '\u001B[2J\u001B[H',
	osc52: '\u001B]52;c;cHduZWQ=\u001B\\',
	osc8: '\u001B]8;;http://evil.example/\u001B\\link\u001B]8;;\u001B\\',
	c1Csi: '\u009B2J',
	c1Osc: '\u009D0;t\u009C',
	rlo: '\u202E',
	isolates: '\u2066\u2067\u2068\u2069',
	zeroWidth: '\u200B',
	bom: '\uFEFF',
} as const;

/** Every payload in one string. */
export const allPayloads = Object.values(payloads).join('');

/**
 * A debug=2 dump whose function names, file paths, states, args, creators and labels all carry
 * the payloads (what a hostile or broken program could print), in the shapes Go prints.
 */
export function hostileDump(): string {
	const p = payloads;
	return [
		`goroutine 1 [chan receive${p.rlo}${p.zeroWidth}, 5 minutes]:`,
		`main.evil${p.clear}${p.title}(0xc000010000)`,
		`\t/src/app/${p.rlo}og.evil${p.osc52}.go:12 +0x1d`,
		`main.run${p.osc8}()`,
		`\t/src/app/run${p.isolates}.go:30 +0x2`,
		`created by main.start${p.c1Csi}${p.c1Osc} in goroutine 7`,
		`\t/src/app/start${p.bom}.go:5 +0x2`,
		'',
		`goroutine 2 [select${p.clear}, 5 minutes]:`,
		`main.worker${p.osc52}(...)`,
		`\t/src/app/w${p.c1Csi}.go:7 +0x1`,
		`created by main.start${p.rlo} in goroutine 1`,
		'\t/src/app/start.go:9 +0x2',
		'',
		`goroutine 3 [sleep${p.c1Osc}]:`,
		`time.Sleep${p.title}(0x3b9aca00)`,
		`\t/usr/local/go/src/runtime/time.go:300 +0x1`,
		'',
	].join('\n');
}

/** The unsafe characters left raw in `text` (newlines excepted), as `U+XXXX` names. */
export function rawUnsafe(text: string): string[] {
	const found = new Set<string>();
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c !== 10 && isUnsafeCode(c)) found.add(`U+${c.toString(16).toUpperCase().padStart(4, '0')}`);
	}
	return [...found];
}
