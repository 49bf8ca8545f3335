// One fact, one place: what is generated from a single source in source/ must agree wherever it
// is written down for people (the README) or for scripts (the JSON schema).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {GROUP_BYS} from '../../source/model/types.ts';
import schema from '../../source/report/schema.json' with {type: 'json'};
import {bindings, keysMarkdown} from '../../source/view/bindings.ts';
import {helpText} from '../../source/view/chrome.ts';
import {keyIntent} from '../../source/view/keymap.ts';
import {initialUiState} from '../../source/view/reducer.ts';
import {repoDir} from '../helpers/run-cli.ts';

test("the README's key table is the one generated from the bindings table", () => {
	const readme = readFileSync(join(repoDir, 'README.md'), 'utf8');
	const section = /<!-- keys:[^\n]*-->\n([\s\S]*?)\n<!-- \/keys -->/.exec(readme);
	assert.ok(section, 'README.md has the generated keys section');
	assert.equal(section[1], keysMarkdown());
});

test('every key the help documents does what the table says, and every documented binding is in the help', () => {
	const help = helpText.join('\n');
	for (const binding of bindings.filter(candidate => candidate.section)) {
		assert.ok(help.includes(binding.does), `the help says what ${binding.keys.join('/')} does`);
	}
	// The table drives the handler: a key documented for the lists does exactly that there.
	const ui = initialUiState();
	for (const binding of bindings.filter(candidate => candidate.in.includes('main') && typeof candidate.intent !== 'function')) {
		for (const key of binding.keys.filter(name => name.length === 1)) assert.deepEqual(keyIntent(key, {}, ui), binding.intent, key);
	}
});

test('the group-by keys of the JSON schema are the model list', () => {
	const defs = (schema as any).$defs;
	assert.deepEqual(defs.group.properties.by.enum, [...GROUP_BYS]);
	assert.deepEqual(defs.diff.properties.by.enum, [...GROUP_BYS]);
});
