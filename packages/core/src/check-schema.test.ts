import { expect } from '@open-wc/testing';
import requestSchema from '../schema/decision-request.v1.schema.json' with { type: 'json' };
import responseSchema from '../schema/decision-response.v1.schema.json' with { type: 'json' };
import eventBatchResultSchema from '../schema/event-batch-result.v1.schema.json' with { type: 'json' };
import frequencyRulesSchema from '../schema/frequency-rules.v1.schema.json' with { type: 'json' };
import { checkSchema } from './check-schema.js';

describe('checkSchema', () => {
  // compileSchema trusts these: a keyword outside its subset would be skipped, not checked. The list is every schema
  // that opslot's code compiles (validate-decision-response.ts, validate-event-batch-result.ts, ledger.ts, and
  // config.test.ts for the request).
  it('finds every schema opslot compiles within the supported subset', () => {
    expect(() => checkSchema(responseSchema, { refs: { 'creative-assets.v1.schema.json': true } })).not.to.throw();
    for (const schema of [requestSchema, eventBatchResultSchema, frequencyRulesSchema]) {
      expect(() => checkSchema(schema)).not.to.throw();
    }
  });

  const bad: [string, object][] = [
    ['an unknown keyword', { type: 'string', format: 'uri' }],
    ['a misspelt keyword', { properties: { a: { maxLenght: 3 } } }],
    ['an unknown keyword inside $defs', { $defs: { a: { oneOf: [] } } }],
    ['an unknown type', { type: 'interger' }],
    ['a list of types', { type: ['string', 'null'] }],
    ['a tuple items', { items: [{ type: 'string' }] }],
    ['a non-numeric bound', { maxLength: '3' }],
    ['a non-array enum', { enum: 'abc' }],
    ['a non-array required', { required: 'id' }],
    ['a non-string pattern', { pattern: 3 }],
    ['an invalid pattern', { pattern: '(' }],
    ['a $ref to a missing definition', { $ref: '#/$defs/nope' }],
    ['a $ref to another document', { $ref: 'https://example.com/schema.json' }],
    ['a $ref to a file not named in refs', { properties: { assets: { $ref: 'creative-assets.v1.schema.json' } } }],
    ['a $ref into Object.prototype', { $ref: '#/$defs/constructor' }],
    ['$defs below the root', { properties: { a: { $defs: {} } } }],
    ['a schema that is not an object', { properties: { a: true } }],
  ];
  for (const [what, schema] of bad) {
    it(`refuses ${what}`, () => {
      expect(() => checkSchema(schema)).to.throw(/Invalid schema|Invalid regular expression/);
    });
  }

  it('accepts annotations, and a $ref to a file named in refs', () => {
    const schema = { $schema: 'x', $id: 'y', $comment: 'z', title: 't', description: 'd', type: 'null' };
    expect(() => checkSchema(schema)).not.to.throw();
    const withRef = { properties: { assets: { $ref: 'creative-assets.v1.schema.json' } } };
    expect(() => checkSchema(withRef, { refs: { 'creative-assets.v1.schema.json': true } })).not.to.throw();
  });
});
