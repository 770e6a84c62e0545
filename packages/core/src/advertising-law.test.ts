import { expect } from '@open-wc/testing';
import { FORBIDDEN_TERMS, findForbiddenTerms } from './advertising-law.js';

describe('findForbiddenTerms', () => {
  it('finds nothing in plain words', () => {
    expect(findForbiddenTerms('五轴联动加工中心，精度稳定，欢迎咨询')).to.deep.equal([]);
  });

  it('reports each term once, longest first, without counting a shorter term inside a longer one', () => {
    expect(findForbiddenTerms('全网最佳的第一选择，最佳服务')).to.deep.equal(['全网', '最佳', '第一']);
  });

  it('reports a short term where it stands alone beside a longer one', () => {
    expect(findForbiddenTerms('最佳品质，最快交付')).to.deep.equal(['最佳', '最']);
  });

  it('reads full-width digits and percent signs as half-width', () => {
    expect(findForbiddenTerms('１００％合格')).to.deep.equal(['100%']);
  });

  it('lists every term at most once and none empty', () => {
    expect(new Set(FORBIDDEN_TERMS).size).to.equal(FORBIDDEN_TERMS.length);
    expect(FORBIDDEN_TERMS.every((term) => term.length > 0)).to.equal(true);
  });
});
