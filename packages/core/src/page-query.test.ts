import { expect } from '@open-wc/testing';
import { fieldsOf } from './page-query.js';

describe('fieldsOf', () => {
  it('turns each ?opslot_force=slot:creative into the request’s force, in order', () => {
    expect(fieldsOf('?a=1&opslot_force=home-banner:cr-1&opslot_force=home-side:cr:2')).to.deep.equal({
      force: [
        { slotId: 'home-banner', creativeId: 'cr-1' },
        { slotId: 'home-side', creativeId: 'cr:2' },
      ],
    });
  });

  it('leaves out what is not two ids, and sends at most ten', () => {
    expect(fieldsOf('?opslot_force=home-banner&opslot_force=:cr-1&opslot_force=a b:c')).to.deep.equal({});
    const many = Array.from({ length: 12 }, (_, index) => `opslot_force=slot-${index}:cr-${index}`).join('&');
    expect(fieldsOf(`?${many}`).force).to.have.length(10);
    expect(fieldsOf('')).to.deep.equal({});
  });

  it('takes a preview token of the shape the request schema allows, and nothing else', () => {
    expect(fieldsOf('?opslot_preview=eyJwIjoxfQ.c2ln_-~')).to.deep.equal({ preview: 'eyJwIjoxfQ.c2ln_-~' });
    expect(fieldsOf('?opslot_preview=%3Cscript%3E')).to.deep.equal({});
    expect(fieldsOf(`?opslot_preview=${'a'.repeat(2049)}`)).to.deep.equal({});
    expect(fieldsOf('?opslot_preview=')).to.deep.equal({});
  });
});
