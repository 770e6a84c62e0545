import { BOUNDS, type CompileOptions, isObject, TYPES } from './validate-schema.js';

/** Keywords that only document a schema. */
const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description']);

function fail(keyword: string): never {
  throw new Error(`Invalid schema: ${keyword}`);
}

/**
 * Throws `Invalid schema: <keyword>` unless `schema` stays within the subset that `compileSchema` implements
 * (validate-schema.ts): a keyword outside it, a misspelt or malformed one, a `$ref` that resolves to nothing, `$defs`
 * below the root. `compileSchema` trusts its schema, so that the entry does not carry these checks; the tests run
 * this over every schema opslot compiles, so that no rule is ever silently skipped.
 *
 * @example
 * checkSchema({ type: 'string', format: 'uri' }); // throws Invalid schema: format
 */
export function checkSchema(schema: unknown, { refs = {} }: Pick<CompileOptions, 'refs'> = {}): void {
  const defs = isObject(schema) && isObject(schema.$defs) ? schema.$defs : {};
  const check = (node: unknown): void => {
    if (!isObject(node)) fail('not an object');
    for (const [keyword, arg] of Object.entries(node)) {
      if (BOUNDS.has(keyword)) {
        if (!Number.isFinite(arg)) fail(keyword);
        continue;
      }
      switch (keyword) {
        case 'type':
          if (!TYPES.has(arg)) fail(keyword);
          break;
        case 'const':
          break;
        case 'enum':
        case 'required':
          if (!Array.isArray(arg)) fail(keyword);
          break;
        case 'pattern':
          // An invalid pattern throws here, as it would when compiled.
          if (typeof arg !== 'string') fail(keyword);
          new RegExp(arg, 'u');
          break;
        case 'properties':
          for (const sub of Object.values(isObject(arg) ? arg : fail(keyword))) check(sub);
          break;
        case 'items':
          check(arg);
          break;
        case '$ref': {
          if (Object.hasOwn(refs, String(arg))) break;
          const name = /^#\/\$defs\/([\w-]+)$/.exec(String(arg))?.[1];
          if (name === undefined || !Object.hasOwn(defs, name)) fail(keyword);
          break;
        }
        case '$defs':
          // Only the root's: `$ref` resolves against it.
          if (node !== schema || !isObject(arg)) fail(keyword);
          for (const def of Object.values(arg)) check(def);
          break;
        default:
          if (!ANNOTATIONS.has(keyword)) fail(keyword);
      }
    }
  };
  check(schema);
}
