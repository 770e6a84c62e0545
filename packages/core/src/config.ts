import { CHANNELS, type Channel, type FrequencyRules, type Size } from './protocol.js';
import { toSafeUrl } from './safe-url.js';

/** A slot declared centrally by the page, so that its tags need only a `slot-id`. */
export interface SlotConfig {
  size: Size;
  /** Formats the slot accepts; the element's defaults when absent. */
  formats?: string[];
}

/** What an empty or failed slot does: give its reserved space back to the page, or keep it. */
export const COLLAPSE_MODES = { collapse: 'collapse', keepSpace: 'keep-space' } as const;
export type CollapseMode = (typeof COLLAPSE_MODES)[keyof typeof COLLAPSE_MODES];

/**
 * How far from the viewport, in percent of its height, a slot is requested and rendered (as Google Publisher Tag's
 * `enableLazyLoad`): 100 means one viewport above or below.
 */
export interface LazyLoadConfig {
  fetchMarginPercent: number;
  renderMarginPercent: number;
}

/** The page's configuration once resolved and validated. */
export interface OpslotConfig {
  /** Absolute URL of the decision API, resolved against the page; `https:`, or `http:` on an `http:` page. */
  endpoint: string;
  channel: Channel;
  /** The bank's name for the page, such as `home`; default `default`. */
  pageId: string;
  /** BCP 47 tag; default the page's `lang`, else `zh-CN`. */
  locale: string;
  /** Opaque key chosen by the bank (a salted hash or random id); absent for an anonymous page. */
  operator?: string;
  /** Whether the operator consented to personalised decisions; default true. */
  personalized: boolean;
  /** Budget of one decision request in milliseconds, 100..30000; default 1500. */
  timeoutMs: number;
  /** Slot catalogue by slot id. It has no prototype, so a slot id such as `constructor` finds nothing it was not given. */
  slots: Record<string, SlotConfig>;
  /**
   * Public keys (JWK, given as one or an array) that decision answers must be signed with; absent, answers need no
   * signature. Only their shape is checked here; `importVerificationKeys` imports them.
   */
  publicKey?: JsonWebKey[];
  /** Margins of lazy loading, or false to request and render every slot at once; default 100 % for both. */
  lazyLoad: LazyLoadConfig | false;
  /** Default `collapse`. */
  collapse: CollapseMode;
  /** Page ids where opslot never fetches or renders, such as a transfer confirmation or signing page; default none. */
  quietPages: string[];
  /** URL path prefixes, each starting with `/`, where opslot never fetches or renders; default none. See {@link isQuiet}. */
  quietPaths: string[];
  /**
   * Contact-frequency rules for every creative of the page, on top of each creative's own (docs/protocol.md,
   * "Frequency rules"), and `timeZone`, the IANA time zone of the bank's calendar days and weeks (default
   * `Asia/Shanghai`). Only its shape as an object is checked here; the ledger checks the rest when it loads.
   */
  frequency?: FrequencyRules & { timeZone?: string };
  /** Share of page views, 0..1, that report the page's Core Web Vitals with the slots' part in them; default none. */
  vitalsSampleRate?: number;
  /**
   * The bank's own host names, such as `demobank.example` (punycode for an internationalised name, checked with the
   * protocol's id pattern to keep the entry small); a landing host equal to one or below one (`www.`…), in any case,
   * is the bank's own and opens without the leave-the-bank notice. Absent means none.
   */
  bankDomains?: string[];
  /**
   * Whether a click that leaves the bank's domains first shows the leave-the-bank notice. Absent means the channel's
   * default, true on `corporate-web` and `corporate-mobile`, false on personal channels; the click path (a lazy chunk)
   * applies it, so the entry does not carry it.
   */
  leaveNotice?: boolean;
}

/** What the page's JSON block or a `configure()` call may hold; every field is checked by {@link checkConfig}. */
export type OpslotConfigInput = { [Key in keyof OpslotConfig]?: unknown };

export const CONFIG_ERRORS = {
  invalidJson: 'config-invalid-json',
  invalidBlock: 'config-invalid-block',
  invalidInput: 'config-invalid-input',
  missingEndpoint: 'config-missing-endpoint',
  invalidEndpoint: 'config-invalid-endpoint',
  missingChannel: 'config-missing-channel',
  invalidChannel: 'config-invalid-channel',
  invalidPageId: 'config-invalid-page-id',
  invalidLocale: 'config-invalid-locale',
  invalidOperator: 'config-invalid-operator',
  operatorLooksPersonal: 'config-operator-looks-personal',
  invalidPersonalized: 'config-invalid-personalized',
  invalidTimeout: 'config-invalid-timeout',
  invalidSlot: 'config-invalid-slot',
  invalidPublicKey: 'config-invalid-public-key',
  invalidLazyLoad: 'config-invalid-lazy-load',
  invalidCollapse: 'config-invalid-collapse',
  invalidQuietPages: 'config-invalid-quiet-pages',
  invalidQuietPaths: 'config-invalid-quiet-paths',
  invalidFrequency: 'config-invalid-frequency',
  invalidVitalsSampleRate: 'config-invalid-vitals',
  invalidBankDomains: 'config-invalid-bank-domains',
  invalidLeaveNotice: 'config-invalid-leave-notice',
  /** Some problem, which cannot be told more precisely because the code that tells it did not load. */
  invalid: 'config-invalid',
} as const;
export type ConfigErrorCode = (typeof CONFIG_ERRORS)[keyof typeof CONFIG_ERRORS];

/** A configuration problem. Messages name the field but never quote the operator, which might be personal data. */
export interface ConfigError {
  code: ConfigErrorCode;
  message: string;
}

/**
 * A configuration problem as {@link checkConfig} finds it: what it is about (a field, `slots`, `slots.<id>`, the
 * `#opslot-config` block, or the `configuration` given) and what is wrong with it. Its {@link ConfigError} code and
 * message load only when there is a problem (describe-config-problem.ts), so a page that is configured right never
 * fetches them.
 */
export interface ConfigProblem {
  field: string;
  /**
   * `missing` (a required field), `invalid`, `personal` (an operator key that looks like personal data); for the
   * block, `json` (malformed) or `block` (not a JSON script); `input` for a configuration that is not a readable object.
   */
  kind: 'missing' | 'invalid' | 'personal' | 'json' | 'block' | 'input';
}

/** The `id` of the page's configuration block: `<script type="application/json" id="opslot-config">`. */
export const CONFIG_BLOCK_ID = 'opslot-config';

// Patterns of decision-request.v1.schema.json; config.test.ts checks that both accept the same values. The lookahead
// in LOCALE_PATTERN is the schema's maxLength of 35.
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const LOCALE_PATTERN = /^(?!.{36})[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const FORMAT_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
const OPERATOR_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

/** Gives a field's value as the config holds it, or undefined when the value is invalid. */
type Rule = (value: unknown) => unknown;
type Field = Exclude<keyof OpslotConfig, 'slots'>;

const matches = (pattern: RegExp) => (value: unknown) =>
  typeof value === 'string' && pattern.test(value) ? value : undefined;
/** The value when it is an id of the protocol (slot, page, creative, …), else undefined. */
export const isId = matches(ID_PATTERN);
const isLocale = matches(LOCALE_PATTERN);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const inRange = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && value >= min && value <= max;
const isWhole = (value: unknown, min: number, max: number) => Number.isInteger(value) && inRange(value, min, max);
const oneOf = (values: readonly unknown[]) => (value: unknown) => (values.includes(value) ? value : undefined);
/** A copy of the array when every item passes. */
const listOf = (check: (item: unknown) => unknown) => (value: unknown) =>
  Array.isArray(value) && value.every(check) ? [...value] : undefined;

/** Shape only: WebCrypto checks the rest when the key is imported. A private key (`d`) must never reach a page. */
const isPublicJwk = (value: unknown) =>
  isRecord(value) &&
  !('d' in value) &&
  ['kty', 'crv', 'x'].every((name) => typeof value[name] === 'string') &&
  (value.y === undefined || typeof value.y === 'string');

/** One public key or an array of them, as an array. */
const toPublicKeys = (value: unknown) => {
  const keys = Array.isArray(value) ? value : [value];
  return keys.length > 0 && keys.every(isPublicJwk) ? keys : undefined;
};

/** `true` means the default margins, as does a missing margin. */
function toLazyLoad(value: unknown): LazyLoadConfig | false | undefined {
  if (value === false) return false;
  const { fetchMarginPercent = 100, renderMarginPercent = 100 } = (value === true ? {} : value) as LazyLoadConfig;
  return (value === true || isRecord(value)) &&
    inRange(fetchMarginPercent, 0, 1000) &&
    inRange(renderMarginPercent, 0, 1000)
    ? { fetchMarginPercent, renderMarginPercent }
    : undefined;
}

// Problems made by readConfigBlock, recognised by identity: nothing that JSON.parse or a page builds can pass for one.
const blockProblems = new WeakSet<object>();

/**
 * Reads the page's `<script type="application/json" id="opslot-config">`. Returns undefined when there is none,
 * the parsed JSON otherwise, or a {@link ConfigProblem} when the block is malformed. Pass the result to
 * {@link checkConfig} (or `resolveConfig`) as it is: the problem then shows up among its own. Never throws.
 *
 * @example
 * const { config, problems } = checkConfig([readConfigBlock(document)], { locale: 'zh-CN', baseUrl: location.href });
 */
export function readConfigBlock(doc: Document): unknown {
  const element = doc.getElementById(CONFIG_BLOCK_ID);
  if (!element) return undefined;
  const problem: ConfigProblem = { field: `#${CONFIG_BLOCK_ID}`, kind: 'block' };
  // `\s` and `i` allow what trim() and toLowerCase() would.
  if (element.localName === 'script' && /^\s*application\/json\s*$/i.test(element.getAttribute('type') ?? '')) {
    try {
      return JSON.parse(element.textContent as string);
    } catch {
      // The parser's own message quotes the text, which may hold the operator key; it is not passed on.
      problem.kind = 'json';
    }
  }
  blockProblems.add(problem);
  return problem;
}

/** The default of a field that must be given. */
const REQUIRED = {};

/**
 * Merges configuration inputs in order (the JSON block first, then each `configure()` call) and validates the result.
 * A later input overrides an earlier one field by field, and slot by slot in `slots`; `undefined` leaves a field as
 * it was, `null` clears it (so `configure({ operator: null })` on logout makes the page anonymous). Unknown keys are
 * ignored. `config` is present only when there is no problem: a misconfigured page shows no slots rather than wrong
 * ones. `resolveConfig` (resolve-config.ts) gives the problems in words.
 *
 * Defaults: `pageId` `default`, `locale` from `defaults.locale` (the page's `lang`) when valid else `zh-CN`,
 * `personalized` true, `timeoutMs` 1500, `lazyLoad` 100 % for both margins (`true` also means that), `collapse`
 * `collapse`, no quiet pages or paths, no `publicKey`. `endpoint` and `channel` are required.
 *
 * @example
 * checkConfig([{ endpoint: '/v1/', channel: 'corporate-web' }], { locale: 'zh-CN', baseUrl: 'https://bank.example/' });
 * // { config: { endpoint: 'https://bank.example/v1/', channel: 'corporate-web', pageId: 'default', … }, problems: [] }
 */
export function checkConfig(
  inputs: readonly unknown[],
  defaults: { locale: string; baseUrl: string },
): { config?: OpslotConfig; problems: ConfigProblem[] } {
  // Checked in this order. A REQUIRED field that is absent is `missing`; an optional one without a default is left
  // out. A value a rule refuses is `invalid` unless the rule says otherwise.
  const fields: [field: Field, rule: Rule, fallback?: unknown, kind?: ConfigProblem['kind']][] = [
    // toSafeUrl refuses a value that is not a string.
    ['endpoint', (value) => toSafeUrl(value as string, defaults.baseUrl)?.href, REQUIRED],
    ['channel', oneOf(CHANNELS), REQUIRED],
    ['pageId', isId, 'default'],
    ['locale', isLocale, isLocale(defaults.locale) ?? 'zh-CN'],
    // Before the pattern, which digits alone pass. A field's later rules run only when its earlier ones passed.
    ['operator', (value) => (looksPersonal(value) ? undefined : value), undefined, 'personal'],
    ['operator', matches(OPERATOR_PATTERN)],
    ['personalized', oneOf([true, false]), true],
    ['timeoutMs', (value) => (isWhole(value, 100, 30_000) ? value : undefined), 1500],
    ['publicKey', toPublicKeys],
    ['lazyLoad', toLazyLoad, true],
    ['collapse', oneOf(Object.values(COLLAPSE_MODES)), 'collapse'],
    ['quietPages', listOf(isId), []],
    ['quietPaths', listOf((path) => typeof path === 'string' && path[0] === '/'), []],
    ['frequency', (value) => (isRecord(value) ? value : undefined)],
    ['vitalsSampleRate', (value) => (inRange(value, 0, 1) ? value : undefined)],
    ['bankDomains', listOf(isId)],
    ['leaveNotice', oneOf([true, false])],
  ];

  const problems: ConfigProblem[] = [];
  const report = (kind: ConfigProblem['kind'], field: string) => problems.push({ field, kind });
  // By field name. A `null` stays here and clears the field back to its default below.
  const given: Record<string, unknown> = {};
  let slotInputs: Record<string, unknown> = {};

  for (const input of inputs) {
    if (blockProblems.has(input as object)) problems.push(input as ConfigProblem);
    else if (isRecord(input)) {
      try {
        // Only own, known keys are read, so `__proto__` or `constructor` in the JSON never reach the result.
        const own = (key: string) => (Object.hasOwn(input, key) ? input[key] : undefined);
        for (const [key] of fields) {
          const value = own(key);
          if (value !== undefined) given[key] = value;
        }
        const value = own('slots');
        // Spreading copies `__proto__` as a plain key, which the slot id pattern then refuses.
        if (isRecord(value)) slotInputs = { ...slotInputs, ...value };
        else if (value === null) slotInputs = {};
        else if (value !== undefined) report('invalid', 'slots');
      } catch {
        // Only a page's own object can get here, through a throwing getter or a Proxy.
        report('input', 'configuration');
      }
    } else if (input != null) report('input', 'configuration');
  }

  const slots: Record<string, SlotConfig> = Object.create(null);
  const config: Record<string, unknown> = { slots };
  for (const [key, rule, fallback, kind = 'invalid'] of fields) {
    const value = given[key] ?? fallback;
    if (value === REQUIRED) report('missing', key);
    else if (value !== undefined) {
      config[key] = rule(value);
      if (config[key] === undefined) {
        report(kind, key);
        delete given[key];
      }
    }
  }
  for (const id of Object.keys(slotInputs)) {
    const slot = isId(id) && toSlotConfig(slotInputs[id]);
    if (slot) slots[id] = slot;
    else report('invalid', `slots.${id.slice(0, 64)}`);
  }

  return problems.length > 0 ? { problems } : { config: config as unknown as OpslotConfig, problems };
}

/**
 * Whether opslot stays silent on this page: its `pageId` is among `quietPages`, or `pathname` starts with one of
 * `quietPaths`. Prefixes match as written (`/transfer` also quiets `/transfers`; `/transfer/` only what is below) and
 * ignore case and percent-encoding, so that `/转账` quiets `/%E8%BD%AC%E8%B4%A6`: a quiet page shown an ad by mistake
 * is worse than a page left quiet.
 *
 * @example
 * isQuiet(config, location.pathname); // true on /transfer/confirm with quietPaths: ['/transfer/confirm']
 */
export function isQuiet(config: OpslotConfig, pathname: string): boolean {
  let decoded = pathname;
  try {
    decoded = decodeURI(pathname);
  } catch {
    // A malformed escape: the path is matched as it is.
  }
  return (
    config.quietPages.includes(config.pageId) ||
    config.quietPaths.some((prefix) =>
      [pathname, decoded].some((path) => path.toLowerCase().startsWith(prefix.toLowerCase())),
    )
  );
}

/** A copy of the slot, or undefined when it is invalid: a size in whole pixels, and 1 to 10 formats when given. */
function toSlotConfig(slot: unknown): SlotConfig | undefined {
  const { size, formats } = isRecord(slot) ? slot : {};
  const pixels = listOf((side) => isWhole(side, 1, 10_000))(size) as Size | undefined;
  const checked = listOf(matches(FORMAT_PATTERN))(formats) as string[] | undefined;
  if (pixels?.length !== 2) return undefined;
  if (formats === undefined) return { size: pixels };
  return isWhole(checked?.length, 1, 10) ? { size: pixels, formats: checked } : undefined;
}

/**
 * Values a bank might pass by mistake instead of an opaque key. Digits alone match the protocol's operator pattern,
 * so they need their own guard. One pattern, three alternatives: digits and separators only (a phone, or any
 * all-digit number); an e-mail address; or, as a whole group between separators (or the ends), an 11-digit mainland
 * mobile, a card or account number (15–19 digits) or a resident ID (18 characters, the last may be X). Only whole
 * groups count, so that a UUID or hex hash is not refused for a run of digits inside a longer key.
 */
const PERSONAL =
  /^(?=.*\d)[\d\s()+.:_-]+$|[^\s@]@[^\s@]+\.[^\s@]|(?:^|[\s()+.:_-])(?:1\d{10}|\d{15,19}|\d{17}[Xx])(?:$|[\s()+.:_-])/;

const looksPersonal = (value: unknown) => typeof value === 'string' && PERSONAL.test(value);
