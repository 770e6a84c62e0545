// A page pays only for the formats it shows: a banner needs no format code but the reporter every creative is
// measured by (after it paints), and a pop-up loads the pop-up's only. This file imports nothing of the formats
// itself, so what the browser fetched is what the slots asked for.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../define.js';
import type { OpSlot } from '../op-slot/op-slot.component.js';
import { answerFrom, bannerCreative } from '../test-support/fake-endpoint.js';
import { formatCreative } from '../test-support/format-creatives.js';
import { nextRender, session } from '../test-support/slot-fixtures.js';

const fetchedFormatCode = () =>
  performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((url) => url.includes('/src/formats/') && !/\/banner\.|\.test\./.test(url))
    .map((url) => new URL(url).pathname.replace(/^.*\/src\/formats\//, ''));

describe('lazily loaded formats', () => {
  it('a page showing only banners downloads no format code; a pop-up downloads its own only', async () => {
    const banners = session(answerFrom({ a: [bannerCreative()], b: [bannerCreative({ id: 'cr-b' })] }));
    const page = await fixture<HTMLDivElement>(html`<div>
      <op-slot .session=${banners.opslot} slot-id="a" size="960x240"></op-slot>
      <op-slot .session=${banners.opslot} slot-id="b" size="960x240"></op-slot>
    </div>`);
    await Promise.all([...page.querySelectorAll('op-slot')].map((slot) => nextRender(slot)));
    expect(fetchedFormatCode()).to.deep.equal(['format-reporter.ts']);

    const popups = session(answerFrom({ entry: [formatCreative('popup')] }));
    const slot = await fixture<OpSlot>(html`<op-slot .session=${popups.opslot} slot-id="entry"></op-slot>`);
    await nextRender(slot);
    const fetched = fetchedFormatCode();
    expect(fetched).to.include('popup/op-popup.ts');
    expect(fetched.some((path) => /carousel|floating|notice|card-list|native/.test(path))).to.equal(false);
  });

  it('collapses a slot whose only candidate is in a format this SDK does not know', async () => {
    const { opslot } = session(answerFrom({ a: [formatCreative('video')] }));
    const slot = await fixture<OpSlot>(html`<op-slot .session=${opslot} slot-id="a" size="960x240"></op-slot>`);
    expect((await oneEvent(slot, 'op-error')).detail.code).to.equal('unsupported-format');
    expect(slot.getBoundingClientRect().height).to.equal(0);
  });
});
