// The words of a failed poll: a fault says what went wrong; whether a retry comes is the poller's
// fact (retryAt), said in one place (pollErrorLine) — a one-shot run, which never retries, never says it.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {type FaultContext, faultFromStatus, pollErrorLine} from '../../source/fetch/faults.ts';

const context: FaultContext = {
	where: '127.0.0.1:6060',
	host: '127.0.0.1',
	path: '/debug/pprof/goroutine',
	sentAuth: false,
	headersTimeoutMs: 10_000,
	bodyTimeoutMs: 10_000,
	bytes: 0,
	gotHeaders: true,
	secrets: [],
};

test('a 5xx fault does not promise a retry; the line says "— retrying" only when the poller scheduled one', () => {
	const fault = faultFromStatus(503, context, 'warming up\n');
	assert.equal(fault.message, 'HTTP 503 Service Unavailable from the target: warming up');
	assert.equal(pollErrorLine({message: fault.message}), 'HTTP 503 Service Unavailable from the target: warming up');
	assert.equal(pollErrorLine({message: fault.message, retryAt: 1_000}), 'HTTP 503 Service Unavailable from the target: warming up — retrying');
});
