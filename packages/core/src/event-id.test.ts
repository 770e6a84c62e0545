import { expect } from '@open-wc/testing';
import { createEventId } from './event-id.js';

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createEventId', () => {
  it('gives a UUID v4 that matches the protocol id pattern', () => {
    const id = createEventId();
    expect(id).to.match(UUID_V4);
    expect(id).to.match(ID_PATTERN);
  });

  it('gives a new id each time', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => createEventId()));
    expect(ids.size).to.equal(1000);
  });

  it('sets the version and variant bits on the random bytes it is given', () => {
    expect(createEventId((bytes) => bytes.fill(0xff))).to.equal('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(createEventId((bytes) => bytes.fill(0))).to.equal('00000000-0000-4000-8000-000000000000');
  });

  it('builds the UUID from getRandomValues where randomUUID is missing (insecure contexts)', () => {
    // An own property shadows Crypto.prototype.randomUUID, as on a plain-http page.
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      const id = createEventId();
      expect(id).to.match(UUID_V4);
      expect(id).to.match(ID_PATTERN);
    } finally {
      Reflect.deleteProperty(crypto, 'randomUUID');
    }
    expect(crypto.randomUUID).to.be.a('function');
  });
});
