/**
 * Words a partner's creative may not use: the absolute claims that 《中华人民共和国广告法》第九条第（三）项 forbids
 * ("使用'国家级'、'最高级'、'最佳'等用语"), as market regulators apply it to online ads, plus the nearest kin they
 * commonly cite (superlatives, "first/only", "the whole web", guarantees). One list for the partner studio, which
 * warns while the partner types, and the reference server, which refuses the creative: they can never disagree.
 * A bank's compliance team extends it; the check is a first line, not a legal review.
 */
export const FORBIDDEN_TERMS: readonly string[] = [
  '最',
  '最佳',
  '最高',
  '最低',
  '最优',
  '最好',
  '最大',
  '最新技术',
  '第一',
  '第一品牌',
  '唯一',
  '首个',
  '首家',
  '首选',
  '国家级',
  '世界级',
  '全球级',
  '顶级',
  '顶尖',
  '极致',
  '绝对',
  '100%',
  '万能',
  '全网',
  '独家',
  '史无前例',
  '前无古人',
  '领导品牌',
  '领先品牌',
  '王牌',
  '销量冠军',
  '永久',
  '零风险',
  '无副作用',
];

/** Longest first, so that 最佳 is reported as itself and not as 最. */
const BY_LENGTH = [...FORBIDDEN_TERMS].sort((a, b) => b.length - a.length);

/**
 * The forbidden terms in `text`, longest first (then in the order they appear) and each once. A stretch of text counts for one term only: in
 * "最佳之选" the 最 of 最佳 is not reported again as 最. Latin letters are compared case-insensitively and
 * full-width ASCII (１００％) as half-width, since both read the same to a customer.
 *
 * @example
 * findForbiddenTerms('全网最佳的第一选择'); // ['全网', '最佳', '第一']
 */
export function findForbiddenTerms(text: string): string[] {
  const normalised = text.normalize('NFKC').toLowerCase();
  const taken = new Array<boolean>(normalised.length).fill(false);
  const firstAt = new Map<string, number>();
  for (const term of BY_LENGTH) {
    const needle = term.toLowerCase();
    for (let at = normalised.indexOf(needle); at !== -1; at = normalised.indexOf(needle, at + 1)) {
      if (taken.slice(at, at + needle.length).some(Boolean)) continue;
      taken.fill(true, at, at + needle.length);
      if (!firstAt.has(term)) firstAt.set(term, at);
    }
  }
  // Terms of one length in the order the text uses them, which is how a person reads the warning.
  return [...firstAt].sort(([a, atA], [b, atB]) => b.length - a.length || atA - atB).map(([term]) => term);
}
