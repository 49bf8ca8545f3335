import assert from 'node:assert/strict';
import {test} from 'node:test';
import {formatBytes, formatDuration} from '../source/text/units.ts';
import {padEnd, sparkline, truncateMiddle} from '../source/view/format.ts';
import {isStdFrame, packageOf} from '../source/view/frames.ts';
import {stripControl} from '../source/view/sanitize.ts';

test('truncateMiddle keeps both ends and fits the width exactly', () => {
	const text = 'github.com/acme/service/internal/handlers.(*Server).handleUpload';
	const cut = truncateMiddle(text, 30);
	assert.equal(cut.length, 30);
	assert.ok(cut.startsWith('github.com/ac'));
	assert.ok(cut.endsWith('handleUpload'));
	assert.ok(cut.includes('…'));
	assert.equal(truncateMiddle('short', 30), 'short');
	assert.equal(truncateMiddle('abcdef', 1), '…');
	assert.equal(truncateMiddle('abcdef', 0), '');
});

test('padEnd pads short text and cuts long text to the exact width', () => {
	assert.equal(padEnd('ab', 4), 'ab  ');
	assert.equal(padEnd('abcdef', 4), 'abc…');
});

test('durations read short at every scale', () => {
	assert.equal(formatDuration(850), '850ms');
	assert.equal(formatDuration(12_000), '12s');
	assert.equal(formatDuration(185_000), '3m05s');
	assert.equal(formatDuration(2 * 3_600_000 + 14 * 60_000), '2h14m');
	assert.equal(formatDuration(3 * 86_400_000 + 4 * 3_600_000), '3d04h');
	// Floored like Go's wait minutes, and a zero last part left off: "stuck 2m", never "2m00s".
	assert.equal(formatDuration(119_999), '1m59s');
	assert.equal(formatDuration(120_000), '2m');
	assert.equal(formatDuration(3_600_000), '1h');
	assert.equal(formatDuration(999.6), '1s');
	assert.equal(formatDuration(-1), '-');
	assert.equal(formatBytes(25 * 1024 * 1024), '25 MiB');
	assert.equal(formatBytes(1200), '1.2 KiB');
});

test('sparkline scales between min and max and keeps the last values', () => {
	assert.equal(sparkline([1, 2, 3, 4, 5, 6, 7, 8], 8), '▁▂▃▄▅▆▇█');
	assert.equal(sparkline([5, 5, 5], 8), '▁▁▁');
	assert.equal(sparkline([0, 100, 0, 100], 2), '▁█');
	assert.equal(sparkline([], 5), '');
	// A group's count scales from zero: a pool going 3 → 4 stays low, a leak 0 → 12 climbs.
	assert.equal(sparkline([3, 4, 4], 3, {fromZero: true}), '▆██');
	assert.equal(sparkline([0, 6, 12], 3, {fromZero: true}), '▁▅█');
	assert.equal(sparkline([5, 5, 5], 3, {fromZero: true}), '███');
});

test('stripControl removes escape sequences, C1 controls and bidi overrides', () => {
	assert.equal(stripControl('main.\u001B[2J\u001B]0;pwned\u0007evil'), 'main.[2J]0;pwnedevil');
	assert.equal(stripControl('a\u009Bb\u202Ec\u0000d'), 'abcd');
	assert.equal(stripControl('tab\there\nnew'), 'tab here new');
	const plain = 'main.(*Server).Serve';
	assert.equal(stripControl(plain), plain);
	assert.doesNotMatch(stripControl('x\u001Bx'), /\u001B/);
});

test('standard-library and runtime frames are told apart from user code', () => {
	assert.equal(isStdFrame('runtime.gopark'), true);
	assert.equal(isStdFrame('net/http.(*conn).serve'), true);
	assert.equal(isStdFrame('internal/poll.(*FD).Read'), true);
	assert.equal(isStdFrame('main.worker'), false);
	assert.equal(isStdFrame('github.com/acme/svc/handlers.(*S).Get'), false);
	assert.equal(packageOf('github.com/acme/svc/handlers.(*S).Get'), 'github.com/acme/svc/handlers');
});
