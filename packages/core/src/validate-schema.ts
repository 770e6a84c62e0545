/**
 * A small JSON Schema (draft 2020-12) interpreter for the subset that opslot's schema files use.
 *
 * Why not Ajv: Ajv compiles schemas with `new Function`, which a bank's strict CSP forbids, and costs tens of
 * kilobytes. This one walks closures built once per schema, reads data only through own properties, never writes
 * into it, and stops at a depth cap, so a hostile response can neither pollute a prototype nor blow the stack.
 */

/**
 * Outcome of a check: the first failure names its JSON Pointer, such as `/slots/0/candidates/1/landingUrl`
 * (built from the schema's own property names, which need no `~` escaping), and says what rule it broke.
 * Messages never quote the data, which may be huge or personal.
 */
export type ValidationResult = { ok: true } | { ok: false; path: string; message: string };

/** A compiled schema. Never throws, whatever it is given. */
export type Validator = (value: unknown) => ValidationResult;

export interface CompileOptions {
  /** How many arrays and objects deep the validator descends before refusing; default 32. */
  maxDepth?: number;
  /**
   * Schema files that `$ref`s outside the root may name, by file name. `true` accepts any value there: the part is
   * checked later by the code that uses it (a lazy chunk), so that the first load does not carry its rules.
   */
  refs?: Record<string, true>;
}

type Failure = [path: string, message: string];
type Check = (value: unknown, path: string, depth: number) => Failure | undefined;
type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const TYPES = new Map<unknown, (value: unknown) => boolean>([
  ['object', isObject],
  ['array', Array.isArray],
  ['string', (value) => typeof value === 'string'],
  ['integer', Number.isInteger],
  ['number', Number.isFinite],
  ['boolean', (value) => typeof value === 'boolean'],
  ['null', (value) => value === null],
]);

/**
 * What each bound keyword measures, NaN where it does not apply (no comparison with NaN fails); `min…` keywords are
 * lower bounds. JSON Schema counts characters as code points, as the server's validator does, not UTF-16 units.
 */
type Measure = (value: unknown) => number;
const itemCount: Measure = (value) => (Array.isArray(value) ? value.length : NaN);
const charCount: Measure = (value) => (typeof value === 'string' ? [...value].length : NaN);
const numeric: Measure = (value) => (typeof value === 'number' ? value : NaN);
export const BOUNDS = new Map([
  ['minItems', itemCount],
  ['maxItems', itemCount],
  ['minLength', charCount],
  ['maxLength', charCount],
  ['minimum', numeric],
  ['maximum', numeric],
]);

/**
 * Compiles one of opslot's own schemas into a validator, which never throws.
 *
 * Supported: `type`, `properties`, `required`, `items`, `minItems`, `maxItems`, `minLength`, `maxLength`,
 * `pattern`, `enum`, `const`, `minimum`, `maximum`, `$ref` to `#/$defs/…` of the root, and `$ref` to a file named
 * in `refs`. Unknown properties in the data are allowed, as the protocol says.
 *
 * The schema is trusted to stay within that subset: any other keyword would be skipped. {@link checkSchema}
 * (check-schema.ts), which the tests run over every schema opslot compiles, refuses anything else, so that no rule is
 * ever silently skipped; checking here instead would cost every page view its bytes (about 150 B gzip of the entry).
 *
 * @example
 * const validate = compileSchema({ type: 'object', required: ['v'], properties: { v: { const: 1 } } });
 * validate({ v: 2 }); // { ok: false, path: '/v', message: 'violates const 1' }
 */
export function compileSchema(schema: unknown, { maxDepth = 32, refs = {} }: CompileOptions = {}): Validator {
  const defs = ((schema as Json).$defs ?? {}) as Json;
  const compiledDefs = new Map<string, Check>();

  const compile = (node: Json): Check => {
    const checks: Check[] = [];
    const add = (check: Check) => checks.push(check);

    for (const [keyword, arg] of Object.entries(node)) {
      // A check of the value itself, failing at its own path; by default the message names the rule.
      const rule = (test: (value: unknown) => boolean, message = `violates ${keyword} ${arg}`) =>
        add((value, path) => (test(value) ? undefined : [path, message]));
      const measure = BOUNDS.get(keyword);
      if (measure) {
        const limit = arg as number;
        const lower = keyword.startsWith('min');
        rule((value) => !(lower ? measure(value) < limit : measure(value) > limit));
        continue;
      }
      switch (keyword) {
        case 'type':
          rule(TYPES.get(arg) as (value: unknown) => boolean, `must be ${arg}`);
          break;
        case 'const':
          rule((value) => value === arg);
          break;
        case 'enum': {
          rule((value) => (arg as unknown[]).includes(value));
          break;
        }
        case 'pattern': {
          // The `u` flag is what JSON Schema's ECMA-262 patterns mean; `new RegExp` is not eval, so CSP allows it.
          const regexp = new RegExp(arg as string, 'u');
          rule((value) => typeof value !== 'string' || regexp.test(value));
          break;
        }
        case 'required':
          for (const name of arg as string[]) {
            add((value, path) =>
              isObject(value) && !Object.hasOwn(value, name) ? [`${path}/${name}`, 'is required'] : undefined,
            );
          }
          break;
        case 'properties':
          // One check per property, each a no-op where the data lacks it: failures come in the schema's order.
          for (const [key, sub] of Object.entries(arg as Json)) {
            const check = compile(sub as Json);
            add((value, path, depth) =>
              isObject(value) && Object.hasOwn(value, key) ? check(value[key], `${path}/${key}`, depth + 1) : undefined,
            );
          }
          break;
        case 'items': {
          const check = compile(arg as Json);
          add((value, path, depth) => {
            if (!Array.isArray(value)) return;
            for (let index = 0; index < value.length; index++) {
              const failure = check(value[index], `${path}/${index}`, depth + 1);
              if (failure) return failure;
            }
          });
          break;
        }
        case '$ref': {
          if (Object.hasOwn(refs, String(arg))) break;
          const name = /^#\/\$defs\/([\w-]+)$/.exec(String(arg))?.[1] as string;
          // Looked up when checking, because a definition may refer to one compiled after it.
          add((value, path, depth) => compiledDefs.get(name)?.(value, path, depth));
          break;
        }
        // Anything else is `$defs` (compiled below) or an annotation, which only documents a schema.
      }
    }

    return (value, path, depth) => {
      if (depth > maxDepth) return [path, 'is nested too deeply'];
      for (const check of checks) {
        const failure = check(value, path, depth);
        if (failure) return failure;
      }
    };
  };

  for (const [name, def] of Object.entries(defs)) compiledDefs.set(name, compile(def as Json));
  const root = compile(schema as Json);

  return (value) => {
    try {
      const failure = root(value, '', 0);
      return failure ? { ok: false, path: failure[0], message: failure[1] } : { ok: true };
    } catch {
      // JSON never gets here; only a hostile non-JSON value does, such as a throwing getter or a revoked Proxy.
      return { ok: false, path: '', message: 'could not be read' };
    }
  };
}
