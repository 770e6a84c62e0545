// The words of the lazily loaded formats' own controls, kept out of the entry's message table (messages.ts):
// a page pays for them only with the formats it shows.
import type { MessagesLocale } from '../messages.js';

const WORDS = {
  'zh-CN': {
    close: '关闭',
    dontShowAgain: '不再显示',
    previous: '上一张',
    next: '下一张',
    pause: '暂停轮播',
    play: '继续轮播',
    slide: (index: number, count: number) => `第 ${index} 张，共 ${count} 张`,
    carousel: '轮播广告',
    learnMore: '了解详情',
    messages: '消息',
  },
  en: {
    close: 'Close',
    dontShowAgain: "Don't show again",
    previous: 'Previous',
    next: 'Next',
    pause: 'Pause rotation',
    play: 'Resume rotation',
    slide: (index: number, count: number) => `${index} of ${count}`,
    carousel: 'Promotions',
    learnMore: 'Learn more',
    messages: 'Messages',
  },
} as const;

export type FormatWords = (typeof WORDS)[MessagesLocale];

export const formatWords = (locale: MessagesLocale): FormatWords => WORDS[locale];
