import { CHANNELS, type Channel, type Size } from './protocol.js';
import { toSafeUrl } from './safe-url.js';

/** A slot declared centrally by the page, so that its tags need only a `slot-id`. */
export interface SlotConfig {
  size: Size;
  /** Formats the slot accepts; the element's defaults when absent. */
  formats?: string[];
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
}

/** What the page's JSON block or a `configure()` call may hold; every field is checked by {@link resolveConfig}. */
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
} as const;
export type ConfigErrorCode = (typeof CONFIG_ERRORS)[keyof typeof CONFIG_ERRORS];

/** A configuration problem. Messages name the field but never quote the operator, which might be personal data. */
export interface ConfigError {
  code: ConfigErrorCode;
  message: string;
}

/** The `id` of the page's configuration block: `<script type="application/json" id="opslot-config">`. */
export const CONFIG_BLOCK_ID = 'opslot-config';

// Patterns of decision-request.v1.schema.json; config.test.ts checks that both accept the same values.
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const LOCALE_PATTERN = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const FORMAT_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
const OPERATOR_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;
const LOCALE_MAX_LENGTH = 35;

const DEFAULT_LOCALE = 'zh-CN';
const DEFAULT_PAGE_ID = 'default';
const DEFAULT_TIMEOUT_MS = 1500;
const TIMEOUT_RANGE_MS = [100, 30_000] as const;
const MAX_SLOT_FORMATS = 10;
const MAX_SIZE_PX = 10_000;

const KEYS = ['endpoint', 'channel', 'pageId', 'locale', 'operator', 'personalized', 'timeoutMs'] as const;
type Key = (typeof KEYS)[number];

// Errors made by readConfigBlock, recognised by identity: nothing that JSON.parse or a page builds can pass for one.
const blockErrors = new WeakSet<object>();

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads the page's `<script type="application/json" id="opslot-config">`. Returns undefined when there is none,
 * the parsed JSON otherwise, or a {@link ConfigError} when the block is malformed. Pass the result to
 * {@link resolveConfig} as it is: the error then shows up among its errors. Never throws.
 *
 * @example
 * const { config, errors } = resolveConfig([readConfigBlock(document)], { locale: 'zh-CN', baseUrl: location.href });
 */
export function readConfigBlock(doc: Document): unknown {
  const element = doc.getElementById(CONFIG_BLOCK_ID);
  if (!element) return undefined;
  if (element.localName !== 'script' || element.getAttribute('type')?.trim().toLowerCase() !== 'application/json') {
    return blockError(CONFIG_ERRORS.invalidBlock, `#${CONFIG_BLOCK_ID} must be a <script type="application/json">`);
  }
  try {
    return JSON.parse(element.textContent ?? '');
  } catch {
    // The parser's own message quotes the text, which may hold the operator key; it is not passed on.
    return blockError(CONFIG_ERRORS.invalidJson, `#${CONFIG_BLOCK_ID} is not valid JSON`);
  }
}

function blockError(code: ConfigErrorCode, message: string): ConfigError {
  const error = { code, message };
  blockErrors.add(error);
  return error;
}

/**
 * Merges configuration inputs in order (the JSON block first, then each `configure()` call) and validates the result.
 * A later input overrides an earlier one field by field, and slot by slot in `slots`; `undefined` leaves a field as
 * it was, `null` clears it (so `configure({ operator: null })` on logout makes the page anonymous). Unknown keys are
 * ignored. `config` is present only when `errors` is empty: a misconfigured page shows no slots rather than wrong ones.
 *
 * Defaults: `pageId` `default`, `locale` from `defaults.locale` (the page's `lang`) when valid else `zh-CN`,
 * `personalized` true, `timeoutMs` 1500. `endpoint` and `channel` are required.
 *
 * @example
 * resolveConfig([{ endpoint: '/v1/', channel: 'corporate-web' }], { locale: 'zh-CN', baseUrl: 'https://bank.example/' });
 * // { config: { endpoint: 'https://bank.example/v1/', channel: 'corporate-web', pageId: 'default', … }, errors: [] }
 */
export function resolveConfig(
  inputs: readonly unknown[],
  defaults: { locale: string; baseUrl: string },
): { config?: OpslotConfig; errors: ConfigError[] } {
  const errors: ConfigError[] = [];
  const report = (code: ConfigErrorCode, message: string) => {
    errors.push({ code, message });
  };
  const fields = new Map<Key, unknown>();
  const slotInputs = new Map<string, unknown>();

  for (const input of inputs) {
    if (input === undefined || input === null) continue;
    if (typeof input === 'object' && blockErrors.has(input)) {
      errors.push(input as ConfigError);
    } else if (!isRecord(input)) {
      report(CONFIG_ERRORS.invalidInput, 'configuration must be an object');
    } else {
      try {
        mergeInput(input, fields, slotInputs, report);
      } catch {
        // Only a page's own object can get here, through a throwing getter or a Proxy.
        report(CONFIG_ERRORS.invalidInput, 'configuration could not be read');
      }
    }
  }

  const endpoint = fields.get('endpoint');
  const endpointUrl = typeof endpoint === 'string' ? toSafeUrl(endpoint, defaults.baseUrl) : null;
  if (endpoint === undefined) {
    report(CONFIG_ERRORS.missingEndpoint, 'endpoint is required: the URL of the decision API, such as "/v1/"');
  } else if (!endpointUrl) {
    report(
      CONFIG_ERRORS.invalidEndpoint,
      'endpoint must be an https URL (http only on an http page), without credentials',
    );
  }

  const channel = fields.get('channel');
  if (channel === undefined) {
    report(CONFIG_ERRORS.missingChannel, `channel is required: one of ${CHANNELS.join(', ')}`);
  } else if (!(CHANNELS as readonly unknown[]).includes(channel)) {
    report(CONFIG_ERRORS.invalidChannel, `channel must be one of ${CHANNELS.join(', ')}`);
  }

  const pageId = fields.get('pageId') ?? DEFAULT_PAGE_ID;
  if (!isString(pageId, ID_PATTERN)) {
    report(CONFIG_ERRORS.invalidPageId, `pageId must match ${ID_PATTERN.source}`);
  }

  const locale = fields.get('locale') ?? (isLocale(defaults.locale) ? defaults.locale : DEFAULT_LOCALE);
  if (!isLocale(locale)) {
    report(CONFIG_ERRORS.invalidLocale, 'locale must be a BCP 47 language tag, such as zh-CN');
  }

  const operator = fields.get('operator');
  if (operator !== undefined) {
    if (typeof operator === 'string' && looksPersonal(operator)) {
      report(
        CONFIG_ERRORS.operatorLooksPersonal,
        'operator looks like a phone, card, account or ID number or an e-mail address; pass an opaque key instead, such as a salted hash',
      );
    } else if (!isString(operator, OPERATOR_PATTERN)) {
      report(CONFIG_ERRORS.invalidOperator, `operator must match ${OPERATOR_PATTERN.source}`);
    }
  }

  const personalized = fields.get('personalized') ?? true;
  if (typeof personalized !== 'boolean') {
    report(CONFIG_ERRORS.invalidPersonalized, 'personalized must be true or false');
  }

  const timeoutMs = fields.get('timeoutMs') ?? DEFAULT_TIMEOUT_MS;
  const [minTimeout, maxTimeout] = TIMEOUT_RANGE_MS;
  if (!Number.isInteger(timeoutMs) || (timeoutMs as number) < minTimeout || (timeoutMs as number) > maxTimeout) {
    report(CONFIG_ERRORS.invalidTimeout, `timeoutMs must be a whole number from ${minTimeout} to ${maxTimeout}`);
  }

  const slots: Record<string, SlotConfig> = Object.create(null);
  for (const [id, slot] of slotInputs) {
    const checked = ID_PATTERN.test(id) ? toSlotConfig(slot) : undefined;
    if (checked) slots[id] = checked;
    else {
      report(
        CONFIG_ERRORS.invalidSlot,
        `slots["${id.slice(0, 64)}"] needs an id matching ${ID_PATTERN.source}, size [width, height] in whole pixels from 1 to ${MAX_SIZE_PX}, and optional formats matching ${FORMAT_PATTERN.source}`,
      );
    }
  }

  if (errors.length > 0) return { errors };
  const config: OpslotConfig = {
    endpoint: (endpointUrl as URL).href,
    channel: channel as Channel,
    pageId: pageId as string,
    locale: locale as string,
    personalized: personalized as boolean,
    timeoutMs: timeoutMs as number,
    slots,
  };
  if (operator !== undefined) config.operator = operator as string;
  return { config, errors };
}

function mergeInput(
  input: Record<string, unknown>,
  fields: Map<Key, unknown>,
  slotInputs: Map<string, unknown>,
  report: (code: ConfigErrorCode, message: string) => void,
): void {
  // Only own, known keys are read, so `__proto__` or `constructor` in the JSON never reach the result.
  for (const key of KEYS) {
    if (!Object.hasOwn(input, key)) continue;
    const value = input[key];
    if (value === null) fields.delete(key);
    else if (value !== undefined) fields.set(key, value);
  }
  if (!Object.hasOwn(input, 'slots')) return;
  const slots = input.slots;
  if (slots === null) slotInputs.clear();
  else if (isRecord(slots)) {
    for (const id of Object.keys(slots)) slotInputs.set(id, slots[id]);
  } else if (slots !== undefined) {
    report(CONFIG_ERRORS.invalidSlot, 'slots must be an object of slot id → { size, formats }');
  }
}

function toSlotConfig(input: unknown): SlotConfig | undefined {
  if (!isRecord(input)) return undefined;
  const { size, formats } = input;
  const pixels = (value: unknown) =>
    Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_SIZE_PX;
  if (!Array.isArray(size) || size.length !== 2 || !size.every(pixels)) return undefined;
  const slot: SlotConfig = { size: [size[0], size[1]] };
  if (formats === undefined) return slot;
  if (
    !Array.isArray(formats) ||
    formats.length < 1 ||
    formats.length > MAX_SLOT_FORMATS ||
    !formats.every((format) => isString(format, FORMAT_PATTERN))
  ) {
    return undefined;
  }
  slot.formats = [...formats];
  return slot;
}

const isString = (value: unknown, pattern: RegExp): value is string => typeof value === 'string' && pattern.test(value);

const isLocale = (value: unknown): value is string =>
  isString(value, LOCALE_PATTERN) && value.length <= LOCALE_MAX_LENGTH;

const ONLY_DIGITS_AND_SEPARATORS = /^(?=.*\d)[\d\s()+.:_-]+$/;
const PERSONAL_GROUP = /^(?:1\d{10}|\d{15,19}|\d{17}[Xx])$/;
const EMAIL = /[^\s@]@[^\s@]+\.[^\s@]/;

/**
 * Values a bank might pass by mistake instead of an opaque key. Digits alone match the protocol's operator pattern,
 * so they need their own guard: a phone (11-digit mainland mobile or any all-digit number), a card or account number
 * (15–19 digits), a resident ID (18 characters, the last may be X), an e-mail address. Inside a longer key, only
 * whole separator-delimited groups are checked, so that a UUID or hex hash is not refused for a run of digits.
 */
function looksPersonal(value: string): boolean {
  return (
    ONLY_DIGITS_AND_SEPARATORS.test(value) ||
    EMAIL.test(value) ||
    value.split(/[\s()+.:_-]+/).some((group) => PERSONAL_GROUP.test(group))
  );
}
