import { expect } from '@open-wc/testing';
import { decisionEvents } from './decision-events.js';

const page = { channel: 'corporate-web', pageId: 'home' } as const;

describe('decisionEvents', () => {
  it('reports the request and its fill', () => {
    const events = decisionEvents(
      'home-banner',
      { kind: 'filled', decisionId: 'd-1', ttl: 60, candidates: [] },
      5,
      page,
    );
    expect(events.map(({ ts, ...event }) => event)).to.deep.equal([
      { ...page, slotId: 'home-banner', type: 'request' },
      { ...page, slotId: 'home-banner', type: 'fill', decisionId: 'd-1' },
    ]);
    expect(events[0]?.ts).to.equal(5);
  });

  it('reports a no-fill with its reason, and an error with its code', () => {
    const [, noFill] = decisionEvents('s', { kind: 'empty', reason: 'disabled', decisionId: 'd-2', ttl: 60 }, 0, page);
    expect(noFill).to.include({ type: 'no-fill', code: 'disabled', decisionId: 'd-2' });
    const [, error] = decisionEvents('s', { kind: 'error', code: 'timeout', message: 'over 1500 ms' }, 0, page);
    expect(error).to.include({ type: 'error', code: 'timeout' });
    expect(error).not.to.have.property('message');
  });

  it('reports nothing for a slot that left before its answer', () => {
    expect(decisionEvents('s', { kind: 'error', code: 'aborted', message: 'aborted' }, 0, page)).to.deep.equal([]);
  });
});
