// Words that the Advertising Law of the PRC (《中华人民共和国广告法》) forbids in an advertisement. Article 9(3)
// (第九条第三项) bans "国家级"、"最高级"、"最佳" and words like them: absolute claims that no advertiser can prove. The
// partner studio highlights them as the partner types, and the reference server refuses a creative that carries one.

/**
 * The forbidden terms, longest first within a family (`最佳` before `最`), so that a match names the whole claim.
 * A list, not a judgement: the bank's compliance review still reads every creative.
 */
export const FORBIDDEN_TERMS: readonly string[] = [
  // "最" and its superlatives (第九条第三项: "最高级"、"最佳").
  '最高级',
  '最佳',
  '最高',
  '最低',
  '最好',
  '最优',
  '最强',
  '最大',
  '最先进',
  '最',
  // Rank and uniqueness.
  '第一',
  'NO.1',
  'No.1',
  'TOP1',
  '唯一',
  '首个',
  '首选',
  '独家',
  '全网',
  // Grade (第九条第三项: "国家级").
  '国家级',
  '世界级',
  '全球级',
  '顶级',
  '顶尖',
  '极致',
  '王牌',
  // Absolute promises.
  '绝对',
  '100%',
  '100％',
  '万能',
  '史无前例',
  '永久',
];

/**
 * Everyday words that start with 最 but make no claim (最近 "recently", 最后 "last", 最终 "finally", 最初 "at first"):
 * the lone 最 inside them is not a superlative.
 */
const HARMLESS_WITH_ZUI = ['最近', '最后', '最终', '最初'];

/** Where each forbidden term stands in `text`, longest match first at each position, left to right. */
export function forbiddenTermSpans(text: string): { start: number; end: number; term: string }[] {
  const spans: { start: number; end: number; term: string }[] = [];
  if (typeof text !== 'string') return spans;
  let at = 0;
  while (at < text.length) {
    const harmless = HARMLESS_WITH_ZUI.find((word) => text.startsWith(word, at));
    if (harmless) {
      at += harmless.length;
      continue;
    }
    let found: string | undefined;
    for (const term of FORBIDDEN_TERMS) {
      if ((found === undefined || term.length > found.length) && text.startsWith(term, at)) found = term;
    }
    if (found) {
      spans.push({ start: at, end: at + found.length, term: found });
      at += found.length;
    } else at += 1;
  }
  return spans;
}

/**
 * The forbidden terms that `text` carries, each once, in the order they first appear; empty when it is clean or
 * not a string.
 *
 * @example
 * findForbiddenTerms('行业第一，最佳选择'); // ['第一', '最佳']
 * findForbiddenTerms('最近三个月的订单'); // []
 */
export function findForbiddenTerms(text: string): string[] {
  return [...new Set(forbiddenTermSpans(text).map((span) => span.term))];
}
