/**
 * Words a partner's creative may not use: the absolute claims that 《中华人民共和国广告法》第九条第（三）项 forbids
 * ("使用'国家级'、'最高级'、'最佳'等用语"), as market regulators apply it to online ads, plus the nearest kin they
 * commonly cite (superlatives, "first/only", "the whole web", guarantees). One list for the partner studio, which
 * marks them while the partner types, and the reference server, which refuses the creative: they can never disagree.
 * A bank's compliance team extends it; the check is a first line, not a legal review.
 */
export const FORBIDDEN_TERMS: readonly string[] = [
  // 最 and its superlatives (第九条第三项: "最高级"、"最佳").
  '最',
  '最佳',
  '最高级',
  '最高',
  '最低',
  '最优',
  '最好',
  '最强',
  '最大',
  '最先进',
  '最新技术',
  // Rank and uniqueness.
  '第一',
  '第一品牌',
  'No.1',
  'TOP1',
  '唯一',
  '首个',
  '首家',
  '首选',
  '独家',
  '全网',
  '销量冠军',
  '领导品牌',
  '领先品牌',
  '王牌',
  // Grade (第九条第三项: "国家级").
  '国家级',
  '世界级',
  '全球级',
  '顶级',
  '顶尖',
  '极致',
  // Absolute promises.
  '绝对',
  '100%',
  '万能',
  '永久',
  '零风险',
  '无副作用',
  '史无前例',
  '前无古人',
];

/**
 * Everyday words that start with 最 but claim nothing (最近 "recently", 最后 "last", 最终 "finally", 最初 "at first"):
 * the lone 最 inside them is not a superlative.
 */
const HARMLESS_WITH_ZUI = ['最近', '最后', '最终', '最初'];

/**
 * Folds `text` for comparison a character at a time, each keeping its length, so that positions stay those of `text`:
 * full-width ASCII (１００％) reads as half-width and Latin letters in lower case, since both read the same to a
 * customer.
 */
function fold(text: string): string {
  let folded = '';
  for (const character of text) {
    const normal = character.normalize('NFKC').toLowerCase();
    folded += normal.length === character.length ? normal : character;
  }
  return folded;
}

/** Longest first, so that 最佳 is found as itself and not as 最. */
const BY_LENGTH = [...FORBIDDEN_TERMS]
  .sort((a, b) => b.length - a.length)
  .map((term) => ({ term, folded: fold(term) }));

export interface TermSpan {
  /** Index in the text of the term's first UTF-16 unit. */
  start: number;
  /** Index just after its last. */
  end: number;
  /** The term of {@link FORBIDDEN_TERMS} found there. */
  term: string;
}

/** Where each forbidden term stands in `text`, left to right, the longest term at each position; none overlap. */
export function forbiddenTermSpans(text: string): TermSpan[] {
  const spans: TermSpan[] = [];
  if (typeof text !== 'string') return spans;
  const folded = fold(text);
  let at = 0;
  while (at < folded.length) {
    const harmless = HARMLESS_WITH_ZUI.find((word) => folded.startsWith(word, at));
    const found = harmless ? undefined : BY_LENGTH.find((candidate) => folded.startsWith(candidate.folded, at));
    if (found) spans.push({ start: at, end: at + found.folded.length, term: found.term });
    at += harmless?.length ?? found?.folded.length ?? 1;
  }
  return spans;
}

/**
 * The forbidden terms that `text` carries, each once, in the order they first appear (how a person reads the
 * warning); empty when it is clean or not a string. A stretch of text counts for one term only: in 最佳之选 the 最 of
 * 最佳 is not reported again as 最.
 *
 * @example
 * findForbiddenTerms('全网最佳的第一选择'); // ['全网', '最佳', '第一']
 * findForbiddenTerms('最近三个月的订单'); // []
 */
export function findForbiddenTerms(text: string): string[] {
  return [...new Set(forbiddenTermSpans(text).map((span) => span.term))];
}
