// The reporter a creative's render and exposure go through, on the edge the SPA route changes find: a slot taken out
// of the page after its images loaded but before this code arrived.
import { expect } from '@open-wc/testing';
import '../define.js';
import type { OpSlot } from '../op-slot/op-slot.component.js';
import { answerFrom, bannerCreative } from '../test-support/fake-endpoint.js';
import { session } from '../test-support/slot-fixtures.js';
import { FormatReporter } from './format-reporter.js';

describe('FormatReporter', () => {
  it('counts the render of a slot already out of the page, but watches its exposure only once it is back', async () => {
    const { opslot } = session(answerFrom({}));
    const watched: Element[] = [];
    const stopped: Element[] = [];
    const measurement = await opslot.measurement();
    if (!measurement) throw new Error('no measurement');
    measurement.observeViewability = (element) => {
      watched.push(element);
      return () => stopped.push(element);
    };
    // The watch starts and stops once the measurement code has answered: a task later at most.
    const settled = () => new Promise((resolve) => setTimeout(resolve));
    const slot = Object.assign(document.createElement('op-slot'), { session: opslot }) as OpSlot;
    slot.setAttribute('slot-id', 'home-banner');
    const renders: Event[] = [];
    slot.addEventListener('op-render', (event) => renders.push(event));
    const reporter = new FormatReporter({ slot, decisionId: 'dec-1' });

    reporter.shown(bannerCreative(), slot);
    expect(renders).to.have.length(1);
    await settled();
    expect(watched, 'no observer left behind on a slot out of the page').to.deep.equal([]);

    document.body.append(slot);
    try {
      reporter.resume();
      await settled();
      expect(watched).to.deep.equal([slot]);
      slot.remove();
      reporter.stop();
      await settled();
      expect(stopped).to.deep.equal([slot]);
    } finally {
      slot.remove();
    }
  });
});
