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

/** Keywords that only document a schema; `$defs` is read where `$ref` resolves. */
const ANNOTATIONS = new Set(['$schema', '$id', '$comment', 'title', 'description']);

function fail(message: string): never {
  throw new Error(`Invalid schema: ${message}`);
}

type Measure = (value: unknown) => number | undefined;
const itemCount: Measure = (value) => (Array.isArray(value) ? value.length : undefined);
// JSON Schema counts characters as code points, as the server's validator does, not as UTF-16 units.
const charCount: Measure = (value) => (typeof value === 'string' ? [...value].length : undefined);
const numeric: Measure = (value) => (typeof value === 'number' ? value : undefined);

/** The bound keywords: what each one measures (undefined where it does not apply) and whether it is a lower bound. */
const BOUNDS = new Map<string, [Measure, boolean]>([
  ['minItems', [itemCount, true]],
  ['maxItems', [itemCount, false]],
  ['minLength', [charCount, true]],
  ['maxLength', [charCount, false]],
  ['minimum', [numeric, true]],
  ['maximum', [numeric, false]],
]);

/**
 * Compiles a schema into a validator. Throws at compile time on any keyword outside the supported subset, so a rule
 * is never silently skipped; the returned validator itself never throws.
 *
 * Supported: `type`, `properties`, `required`, `items`, `minItems`, `maxItems`, `minLength`, `maxLength`,
 * `pattern`, `enum`, `const`, `minimum`, `maximum`, and `$ref` to `#/$defs/…` of the root. Unknown properties in
 * the data are allowed, as the protocol says.
 *
 * @example
 * const validate = compileSchema({ type: 'object', required: ['v'], properties: { v: { const: 1 } } });
 * validate({ v: 2 }); // { ok: false, path: '/v', message: 'must be 1' }
 */
export function compileSchema(schema: unknown, { maxDepth = 32 }: CompileOptions = {}): Validator {
  const defs = isObject(schema) && isObject(schema.$defs) ? schema.$defs : {};
  const compiledDefs = new Map<string, Check>();

  const compile = (node: unknown, isRoot = false): Check => {
    if (!isObject(node)) fail('not an object');
    const checks: Check[] = [];
    const add = (check: Check) => checks.push(check);

    for (const [keyword, arg] of Object.entries(node)) {
      const bound = BOUNDS.get(keyword);
      if (bound) {
        const [measure, lower] = bound;
        const limit = Number.isFinite(arg) ? (arg as number) : fail(keyword);
        add((value, path) => {
          const measured = measure(value);
          return measured !== undefined && (lower ? measured < limit : measured > limit)
            ? [path, `violates ${keyword} ${limit}`]
            : undefined;
        });
        continue;
      }
      switch (keyword) {
        case 'type': {
          const test = TYPES.get(arg) ?? fail(`type ${arg}`);
          add((value, path) => (test(value) ? undefined : [path, `must be ${arg}`]));
          break;
        }
        case 'properties': {
          if (!isObject(arg)) fail(keyword);
          const properties = Object.entries(arg).map(([key, sub]) => [key, `/${key}`, compile(sub)] as const);
          add((value, path, depth) => {
            if (isObject(value)) {
              for (const [key, segment, check] of properties) {
                const failure = Object.hasOwn(value, key) ? check(value[key], path + segment, depth + 1) : undefined;
                if (failure) return failure;
              }
            }
          });
          break;
        }
        case 'required': {
          const names: unknown[] = Array.isArray(arg) ? arg : fail(keyword);
          add((value, path) => {
            const missing = isObject(value) ? names.find((name) => !Object.hasOwn(value, name as string)) : undefined;
            return missing === undefined ? undefined : [`${path}/${missing}`, 'is required'];
          });
          break;
        }
        case 'items': {
          const check = compile(arg);
          add((value, path, depth) => {
            if (Array.isArray(value)) {
              for (let index = 0; index < value.length; index++) {
                const failure = check(value[index], `${path}/${index}`, depth + 1);
                if (failure) return failure;
              }
            }
          });
          break;
        }
        case 'pattern': {
          // The `u` flag is what JSON Schema's ECMA-262 patterns mean; `new RegExp` is not eval, so CSP allows it.
          const regexp = typeof arg === 'string' ? new RegExp(arg, 'u') : fail(keyword);
          add((value, path) =>
            typeof value === 'string' && !regexp.test(value) ? [path, `must match ${arg}`] : undefined,
          );
          break;
        }
        case 'enum': {
          const allowed = Array.isArray(arg) ? arg : fail(keyword);
          add((value, path) => (allowed.includes(value) ? undefined : [path, `must be one of ${allowed.join(', ')}`]));
          break;
        }
        case 'const':
          add((value, path) => (value === arg ? undefined : [path, `must be ${arg}`]));
          break;
        case '$ref': {
          const name = /^#\/\$defs\/([\w-]+)$/.exec(String(arg))?.[1];
          if (name === undefined || !Object.hasOwn(defs, name)) fail(`$ref ${arg}`);
          // Looked up when checking, because a definition may refer to one compiled after it.
          add((value, path, depth) => compiledDefs.get(name)?.(value, path, depth));
          break;
        }
        case '$defs':
          if (!isRoot || !isObject(arg)) fail(keyword);
          break;
        default:
          if (!ANNOTATIONS.has(keyword)) fail(`unsupported keyword ${keyword}`);
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
  const root = compile(schema, true);

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
