/**
 * The few words the SDK itself shows. zh-CN is the default; English when the page (or the slot's nearest
 * `lang` ancestor) or the configuration says so. A table this small costs less than a localisation library.
 */
const MESSAGES = {
  'zh-CN': {
    locale: 'zh-CN',
    adLabel: '广告',
    previewLabel: '预览',
    opensInNewTab: '（在新窗口打开）',
    aboutThisContent: '关于此内容',
  },
  en: {
    locale: 'en',
    adLabel: 'Ad',
    previewLabel: 'Preview',
    opensInNewTab: '(opens in a new tab)',
    aboutThisContent: 'About this content',
  },
} as const;

export type Messages = (typeof MESSAGES)[keyof typeof MESSAGES];
export type MessagesLocale = Messages['locale'];

/** The messages for a BCP 47 language tag: English for `en`, `en-US`…; zh-CN for everything else. */
export function messagesFor(locale: string | undefined): Messages {
  return /^en\b/i.test(locale ?? '') ? MESSAGES.en : MESSAGES['zh-CN'];
}
