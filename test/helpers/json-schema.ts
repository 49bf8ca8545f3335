// A small JSON Schema (draft 2020-12) validator for the subset gmon's schema uses — gmon may add no
// dependencies. A keyword it does not know is an error, never silently ignored, so the schema
// cannot drift past what the tests check.
type Json = null | boolean | number | string | Json[] | {[key: string]: Json};
type Schema = boolean | {[keyword: string]: unknown};

const annotations = new Set(['$schema', '$id', 'title', 'description', '$defs', 'examples', '$comment']);
const supported = new Set(['$ref', 'oneOf', 'anyOf', 'type', 'const', 'enum', 'required', 'properties', 'additionalProperties', 'items', 'minimum', 'format']);

export interface SchemaError {
	/** JSON pointer into the instance, e.g. `/goroutines/3/where`. */
	path: string;
	message: string;
}

export function validate(root: Schema, instance: unknown, ref = '#'): SchemaError[] {
	const errors: SchemaError[] = [];
	check(resolve(root, ref), instance as Json, '', errors, root);
	return errors;
}

function resolve(root: Schema, ref: string): Schema {
	if (!ref.startsWith('#')) throw new Error(`only local $refs are supported: ${ref}`);
	let node: unknown = root;
	for (const part of ref.slice(1).split('/').filter(Boolean)) {
		const key = part.replaceAll('~1', '/').replaceAll('~0', '~');
		node = (node as Record<string, unknown>)[key];
		if (node === undefined) throw new Error(`unresolvable $ref ${ref}`);
	}

	return node as Schema;
}

function typeOf(value: Json): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

function matchesType(value: Json, type: string): boolean {
	const actual = typeOf(value);
	return actual === type || (type === 'number' && actual === 'integer');
}

const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

function check(schema: Schema, value: Json, path: string, errors: SchemaError[], root: Schema): void {
	if (schema === true) return;
	if (schema === false) {
		errors.push({path, message: 'no value is allowed here'});
		return;
	}

	for (const keyword of Object.keys(schema)) {
		if (!supported.has(keyword) && !annotations.has(keyword)) throw new Error(`schema keyword not supported by the test validator: ${keyword}`);
	}

	if (typeof schema['$ref'] === 'string') check(resolve(root, schema['$ref']), value, path, errors, root);

	if (Array.isArray(schema['oneOf']) || Array.isArray(schema['anyOf'])) {
		const options = (schema['oneOf'] ?? schema['anyOf']) as Schema[];
		const passing = options.filter(option => {
			const sub: SchemaError[] = [];
			check(option, value, path, sub, root);
			return sub.length === 0;
		}).length;
		if (schema['oneOf'] ? passing !== 1 : passing === 0) {
			// Report the closest alternative's errors so a failure says what is wrong, not just "oneOf".
			const attempts = options.map(option => {
				const sub: SchemaError[] = [];
				check(option, value, path, sub, root);
				return sub;
			});
			const closest = attempts.sort((a, b) => a.length - b.length)[0] ?? [];
			if (passing > 1) errors.push({path, message: `matches ${passing} alternatives of oneOf, expected exactly 1`});
			else errors.push(...(closest.length > 0 ? closest : [{path, message: 'matches no alternative'}]));
		}
	}

	if (schema['type'] !== undefined) {
		const types = (Array.isArray(schema['type']) ? schema['type'] : [schema['type']]) as string[];
		if (!types.some(type => matchesType(value, type))) {
			errors.push({path, message: `expected ${types.join(' or ')}, got ${typeOf(value)}`});
			return;
		}
	}

	if ('const' in schema && JSON.stringify(schema['const']) !== JSON.stringify(value)) {
		errors.push({path, message: `expected ${JSON.stringify(schema['const'])}, got ${JSON.stringify(value)}`});
	}

	if (Array.isArray(schema['enum']) && !schema['enum'].some(option => JSON.stringify(option) === JSON.stringify(value))) {
		errors.push({path, message: `expected one of ${JSON.stringify(schema['enum'])}, got ${JSON.stringify(value)}`});
	}

	if (typeof schema['minimum'] === 'number' && typeof value === 'number' && value < schema['minimum']) {
		errors.push({path, message: `${value} is below the minimum ${schema['minimum']}`});
	}

	if (schema['format'] === 'date-time' && typeof value === 'string' && (!dateTime.test(value) || Number.isNaN(Date.parse(value)))) {
		errors.push({path, message: `not a date-time: ${value}`});
	}

	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
		for (const key of (schema['required'] ?? []) as string[]) {
			if (!(key in value)) errors.push({path, message: `missing required property ${key}`});
		}

		for (const [key, child] of Object.entries(value)) {
			const childPath = `${path}/${key}`;
			if (key in properties) check(properties[key]!, child, childPath, errors, root);
			else if (schema['additionalProperties'] !== undefined) {
				const extra = schema['additionalProperties'] as Schema;
				if (extra === false) errors.push({path: childPath, message: 'property not in the schema'});
				else check(extra, child, childPath, errors, root);
			}
		}
	}

	if (Array.isArray(value) && schema['items'] !== undefined) {
		for (const [index, item] of value.entries()) check(schema['items'] as Schema, item, `${path}/${index}`, errors, root);
	}
}
