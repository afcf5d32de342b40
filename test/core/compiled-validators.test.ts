// The validators compiled at build time (src/core/validators.compiled.ts): the committed file is
// what the build makes from today's schemas, and each validator answers as ajv compiling its
// schema at run time does, verdict and error alike, on valid, hostile and random values.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { Ajv } from 'ajv';
import { Random } from '../../src/captcha/random.ts';
import { AJV_OPTIONS, runTimeCompilations, schemaKey, validatorOf } from '../../src/core/schemas.ts';
import { COMPILED } from '../../src/core/validators.compiled.ts';
import { checkedSchemas, COMPILED_VALIDATORS_FILE, compiledValidatorsSource } from '../../scripts/validators.ts';

it('is what the build makes from the schemas of today', () => {
  assert.equal(readFileSync(COMPILED_VALIDATORS_FILE, 'utf8'), compiledValidatorsSource(), 'src/core/validators.compiled.ts is stale: npm run build');
});

it('holds a validator for every schema the routes and the core check, and validatorOf finds it', () => {
  const schemas = checkedSchemas();
  assert.equal(COMPILED.size, schemas.length);
  for (const schema of schemas) {
    assert.equal(validatorOf(schema), COMPILED.get(schemaKey(schema)), schemaKey(schema));
    // A copy (as a framework may hand it over) finds the same validator.
    assert.equal(validatorOf(structuredClone(schema)), COMPILED.get(schemaKey(schema)));
  }
  assert.equal(runTimeCompilations(), 0);
});

it('compiles a schema the build did not see at run time', () => {
  const before = runTimeCompilations();
  const validate = validatorOf({ type: 'object', required: ['late'], properties: { late: { type: 'integer' } } });
  assert.equal(validate({ late: 1 }), true);
  assert.equal(validate({ late: '1' }), false);
  assert.equal(runTimeCompilations(), before + 1);
});

const STRINGS = ['', ' ', 'a', 'login', 'zh-CN', 'en', 'jpeg', 'text', 'signup', 'a-b_c', 'a b', '\u0000', '😀'.repeat(32), '😀'.repeat(33), 'é'.repeat(64)];
const VALUES: unknown[] = [undefined, null, 0, 1, 2, -1, 1.5, Number.NaN, true, [], ['a'], {}, Object.create(null), JSON.parse('{"__proto__":{"x":1}}'), ...STRINGS];

/** Values shaped after `schema`: each property in turn set to each of VALUES, and random mixes. */
function samples(schema: Record<string, unknown>, random: Random): unknown[] {
  const out: unknown[] = [...VALUES];
  for (const n of [0, 1, 4, 31, 32, 33, 64, 65, 128, 129, 255, 256, 257, 320, 321, 4096, 4097]) out.push('x'.repeat(n));
  const properties = Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>);
  if (properties.length === 0) return out;
  const plausible = (property: Record<string, unknown>): unknown => {
    if (Array.isArray(property.enum)) return property.enum[random.int(0, property.enum.length - 1)];
    if (property.type === 'object') return Object.fromEntries(samplesOf(property, random));
    return 'x'.repeat(random.int(0, 40));
  };
  const samplesOf = (object: Record<string, unknown>, random: Random) =>
    Object.entries((object.properties ?? {}) as Record<string, Record<string, unknown>>).map(([name, property]) => [name, plausible(property)] as const);
  for (const [name] of properties) {
    for (const value of VALUES) out.push({ ...Object.fromEntries(samplesOf(schema, random)), [name]: value });
  }
  for (let i = 0; i < 200; i++) {
    const entries = samplesOf(schema, random).filter(() => random.int(0, 4) > 0);
    if (random.int(0, 3) === 0) entries.push(['extra', VALUES[random.int(0, VALUES.length - 1)]]);
    if (random.int(0, 3) === 0) entries.push([properties[random.int(0, properties.length - 1)]![0], VALUES[random.int(0, VALUES.length - 1)]]);
    out.push(Object.fromEntries(entries));
  }
  return out;
}

it('answers as ajv compiling the schema at run time: the same verdict and the same error', () => {
  const ajv = new Ajv(AJV_OPTIONS);
  const random = new Random(20261127);
  let valid = 0;
  let invalid = 0;
  for (const schema of checkedSchemas()) {
    const compiled = COMPILED.get(schemaKey(schema))!;
    const reference = ajv.compile(schema);
    for (const value of samples(schema as Record<string, unknown>, random)) {
      const verdict = compiled(value);
      assert.equal(verdict, reference(value), `${schemaKey(schema)} on ${JSON.stringify(value)}`);
      assert.deepEqual(compiled.errors ?? null, reference.errors ?? null);
      if (verdict) valid++;
      else invalid++;
    }
  }
  // The samples reach both answers often, or the comparison says little.
  assert.ok(valid > 500 && invalid > 500, `valid ${valid}, invalid ${invalid}`);
});
