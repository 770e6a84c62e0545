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

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const TYPES = new Map<unknown, (value: unknown) => boolean>([
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
const BOUNDS = new Map([
  ['minItems', itemCount],
  ['maxItems', itemCount],
  ['minLength', charCount],
  ['maxLength', charCount],
  ['minimum', numeric],
  ['maximum', numeric],
]);

function fail(keyword: string): never {
  throw new Error(`Invalid schema: ${keyword}`);
}

/**
 * Compiles a schema into a validator. Throws at compile time on any keyword outside the supported subset, so a rule
 * is never silently skipped; the returned validator itself never throws.
 *
 * Supported: `type`, `properties`, `required`, `items`, `minItems`, `maxItems`, `minLength`, `maxLength`,
 * `pattern`, `enum`, `const`, `minimum`, `maximum`, `$ref` to `#/$defs/…` of the root, and `$ref` to a file named
 * in `refs`. Unknown properties in
 * the data are allowed, as the protocol says.
 *
 * @example
 * const validate = compileSchema({ type: 'object', required: ['v'], properties: { v: { const: 1 } } });
 * validate({ v: 2 }); // { ok: false, path: '/v', message: 'violates const 1' }
 */
export function compileSchema(schema: unknown, { maxDepth = 32, refs = {} }: CompileOptions = {}): Validator {
  const defs = isObject(schema) && isObject(schema.$defs) ? schema.$defs : {};
  const compiledDefs = new Map<string, Check>();

  const compile = (node: unknown): Check => {
    if (!isObject(node)) fail('not an object');
    const checks: Check[] = [];
    const add = (check: Check) => checks.push(check);

    for (const [keyword, arg] of Object.entries(node)) {
      // A check of the value itself, failing at its own path; by default the message names the rule.
      const rule = (test: (value: unknown) => boolean, message = `violates ${keyword} ${arg}`) =>
        add((value, path) => (test(value) ? undefined : [path, message]));
      const measure = BOUNDS.get(keyword);
      if (measure) {
        const limit = Number.isFinite(arg) ? (arg as number) : fail(keyword);
        const lower = keyword.startsWith('min');
        rule((value) => !(lower ? measure(value) < limit : measure(value) > limit));
        continue;
      }
      switch (keyword) {
        case 'type':
          rule(TYPES.get(arg) ?? fail(keyword), `must be ${arg}`);
          break;
        case 'const':
          rule((value) => value === arg);
          break;
        case 'enum': {
          const allowed = Array.isArray(arg) ? arg : fail(keyword);
          rule((value) => allowed.includes(value));
          break;
        }
        case 'pattern': {
          // The `u` flag is what JSON Schema's ECMA-262 patterns mean; `new RegExp` is not eval, so CSP allows it.
          const regexp = typeof arg === 'string' ? new RegExp(arg, 'u') : fail(keyword);
          rule((value) => typeof value !== 'string' || regexp.test(value));
          break;
        }
        case 'required':
          for (const name of Array.isArray(arg) ? arg : fail(keyword)) {
            add((value, path) =>
              isObject(value) && !Object.hasOwn(value, name) ? [`${path}/${name}`, 'is required'] : undefined,
            );
          }
          break;
        case 'properties':
          // One check per property, each a no-op where the data lacks it: failures come in the schema's order.
          for (const [key, sub] of Object.entries(isObject(arg) ? arg : fail(keyword))) {
            const check = compile(sub);
            add((value, path, depth) =>
              isObject(value) && Object.hasOwn(value, key) ? check(value[key], `${path}/${key}`, depth + 1) : undefined,
            );
          }
          break;
        case 'items': {
          const check = compile(arg);
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
          const name = /^#\/\$defs\/([\w-]+)$/.exec(String(arg))?.[1];
          if (name === undefined || !Object.hasOwn(defs, name)) fail(keyword);
          // Looked up when checking, because a definition may refer to one compiled after it.
          add((value, path, depth) => compiledDefs.get(name)?.(value, path, depth));
          break;
        }
        case '$defs':
          // Only the root's: `$ref` resolves against it.
          if (node !== schema || !isObject(arg)) fail(keyword);
          break;
        // Annotations only document a schema.
        case '$schema':
        case '$id':
        case '$comment':
        case 'title':
        case 'description':
          break;
        default:
          fail(keyword);
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

  for (const [name, def] of Object.entries(defs)) compiledDefs.set(name, compile(def));
  const root = compile(schema);

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
