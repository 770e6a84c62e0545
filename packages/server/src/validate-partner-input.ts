import {
  APPLICATION_LIMITS,
  type ApplicationInput,
  BRAND_COLOR_PATTERN,
  CREATIVE_LIMITS,
  CREATIVE_TEMPLATES,
  type CreativeFields,
  type CreativeTemplate,
  DAY_PATTERN,
  EMAIL_PATTERN,
  FIELD_CODES,
  type FieldCode,
  type FieldError,
  findForbiddenTerms,
  LANDLINE_PATTERN,
  type LandingUrlReason,
  landingUrlProblem,
  MAX_EMAIL_LENGTH,
  MAX_LANDING_URL_LENGTH,
  MOBILE_PATTERN,
  type PartnerAudience,
  type PartnerContact,
  SUPPLY_CHAIN_DIRECTIONS,
  type SupplyChainDirection,
} from '@opslot/core';
import type { CatalogueImage, CatalogueSlot } from './catalogue.js';
import { ERROR_CODES, HttpError } from './http-error.js';
import type { StoredApplicationCreative, UploadRecord } from './partner-application.js';
import { shanghaiDate, shanghaiDateToEpoch } from './partner-application.js';

const DAY_MS = 86_400_000;
/**
 * `up-` and the whole SHA-256 of the picture: a shorter prefix would let a partner craft two pictures with one id and
 * swap an approved one for the other.
 */
export const UPLOAD_ID = /^up-[0-9a-f]{64}$/;

/** Collects refusals field by field, so that the form can mark every wrong field at once. */
class FieldErrors {
  readonly list: FieldError[] = [];
  add(field: string, code: FieldCode, message: string, words?: string[]): void {
    this.list.push({ field, code, message, ...(words ? { words } : {}) });
  }
  has(field: string): boolean {
    return this.list.some((e) => e.field === field);
  }
}

/** Length in characters as a person counts them (a CJK character or an emoji is one). */
const charCount = (text: string) => [...text].length;

function text(errors: FieldErrors, value: unknown, field: string, label: string, min: number, max: number): string {
  if (typeof value !== 'string' || (min > 0 && value.trim() === '')) {
    if (min === 0 && value === undefined) return '';
    errors.add(field, FIELD_CODES.required, `请填写${label}。`);
    return '';
  }
  const trimmed = value.trim();
  if (charCount(trimmed) < min || charCount(trimmed) > max) {
    errors.add(field, FIELD_CODES.length, `${label}应为 ${min}–${max} 个字符。`);
  }
  return trimmed;
}

/** The server's words for each reason a landing URL is refused. */
const LANDING_URL_MESSAGES: Record<LandingUrlReason, (allowedDomains: readonly string[]) => string> = {
  missing: () => '请填写落地页地址。',
  'too-long': () => `落地页地址不能超过 ${MAX_LANDING_URL_LENGTH} 个字符。`,
  'not-a-url': () => '落地页地址不是完整的网址（应以 https:// 开头）。',
  'forbidden-character': () => '落地页地址不能包含空格（包括首尾空格）、反斜杠或控制字符。',
  scheme: () => '落地页只接受 https:// 地址。',
  credentials: () => '落地页地址不能包含用户名或密码。',
  port: () => '落地页地址不能指定端口。',
  domain: (allowedDomains) => `落地页须在贵司登记的域名下：${allowedDomains.join('、')}。`,
};

/**
 * Checks an application form in full. `now` fixes "today" (Asia/Shanghai), `slots` are those the partner may apply
 * for. Throws 400 `invalid-application` listing every refused field.
 */
export function validateApplication(
  body: unknown,
  context: { slots: readonly CatalogueSlot[]; allowedDomains: readonly string[]; now: number },
): ApplicationInput {
  const errors = new FieldErrors();
  const form = isObject(body) ? body : {};
  if (!isObject(body)) errors.add('', FIELD_CODES.invalid, '请求体应为 JSON 对象。');

  const { campaignName: nameLimits, slots: slotLimits, contactName: contactNameLimits } = APPLICATION_LIMITS;
  const campaignName = text(errors, form.campaignName, 'campaignName', '活动名称', nameLimits.min, nameLimits.max);

  const slotIds: string[] = [];
  const known = new Set(context.slots.map((s) => s.id));
  if (!Array.isArray(form.slotIds) || form.slotIds.length < slotLimits.min || form.slotIds.length > slotLimits.max) {
    errors.add('slotIds', FIELD_CODES.length, `请选择 ${slotLimits.min}–${slotLimits.max} 个广告位。`);
  } else {
    for (const id of form.slotIds) {
      if (typeof id !== 'string' || !known.has(id)) {
        errors.add('slotIds', FIELD_CODES.notAllowed, '所选广告位不存在或不开放申请。');
        break;
      }
      if (!slotIds.includes(id)) slotIds.push(id);
    }
  }

  const startDate = date(errors, form.startDate, 'startDate', '开始日期');
  const endDate = date(errors, form.endDate, 'endDate', '结束日期');
  if (startDate && startDate < shanghaiDate(context.now)) {
    errors.add('startDate', FIELD_CODES.dateInPast, '开始日期不能早于今天。');
  }
  if (startDate && endDate && endDate < startDate) {
    errors.add('endDate', FIELD_CODES.dateOrder, '结束日期不能早于开始日期。');
  } else if (startDate && endDate) {
    const days = (shanghaiDateToEpoch(endDate) - shanghaiDateToEpoch(startDate)) / DAY_MS + 1;
    if (days > APPLICATION_LIMITS.maxDays) {
      errors.add('endDate', FIELD_CODES.rangeTooLong, `投放期最长 ${APPLICATION_LIMITS.maxDays} 天。`);
    }
  }

  const landing = landingUrlProblem(form.landingUrl, context.allowedDomains);
  if (landing) {
    const message = LANDING_URL_MESSAGES[landing.reason](context.allowedDomains);
    errors.list.push({ field: 'landingUrl', ...landing, message });
  }

  let audience: PartnerAudience = { kind: 'all' };
  const a = form.audience;
  if (isObject(a) && a.kind === 'all' && Object.keys(a).length === 1) audience = { kind: 'all' };
  else if (
    isObject(a) &&
    a.kind === 'supply-chain' &&
    (SUPPLY_CHAIN_DIRECTIONS as readonly unknown[]).includes(a.direction) &&
    Number.isInteger(a.hops) &&
    (a.hops as number) >= 1 &&
    (a.hops as number) <= 3
  ) {
    audience = { kind: 'supply-chain', direction: a.direction as SupplyChainDirection, hops: a.hops as 1 | 2 | 3 };
  } else {
    errors.add('audience', FIELD_CODES.invalid, '请选择投放人群：全部客户，或供应链上下游 1–3 层。');
  }

  const c = isObject(form.contact) ? form.contact : {};
  const contact: PartnerContact = {
    name: text(errors, c.name, 'contact.name', '联系人姓名', contactNameLimits.min, contactNameLimits.max),
    phone: typeof c.phone === 'string' ? c.phone.trim() : '',
    email: typeof c.email === 'string' ? c.email.trim() : '',
  };
  if (!MOBILE_PATTERN.test(contact.phone) && !LANDLINE_PATTERN.test(contact.phone)) {
    errors.add('contact.phone', FIELD_CODES.invalid, '请填写有效的手机号码或固定电话（含区号）。');
  }
  if (contact.email.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(contact.email)) {
    errors.add('contact.email', FIELD_CODES.invalid, '请填写有效的电子邮箱。');
  }

  if (errors.list.length > 0) {
    throw new HttpError(400, ERROR_CODES.invalidApplication, '申请信息有误，请按提示修改。', {}, errors.list);
  }
  // Stored as the standard spells it (lower-case scheme and host), which is what every later reader parses alike.
  const landingUrl = new URL(form.landingUrl as string).href;
  return { campaignName, slotIds, startDate, endDate, landingUrl, audience, contact };
}

function date(errors: FieldErrors, value: unknown, field: string, label: string): string {
  if (typeof value !== 'string' || !DAY_PATTERN.test(value)) {
    errors.add(field, FIELD_CODES.invalid, `${label}格式应为 YYYY-MM-DD。`);
    return '';
  }
  // 2026-02-30 parses to March 2nd: a real date prints back as itself.
  const parsed = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    errors.add(field, FIELD_CODES.invalid, `${label}不是有效日期。`);
    return '';
  }
  return value;
}

/** What a creative needs to know of the world around it to be checked. */
export interface CreativeContext {
  /** The application's slots (only these may be chosen). */
  slots: readonly CatalogueSlot[];
  /** An upload of this partner, or undefined. */
  ownUpload: (id: string) => UploadRecord | undefined;
}

/** A creative as the studio submitted it, checked, and in the catalogue form the decision service serves. */
export type CheckedCreative = Omit<StoredApplicationCreative, 'id' | 'createdAt'>;

/**
 * Checks a creative form in full: its slot among the application's, a template that fits the slot's format, the
 * fields' lengths, its pictures among the partner's own uploads (the banner PNG at exactly the slot's size), and no
 * word the Advertising Law forbids in anything shown. Throws 400 `invalid-creative`, or `forbidden-words` when
 * forbidden words are all that is wrong.
 */
export function validateCreative(body: unknown, context: CreativeContext): CheckedCreative {
  const errors = new FieldErrors();
  const form = isObject(body) ? body : {};
  if (!isObject(body)) errors.add('', FIELD_CODES.invalid, '请求体应为 JSON 对象。');

  const slot = context.slots.find((s) => s.id === form.slotId);
  if (!slot) errors.add('slotId', FIELD_CODES.notAllowed, '请选择本申请中的一个广告位。');
  const format: 'banner' | 'native' = slot && !slot.formats.includes('banner') ? 'native' : 'banner';

  const template = form.template as CreativeTemplate;
  if (!(Object.values(CREATIVE_TEMPLATES) as unknown[]).includes(template)) {
    errors.add('template', FIELD_CODES.invalid, '请选择一个模板。');
  } else if (slot && (template === CREATIVE_TEMPLATES.nativeCard) !== (format === 'native')) {
    errors.add('template', FIELD_CODES.templateMismatch, '该模板不适用于所选广告位。');
  }

  const f = isObject(form.fields) ? form.fields : {};
  const fields: CreativeFields = {
    title: text(errors, f.title, 'fields.title', '标题', CREATIVE_LIMITS.title.min, CREATIVE_LIMITS.title.max),
    subtitle: text(
      errors,
      f.subtitle,
      'fields.subtitle',
      '副标题',
      CREATIVE_LIMITS.subtitle.min,
      CREATIVE_LIMITS.subtitle.max,
    ),
    cta: text(errors, f.cta, 'fields.cta', '按钮文字', CREATIVE_LIMITS.cta.min, CREATIVE_LIMITS.cta.max),
    brandColor: typeof f.brandColor === 'string' ? f.brandColor : '',
  };
  if (!BRAND_COLOR_PATTERN.test(fields.brandColor))
    errors.add('fields.brandColor', FIELD_CODES.invalid, '品牌色应为 #rrggbb。');
  const logo = optionalUpload(errors, context, f.logoUploadId, 'fields.logoUploadId');
  if (logo) fields.logoUploadId = logo.id;
  const picture = optionalUpload(errors, context, f.imageUploadId, 'fields.imageUploadId');
  if (picture) fields.imageUploadId = picture.id;
  const alt = text(errors, form.alt, 'alt', '替代文字', CREATIVE_LIMITS.alt.min, CREATIVE_LIMITS.alt.max);

  let png: UploadRecord | undefined;
  if (format === 'banner') {
    png = optionalUpload(errors, context, form.pngUploadId, 'pngUploadId');
    if (!png && !errors.has('pngUploadId')) {
      errors.add('pngUploadId', FIELD_CODES.required, '请先生成并上传广告图片。');
    } else if (png && slot && (png.type !== 'image/png' || png.width !== slot.width || png.height !== slot.height)) {
      errors.add('pngUploadId', FIELD_CODES.imageMismatch, `广告图片应为 ${slot.width}×${slot.height} 的 PNG。`);
    }
  } else if (!logo && !errors.has('fields.logoUploadId')) {
    errors.add('fields.logoUploadId', FIELD_CODES.required, '原生广告需要上传企业标志。');
  }

  const structural = errors.list.length;
  for (const [field, value] of [
    ['fields.title', fields.title],
    ['fields.subtitle', fields.subtitle],
    ['fields.cta', fields.cta],
    ['alt', alt],
  ] as const) {
    const words = findForbiddenTerms(value);
    if (words.length > 0) {
      errors.add(field, FIELD_CODES.forbiddenWords, `含有《广告法》禁用的绝对化用语：${words.join('、')}。`, words);
    }
  }
  if (errors.list.length > 0) {
    const onlyWords = structural === 0;
    throw new HttpError(
      400,
      onlyWords ? ERROR_CODES.forbiddenWords : ERROR_CODES.invalidCreative,
      onlyWords ? '广告文字含有《广告法》禁用的用语，请修改。' : '广告内容有误，请按提示修改。',
      {},
      errors.list,
    );
  }
  const pictureOf = (upload: UploadRecord, width: number, height: number): CatalogueImage => ({
    file: upload.id,
    hash: upload.id.slice(3),
    width,
    height,
    alt,
    url: `/v1/partner/uploads/${upload.id}`,
  });
  const chosen = slot as CatalogueSlot;
  return {
    slotId: chosen.id,
    template,
    fields,
    pngUploadId: png?.id ?? null,
    alt,
    format,
    image: png ? pictureOf(png, chosen.width, chosen.height) : null,
    text:
      format === 'native'
        ? { title: fields.title, ...(fields.subtitle ? { subtitle: fields.subtitle } : {}), cta: fields.cta }
        : null,
    logo: format === 'native' && logo ? pictureOf(logo, logo.width, logo.height) : null,
    brandColor: format === 'native' ? fields.brandColor : null,
  };
}

function optionalUpload(
  errors: FieldErrors,
  context: CreativeContext,
  value: unknown,
  field: string,
): UploadRecord | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const upload = typeof value === 'string' && UPLOAD_ID.test(value) ? context.ownUpload(value) : undefined;
  if (!upload) errors.add(field, FIELD_CODES.uploadNotFound, '找不到该图片，请重新上传。');
  return upload;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
