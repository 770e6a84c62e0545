import { expect } from '@open-wc/testing';
import { lastClick, rememberClick } from './attribution.js';

describe('click attribution', () => {
  afterEach(() => sessionStorage.removeItem('opslot:v1:last-click'));

  it('credits a conversion to the last click of the tab', () => {
    rememberClick({ decisionId: 'd-1', slotId: 'home-banner', creativeId: 'cr-1', campaignId: 'c-1' });
    rememberClick({ decisionId: 'd-2', slotId: 'home-side', creativeId: 'cr-2', campaignId: 'c-2', advertiserId: 'a' });
    expect(lastClick()).to.deep.equal({
      decisionId: 'd-2',
      slotId: 'home-side',
      creativeId: 'cr-2',
      campaignId: 'c-2',
      advertiserId: 'a',
    });
  });

  it('trusts nothing but id-shaped strings from storage, and never throws', () => {
    sessionStorage.setItem(
      'opslot:v1:last-click',
      '{"creativeId":"cr-1","slotId":"<img onerror=x>","campaignId":13800138000,"__proto__":{"polluted":1},"extra":"x"}',
    );
    expect(lastClick()).to.deep.equal({ creativeId: 'cr-1' });
    expect(({} as { polluted?: unknown }).polluted).to.equal(undefined);
    sessionStorage.setItem('opslot:v1:last-click', '{not json');
    expect(lastClick()).to.deep.equal({});
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    expect(() => rememberClick({ creativeId: 'cr-1' }, broken as unknown as Storage)).not.to.throw();
    expect(lastClick(broken as unknown as Storage)).to.deep.equal({});
  });
});
