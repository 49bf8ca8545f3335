import assert from 'node:assert/strict';
import {test} from 'node:test';
import {OSC52_MAX_BYTES, osc52} from '../../source/text/osc52.ts';

test('osc52 sends the text in base64, with every unsafe character shown rather than sent', () => {
	const sequence = osc52('goroutine 1 [select]:\nmain.f\u001B[2J\u0007\u202Eevil()\n')!;
	assert.match(sequence, /^\u001B\]52;c;[A-Za-z0-9+/=]+\u0007$/);
	const payload = Buffer.from(sequence.slice(7, -1), 'base64').toString('utf8');
	assert.equal(payload, 'goroutine 1 [select]:\nmain.f\\x1b[2J\\x07\\u202eevil()\n');
});

test('osc52 declines a text too long for terminals to take', () => {
	assert.equal(osc52('x'.repeat(OSC52_MAX_BYTES)), undefined);
	assert.ok(osc52('x'.repeat(1000)));
});
