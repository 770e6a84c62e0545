import { expect } from '@open-wc/testing';
import { FORBIDDEN_TERMS, findForbiddenTerms, forbiddenTermSpans } from './advertising-law.js';

describe('advertising law terms', () => {
  it('lists the absolute claims of 《广告法》第九条, each once', () => {
    for (const term of ['最', '第一', '唯一', '首选', '国家级', '世界级', '最佳', '顶级', '绝对', '100%', '独家']) {
      expect(FORBIDDEN_TERMS).to.include(term);
    }
    expect(new Set(FORBIDDEN_TERMS).size).to.equal(FORBIDDEN_TERMS.length);
    expect(FORBIDDEN_TERMS.every((term) => term.length > 0)).to.equal(true);
  });

  it('finds each term once, in the order it first appears, naming the whole superlative', () => {
    expect(findForbiddenTerms('行业第一，最佳选择，国家级工艺，再说一次第一')).to.deep.equal([
      '第一',
      '最佳',
      '国家级',
    ]);
    expect(findForbiddenTerms('全网最佳的第一选择，最佳服务')).to.deep.equal(['全网', '最佳', '第一']);
    expect(findForbiddenTerms('全场最低价 100%满意')).to.deep.equal(['最低', '100%']);
  });

  it('reports a short term where it stands alone beside a longer one', () => {
    expect(findForbiddenTerms('最佳品质，最快交付')).to.deep.equal(['最佳', '最']);
  });

  it('reads full-width digits and percent signs as half-width, and Latin letters in any case', () => {
    expect(findForbiddenTerms('１００％合格')).to.deep.equal(['100%']);
    expect(findForbiddenTerms('行业 no.1，top1 之选')).to.deep.equal(['No.1', 'TOP1']);
  });

  it('leaves clean text and everyday words with 最 alone', () => {
    expect(findForbiddenTerms('五轴联动加工中心，精度稳定，欢迎咨询 补贴 8%')).to.deep.equal([]);
    expect(findForbiddenTerms('最近三个月，最终报价以合同为准')).to.deep.equal([]);
    expect(findForbiddenTerms(42 as unknown as string)).to.deep.equal([]);
  });

  it('gives the spans to highlight, in the positions of the original text', () => {
    expect(forbiddenTermSpans('品质第一的顶级机床')).to.deep.equal([
      { start: 2, end: 4, term: '第一' },
      { start: 5, end: 7, term: '顶级' },
    ]);
    expect(forbiddenTermSpans('合格率１００％')).to.deep.equal([{ start: 3, end: 7, term: '100%' }]);
  });
});
