import { expect } from '@open-wc/testing';
import { FORBIDDEN_TERMS, findForbiddenTerms, forbiddenTermSpans } from './advertising-law.js';

describe('advertising law terms', () => {
  it('lists the absolute claims of 《广告法》第九条', () => {
    for (const term of ['最', '第一', '唯一', '首选', '国家级', '世界级', '最佳', '顶级', '绝对', '100%', '独家']) {
      expect(FORBIDDEN_TERMS).to.include(term);
    }
  });

  it('finds each forbidden term once, in order, naming the whole superlative', () => {
    expect(findForbiddenTerms('行业第一，最佳选择，国家级工艺，再说一次第一')).to.deep.equal([
      '第一',
      '最佳',
      '国家级',
    ]);
    expect(findForbiddenTerms('全场最低价 100%满意')).to.deep.equal(['最低', '100%']);
    expect(findForbiddenTerms('我们最用心')).to.deep.equal(['最']);
  });

  it('leaves clean text and everyday words with 最 alone', () => {
    expect(findForbiddenTerms('数控机床以旧换新 补贴 8%')).to.deep.equal([]);
    expect(findForbiddenTerms('最近三个月，最终报价以合同为准')).to.deep.equal([]);
    expect(findForbiddenTerms(42 as unknown as string)).to.deep.equal([]);
  });

  it('gives the spans to highlight', () => {
    expect(forbiddenTermSpans('品质第一的顶级机床')).to.deep.equal([
      { start: 2, end: 4, term: '第一' },
      { start: 5, end: 7, term: '顶级' },
    ]);
  });
});
