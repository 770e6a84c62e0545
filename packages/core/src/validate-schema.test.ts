import { expect } from '@open-wc/testing';
import { compileSchema, type ValidationResult } from './validate-schema.js';

const refusal = (result: ValidationResult) => (result.ok ? undefined : { path: result.path, message: result.message });

describe('compileSchema', () => {
  describe('keywords', () => {
    const cases: [keyword: string, schema: object, accepted: unknown[], refused: unknown[]][] = [
      ['type object', { type: 'object' }, [{}, { a: 1 }], [[], null, 'x', 1]],
      ['type array', { type: 'array' }, [[], [1]], [{}, 'x', null]],
      ['type string', { type: 'string' }, ['', 'x'], [1, null, [], {}]],
      ['type integer', { type: 'integer' }, [0, -3, 1e3], [1.5, '1', Number.NaN, null]],
      ['type number', { type: 'number' }, [0, 1.5, -2], ['1', Number.POSITIVE_INFINITY, Number.NaN, null]],
      ['type boolean', { type: 'boolean' }, [true, false], [0, 'true', null]],
      ['type null', { type: 'null' }, [null], [undefined, 0, '', {}]],
      ['minItems', { minItems: 2 }, [[1, 2], [1, 2, 3], 'not an array'], [[], [1]]],
      ['maxItems', { maxItems: 1 }, [[], [1], 'not an array'], [[1, 2]]],
      // Lengths count code points: the emoji is two UTF-16 units but one character.
      ['minLength', { minLength: 2 }, ['ab', '😀😀', 7], ['', 'a', '😀']],
      ['maxLength', { maxLength: 1 }, ['', 'a', '😀', 7], ['ab', '😀😀']],
      ['pattern', { pattern: '^[a-z]+$' }, ['abc', 1], ['', 'aBc', 'abc\n']],
      ['pattern without anchors searches', { pattern: 'b' }, ['abc'], ['xyz']],
      ['enum', { enum: ['a', 1, null] }, ['a', 1, null], ['b', '1', 0, undefined]],
      ['const', { const: 1 }, [1], ['1', 2, true, null]],
      ['minimum', { minimum: 0 }, [0, 5, 'not a number'], [-1, -0.5]],
      ['maximum', { maximum: 10 }, [10, -5, 'not a number'], [10.5, 11]],
    ];
    for (const [keyword, schema, accepted, refused] of cases) {
      it(`${keyword} accepts and refuses what it should`, () => {
        const validate = compileSchema(schema);
        for (const value of accepted) expect(validate(value), JSON.stringify(value)).to.deep.equal({ ok: true });
        for (const value of refused) expect(validate(value).ok, JSON.stringify(value)).to.equal(false);
      });
    }

    it('properties checks own properties that are present, and allows unknown ones', () => {
      const validate = compileSchema({ properties: { a: { type: 'string' } } });
      expect(validate({}).ok).to.equal(true);
      expect(validate({ a: 'x', extra: 1 }).ok).to.equal(true);
      expect(refusal(validate({ a: 1 }))).to.deep.equal({ path: '/a', message: 'must be string' });
    });

    it('leaves a $ref to a file named in refs to its own checker', () => {
      const schema = { properties: { assets: { $ref: 'creative-assets.v1.schema.json' }, n: { type: 'integer' } } };
      const validate = compileSchema(schema, { refs: { 'creative-assets.v1.schema.json': true } });
      expect(validate({ assets: 'anything', n: 1 }).ok).to.equal(true);
      expect(refusal(validate({ assets: {}, n: 'x' }))).to.deep.equal({ path: '/n', message: 'must be integer' });
    });

    it('properties and required never look up the prototype chain', () => {
      const validate = compileSchema({ required: ['a'], properties: { a: { type: 'string' } } });
      const inherits = Object.create({ a: 'x' });
      expect(refusal(validate(inherits))).to.deep.equal({ path: '/a', message: 'is required' });
      // Object.prototype.constructor is a function; an own-property check must not see it.
      const constructorSchema = compileSchema({ properties: { constructor: { type: 'string' } } });
      expect(constructorSchema({}).ok).to.equal(true);
      expect(compileSchema({ required: ['constructor'] })({}).ok).to.equal(false);
      expect(compileSchema({ required: ['__proto__'] })({}).ok).to.equal(false);
      expect(compileSchema({ required: ['__proto__'] })(JSON.parse('{"__proto__": 1}')).ok).to.equal(true);
    });

    it('required names the missing property in the path', () => {
      const validate = compileSchema({ properties: { page: { required: ['channel'] } } });
      expect(refusal(validate({ page: {} }))).to.deep.equal({ path: '/page/channel', message: 'is required' });
    });

    it('items checks every element and names its index', () => {
      const validate = compileSchema({ items: { type: 'integer' } });
      expect(validate([1, 2, 3]).ok).to.equal(true);
      expect(refusal(validate([1, 2, 'x']))).to.deep.equal({ path: '/2', message: 'must be integer' });
    });

    it('$ref resolves to #/$defs and combines with sibling keywords', () => {
      const validate = compileSchema({
        type: 'object',
        properties: { id: { description: 'an id', $ref: '#/$defs/id' } },
        $defs: { id: { type: 'string', maxLength: 3 } },
      });
      expect(validate({ id: 'abc' }).ok).to.equal(true);
      expect(refusal(validate({ id: 'abcd' }))).to.deep.equal({ path: '/id', message: 'violates maxLength 3' });
    });

    it('reports the first failure with its full path', () => {
      const validate = compileSchema({
        properties: { slots: { items: { properties: { candidates: { items: { required: ['landingUrl'] } } } } } },
      });
      const result = validate({ slots: [{ candidates: [{ landingUrl: 'x' }, {}] }] });
      expect(refusal(result)).to.deep.equal({ path: '/slots/0/candidates/1/landingUrl', message: 'is required' });
    });
  });

  it('skips annotations', () => {
    const schema = { $schema: 'x', $id: 'y', $comment: 'z', title: 't', description: 'd', type: 'null' };
    expect(compileSchema(schema)(null).ok).to.equal(true);
  });

  describe('hostile data', () => {
    const tree = {
      $ref: '#/$defs/node',
      $defs: { node: { type: 'object', properties: { child: { $ref: '#/$defs/node' } } } },
    };
    const nest = (depth: number) => {
      let value: Record<string, unknown> = {};
      for (let level = 0; level < depth; level++) value = { child: value };
      return value;
    };

    it('stops at the depth cap instead of overflowing the stack', () => {
      const validate = compileSchema(tree);
      expect(validate(nest(30)).ok).to.equal(true);
      const result = validate(nest(100_000));
      expect(result.ok).to.equal(false);
      expect(refusal(result)?.message).to.equal('is nested too deeply');
      expect(compileSchema(tree, { maxDepth: 5 })(nest(6)).ok).to.equal(false);
    });

    it('turns a throwing getter or a revoked proxy into a refusal', () => {
      const validate = compileSchema({ properties: { a: { type: 'string' } } });
      const getter = Object.defineProperty({}, 'a', {
        enumerable: true,
        get() {
          throw new Error('boom');
        },
      });
      expect(validate(getter)).to.deep.equal({ ok: false, path: '', message: 'could not be read' });
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      expect(() => validate(proxy)).not.to.throw();
      expect(validate(proxy).ok).to.equal(false);
    });

    it('never writes into the data', () => {
      const validate = compileSchema({ required: ['a'], properties: { a: { items: { type: 'string' } } } });
      const data = Object.freeze({ a: Object.freeze(['x', 1]) });
      expect(validate(data).ok).to.equal(false);
      expect(data).to.deep.equal({ a: ['x', 1] });
    });

    it('works without eval or new Function, as under a strict CSP', () => {
      const globals = globalThis as { eval: unknown; Function: unknown };
      const { eval: realEval, Function: realFunction } = globals;
      const forbidden = () => {
        throw new EvalError('refused by CSP');
      };
      globals.eval = forbidden;
      globals.Function = forbidden;
      try {
        const validate = compileSchema({ type: 'object', properties: { a: { pattern: '^x' } } });
        expect(validate({ a: 'xy' }).ok).to.equal(true);
        expect(validate({ a: 'y' }).ok).to.equal(false);
      } finally {
        globals.eval = realEval;
        globals.Function = realFunction;
      }
    });
  });
});
