// The words of the partner components: zh-CN by default, English when the component or the document says `lang="en"`
// (as @opslot/elements does). Codes from the server and from the checks map to these; a code not listed here shows the
// server's own message.
import type { ApplicationStatus, FieldCode, SupplyChainDirection } from '@opslot/core';
import type { FormFieldError } from './form-field-error.js';

const ZH = {
  locale: 'zh-CN' as 'zh-CN' | 'en',
  // Shared
  retry: '重试',
  loading: '加载中…',
  errors: {
    unauthorized: '登录已失效或未登录，请重新登录企业网银后再试。',
    'not-eligible': '贵企业暂未加入流量开放计划。',
    forbidden: '无权访问该内容。',
    'network-error': '网络连接失败，请检查网络后重试。',
    'unexpected-response': '服务暂时不可用，请稍后重试。',
    'not-editable': '申请已提交审核，暂不能修改。',
    'upload-too-large': '文件超过 1 MB，请压缩后再上传。',
    'unsupported-media-type': '仅支持 PNG、JPEG 或 WebP 图片。',
    'bad-image': '图片无法读取或尺寸超出 4096×4096。',
    'invalid-application': '申请信息有误，请按提示修改。',
    'invalid-creative': '素材信息有误，请按提示修改。',
    'forbidden-words': '文案含有《广告法》禁用的绝对化用语，请修改标出的词语。',
    'no-creative': '请至少保存一个素材后再提交。',
  } as Record<string, string>,
  fallbackError: '请求失败，请稍后重试。',
  // Entry
  entryTitle: '流量开放计划',
  entryBody: '在本行企业网银投放贵企业的广告：在线申请、模板制图、实景预览、查看效果报表。',
  entryStart: '申请投放',
  // Apply
  applyTitle: '投放申请',
  campaignName: '活动名称',
  campaignNameHint: '2–40 个字',
  slots: '投放渠道与广告位',
  slotsHint: '可选 1–6 个',
  slotLabel: (id: string, channel: string, width: number, height: number) =>
    `${id}（${channelName(channel, 'zh-CN')}，${width}×${height}）`,
  startDate: '开始日期',
  endDate: '结束日期',
  landingUrl: '落地页网址',
  landingUrlHint: (domains: string) => `须为 https 网址，域名限于：${domains}`,
  audience: '投放对象',
  audienceAll: '全部企业客户',
  audienceSupplyChain: '供应链上下游企业',
  direction: '方向',
  directions: { downstream: '下游', upstream: '上游', both: '上下游' } satisfies Record<SupplyChainDirection, string>,
  hops: '层级',
  hopsValue: (hops: number) => `${hops} 级`,
  contact: '联系人',
  contactName: '姓名',
  contactPhone: '电话',
  contactPhoneHint: '手机或带区号的固定电话',
  contactEmail: '邮箱',
  submitApplication: '提交申请',
  submitting: '提交中…',
  fixErrors: (count: number) => `有 ${count} 处需要修改。`,
  // By the partner protocol's field codes (FIELD_CODES of @opslot/core, docs/protocol.md), every one worded; the
  // browser's checks use the same codes. `fieldErrorsOf` words a code on one field more exactly.
  fieldErrors: {
    required: '此项为必填项。',
    invalid: '格式不正确，请按提示填写。',
    length: '字数不符合要求，请按提示填写。',
    'not-allowed': '该选项不可用。',
    'scheme-not-allowed': '仅支持 https:// 开头的网址。',
    'domain-not-allowed': '该网址不在贵企业登记的域名内。',
    'date-in-past': '开始日期不能早于今天。',
    'date-order': '结束日期不能早于开始日期。',
    'range-too-long': '投放期最长 366 天。',
    'upload-not-found': '找不到该图片，请重新上传。',
    'image-mismatch': '广告图片与广告位尺寸不符，请重新保存素材。',
    'template-mismatch': '该模板不适用于所选广告位。',
    'forbidden-words': '含有《广告法》禁用词：',
  } satisfies Record<FieldCode, string> as Record<string, string>,
  fieldErrorsOf: {
    'slotIds length': '请选择 1–6 个广告位。',
    'slotIds not-allowed': '所选广告位不可申请。',
    'slotId not-allowed': '请选择本申请中的一个广告位。',
    'startDate invalid': '请输入有效日期。',
    'endDate invalid': '请输入有效日期。',
    'landingUrl invalid': '请输入完整的网址，例如 https://www.example.com/',
    'landingUrl invalid too-long': '网址不能超过 2048 个字符。',
    'landingUrl invalid forbidden-character': '网址中不能有空格、反斜杠或控制字符。',
    'landingUrl invalid credentials': '网址中不能包含用户名或密码。',
    'landingUrl invalid port': '网址中不能指定端口（如 :8443）。',
    'audience invalid': '请选择投放对象：全部企业客户，或供应链上下游 1–3 级。',
    'contact.phone invalid': '请输入 11 位手机号或带区号的固定电话。',
    'contact.email invalid': '请输入有效的邮箱地址（英文字符，不超过 100 个字符）。',
    'brandColor invalid': '请输入 #RRGGBB 格式的颜色。',
    'pngUploadId required': '请先生成并上传广告图片。',
    'logo required': '原生卡片需要上传标志。',
  } as Record<string, string>,
  // Studio
  studioTitle: '模板制图',
  applicationStatus: '申请状态',
  statuses: { draft: '草稿', submitted: '审核中', approved: '已通过', rejected: '已退回' } satisfies Record<
    ApplicationStatus,
    string
  > as Record<string, string>,
  reviewReason: '退回原因',
  slotHeading: (id: string, width: number, height: number) => `广告位 ${id}（${width}×${height}）`,
  template: '模板',
  templates: {
    'banner-left-image': '左图右文横幅',
    'banner-centered': '居中横幅',
    'native-card': '原生卡片',
  } as Record<string, string>,
  title: '标题',
  subtitle: '副标题',
  lengthHint: (min: number, max: number) => (min === 0 ? `选填，最多 ${max} 个字` : `${min}–${max} 个字`),
  logoAlt: (name: string) => `${name}标志`,
  cta: '按钮文字',
  brandColor: '品牌色',
  alt: '图片说明（供读屏软件朗读）',
  logo: '标志（Logo）',
  image: '主图',
  uploadHint: 'PNG、JPEG 或 WebP，不超过 1 MB，边长 64–4096 像素',
  uploading: '上传中',
  uploaded: (width: number, height: number) => `已上传（${width}×${height}）`,
  imageErrors: {
    'unsupported-type': '仅支持 PNG、JPEG 或 WebP 图片（按文件内容识别）。',
    'too-large': '文件超过 1 MB，请压缩后再上传。',
    'too-small': '图片边长不能小于 64 像素。',
    'too-big': '图片边长不能超过 4096 像素。',
    unreadable: '图片无法读取，文件可能已损坏。',
  } as Record<string, string>,
  preview: '实景预览',
  desktop: '电脑端',
  mobile: '手机端',
  logoNeeded: '上传标志后显示原生卡片预览。',
  adLabel: '广告',
  downloadPng: '下载 PNG',
  saveCreative: '保存素材',
  saving: '保存中…',
  saved: '素材已保存。',
  notEditable: '申请已提交审核或已通过，素材不能再修改。',
  getPreviewLink: '生成预览链接',
  previewLink: (channel: string) => `在「${channelName(channel, 'zh-CN')}」页面中预览`,
  expiresAt: (time: string) => `链接有效期至 ${time}`,
  noPreviewPage: (channel: string) => `未配置「${channelName(channel, 'zh-CN')}」的预览页面。`,
  submitForReview: '提交审核',
  submitted: '已提交审核，银行审核通过后开始投放。',
  forbiddenFound: (words: string) => `含有《广告法》禁用词：${words}`,
  // Report
  reportTitle: '投放效果报表',
  from: '起始日期',
  to: '截止日期',
  show: '查询',
  exposures: '曝光',
  clicks: '点击',
  ctr: '点击率',
  day: '日期',
  slot: '广告位',
  channel: '渠道',
  byDay: '每日趋势',
  bySlot: '按广告位与渠道',
  chartSummary: (from: string, to: string, exposures: string, clicks: string) =>
    `${from} 至 ${to} 每日曝光与点击柱状图，共曝光 ${exposures} 次，点击 ${clicks} 次。`,
  chartTable: '以表格查看每日数据',
  exportCsv: '导出 CSV',
  preparingCsv: '正在生成 CSV…',
  downloadCsv: (file: string) => `下载 ${file}`,
  empty: '所选期间暂无曝光数据。',
  rangeInvalid: '请选择有效的日期范围（最长 366 天）。',
};

type Words = typeof ZH;

const EN: Words = {
  locale: 'en',
  retry: 'Retry',
  loading: 'Loading…',
  errors: {
    unauthorized: 'You are not signed in, or your session has expired. Sign in to corporate e-banking again.',
    'not-eligible': 'Your enterprise has not joined the traffic programme yet.',
    forbidden: 'You may not see this content.',
    'network-error': 'The network connection failed. Check it and try again.',
    'unexpected-response': 'The service is unavailable for now. Try again later.',
    'not-editable': 'The application is under review and cannot be changed.',
    'upload-too-large': 'The file is larger than 1 MB. Compress it and upload again.',
    'unsupported-media-type': 'Only PNG, JPEG or WebP images are accepted.',
    'bad-image': 'The image cannot be read or is larger than 4096×4096.',
    'invalid-application': 'Some details of the application need changing.',
    'invalid-creative': 'Some details of the creative need changing.',
    'forbidden-words': 'The text uses absolute claims the Advertising Law forbids. Change the highlighted words.',
    'no-creative': 'Save at least one creative before submitting.',
  },
  fallbackError: 'The request failed. Try again later.',
  entryTitle: 'Traffic programme',
  entryBody:
    "Advertise in the bank's corporate e-banking: apply online, make your ad from a template, preview it in place, follow its report.",
  entryStart: 'Apply',
  applyTitle: 'Application',
  campaignName: 'Campaign name',
  campaignNameHint: '2–40 characters',
  slots: 'Channels and slots',
  slotsHint: 'Choose 1 to 6',
  slotLabel: (id, channel, width, height) => `${id} (${channelName(channel, 'en')}, ${width}×${height})`,
  startDate: 'Start date',
  endDate: 'End date',
  landingUrl: 'Landing page URL',
  landingUrlHint: (domains) => `An https URL on your domains: ${domains}`,
  audience: 'Audience',
  audienceAll: 'All corporate customers',
  audienceSupplyChain: 'Supply-chain partners',
  direction: 'Direction',
  directions: { downstream: 'Downstream', upstream: 'Upstream', both: 'Both' },
  hops: 'Hops',
  hopsValue: (hops) => `${hops} ${hops === 1 ? 'hop' : 'hops'}`,
  contact: 'Contact',
  contactName: 'Name',
  contactPhone: 'Phone',
  contactPhoneHint: 'Mobile, or landline with area code',
  contactEmail: 'Email',
  submitApplication: 'Submit application',
  submitting: 'Submitting…',
  fixErrors: (count) => `${count} ${count === 1 ? 'field needs' : 'fields need'} changing.`,
  fieldErrors: {
    required: 'This field is required.',
    invalid: 'Not in the expected form; see the hint.',
    length: 'Not the expected length; see the hint.',
    'not-allowed': 'This choice is not available.',
    'scheme-not-allowed': 'Only https:// URLs are accepted.',
    'domain-not-allowed': "The URL is not on your enterprise's registered domains.",
    'date-in-past': 'The start date cannot be before today.',
    'date-order': 'The end date cannot be before the start date.',
    'range-too-long': 'A campaign runs at most 366 days.',
    'upload-not-found': 'The image cannot be found. Upload it again.',
    'image-mismatch': "The ad image does not fit the slot's size. Save the creative again.",
    'template-mismatch': 'This template does not suit the chosen slot.',
    'forbidden-words': 'Uses words the Advertising Law forbids: ',
  } satisfies Record<FieldCode, string>,
  fieldErrorsOf: {
    'slotIds length': 'Choose 1 to 6 slots.',
    'slotIds not-allowed': 'A chosen slot is not available.',
    'slotId not-allowed': 'Choose one of the slots of this application.',
    'startDate invalid': 'Enter a valid date.',
    'endDate invalid': 'Enter a valid date.',
    'landingUrl invalid': 'Enter a full URL, such as https://www.example.com/',
    'landingUrl invalid too-long': 'The URL may have at most 2048 characters.',
    'landingUrl invalid forbidden-character': 'The URL may not contain spaces, backslashes or control characters.',
    'landingUrl invalid credentials': 'The URL may not contain a user name or password.',
    'landingUrl invalid port': 'The URL may not name a port (such as :8443).',
    'audience invalid': 'Choose the audience: all corporate customers, or supply-chain partners 1 to 3 hops away.',
    'contact.phone invalid': 'Enter an 11-digit mobile number or a landline with its area code.',
    'contact.email invalid': 'Enter a valid email address (ASCII, at most 100 characters).',
    'brandColor invalid': 'Enter a colour as #RRGGBB.',
    'pngUploadId required': 'Save the creative again to make and upload its image.',
    'logo required': 'A native card needs a logo.',
  },
  studioTitle: 'Template studio',
  applicationStatus: 'Status',
  statuses: { draft: 'Draft', submitted: 'Under review', approved: 'Approved', rejected: 'Returned' },
  reviewReason: 'Why it was returned',
  slotHeading: (id, width, height) => `Slot ${id} (${width}×${height})`,
  template: 'Template',
  templates: {
    'banner-left-image': 'Banner, image left',
    'banner-centered': 'Banner, centred',
    'native-card': 'Native card',
  },
  title: 'Title',
  subtitle: 'Subtitle',
  lengthHint: (min, max) => (min === 0 ? `Optional, up to ${max} characters` : `${min}–${max} characters`),
  logoAlt: (name) => `${name} logo`,
  cta: 'Button text',
  brandColor: 'Brand colour',
  alt: 'Image description (read by screen readers)',
  logo: 'Logo',
  image: 'Main image',
  uploadHint: 'PNG, JPEG or WebP, up to 1 MB, sides of 64 to 4096 pixels',
  uploading: 'Uploading',
  uploaded: (width, height) => `Uploaded (${width}×${height})`,
  imageErrors: {
    'unsupported-type': 'Only PNG, JPEG or WebP images are accepted (judged by the file content).',
    'too-large': 'The file is larger than 1 MB. Compress it and upload again.',
    'too-small': 'The image sides must be at least 64 pixels.',
    'too-big': 'The image sides must be at most 4096 pixels.',
    unreadable: 'The image cannot be read; the file may be damaged.',
  },
  preview: 'Preview in place',
  desktop: 'Desktop',
  mobile: 'Mobile',
  logoNeeded: 'Upload a logo to preview the native card.',
  adLabel: 'Ad',
  downloadPng: 'Download PNG',
  saveCreative: 'Save creative',
  saving: 'Saving…',
  saved: 'Creative saved.',
  notEditable: 'The application is under review or approved: its creatives cannot change.',
  getPreviewLink: 'Get a preview link',
  previewLink: (channel) => `Preview on the ${channelName(channel, 'en')} page`,
  expiresAt: (time) => `The link works until ${time}`,
  noPreviewPage: (channel) => `No preview page is set for ${channelName(channel, 'en')}.`,
  submitForReview: 'Submit for review',
  submitted: 'Submitted. The campaign starts once the bank approves it.',
  forbiddenFound: (words) => `Uses words the Advertising Law forbids: ${words}`,
  reportTitle: 'Campaign report',
  from: 'From',
  to: 'To',
  show: 'Show',
  exposures: 'Exposures',
  clicks: 'Clicks',
  ctr: 'CTR',
  day: 'Day',
  slot: 'Slot',
  channel: 'Channel',
  byDay: 'By day',
  bySlot: 'By slot and channel',
  chartSummary: (from, to, exposures, clicks) =>
    `Bar chart of daily exposures and clicks from ${from} to ${to}: ${exposures} exposures, ${clicks} clicks in all.`,
  chartTable: 'Show the daily figures as a table',
  exportCsv: 'Export CSV',
  preparingCsv: 'Preparing the CSV…',
  downloadCsv: (file) => `Download ${file}`,
  empty: 'No exposures in this period.',
  rangeInvalid: 'Choose a valid date range (at most 366 days).',
};

const CHANNELS: Record<string, [string, string]> = {
  'corporate-web': ['企业网银（电脑端）', 'corporate web banking'],
  'corporate-mobile': ['企业手机银行', 'corporate mobile banking'],
  'personal-web': ['个人网银（电脑端）', 'personal web banking'],
  'personal-mobile': ['个人手机银行', 'personal mobile banking'],
};

/** A channel's name for people; an unknown channel shows its id. */
export function channelName(channel: string, locale: 'zh-CN' | 'en'): string {
  const names = Object.hasOwn(CHANNELS, channel) ? CHANNELS[channel] : undefined;
  return names ? names[locale === 'en' ? 1 : 0] : channel;
}

export type PartnerWords = Words;

/** The words for `element`: English when its nearest `lang` (itself, an ancestor, the document) is `en…`. */
export function wordsFor(element: Element): PartnerWords {
  const lang = element.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
  return /^en\b/i.test(lang) ? EN : ZH;
}

/** What to tell the partner about a failed request: our words for a code we know, else the server's message. */
export function errorText(words: PartnerWords, code: string, serverMessage?: string): string {
  if (Object.hasOwn(words.errors, code)) return words.errors[code] as string;
  return serverMessage || words.fallbackError;
}

/**
 * A field's message: our words for its code and reason on that field, else for its code on that field, else for the
 * code, else the server's message, else a generic one.
 */
export function fieldErrorText(words: PartnerWords, error: FormFieldError): string {
  const { field, code } = error;
  for (const key of [...(error.reason ? [`${field} ${code} ${error.reason}`] : []), `${field} ${code}`]) {
    if (Object.hasOwn(words.fieldErrorsOf, key)) return words.fieldErrorsOf[key] as string;
  }
  const known = Object.hasOwn(words.fieldErrors, code) ? words.fieldErrors[code] : undefined;
  if (known && code === 'forbidden-words') return `${known}${(error.words ?? []).join('、')}`;
  return known ?? error.message ?? words.fallbackError;
}

/** The words of each locale, for checks that every code the server sends has words in both. */
export const PARTNER_WORDS: Readonly<Record<'zh-CN' | 'en', PartnerWords>> = { 'zh-CN': ZH, en: EN };
