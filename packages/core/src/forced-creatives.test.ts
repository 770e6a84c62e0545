import { expect } from '@open-wc/testing';
import { forcedCreatives } from './forced-creatives.js';

describe('forcedCreatives', () => {
  it('turns each ?opslot_force=slot:creative into the request’s force, in order', () => {
    expect(forcedCreatives('?a=1&opslot_force=home-banner:cr-1&opslot_force=home-side:cr:2')).to.deep.equal({
      force: [
        { slotId: 'home-banner', creativeId: 'cr-1' },
        { slotId: 'home-side', creativeId: 'cr:2' },
      ],
    });
  });

  it('leaves out what is not two ids, and sends at most ten', () => {
    expect(forcedCreatives('?opslot_force=home-banner&opslot_force=:cr-1&opslot_force=a b:c')).to.deep.equal({});
    const many = Array.from({ length: 12 }, (_, index) => `opslot_force=slot-${index}:cr-${index}`).join('&');
    expect(forcedCreatives(`?${many}`).force).to.have.length(10);
    expect(forcedCreatives('')).to.deep.equal({});
  });
});
