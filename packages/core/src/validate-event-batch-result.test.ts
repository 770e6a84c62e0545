import { expect } from '@open-wc/testing';
import { validateEventBatchResult } from './validate-event-batch-result.js';

describe('validateEventBatchResult', () => {
  it('accepts the collector’s answer and refuses a malformed one', () => {
    const answer = {
      v: 1,
      accepted: ['e1', 'e2'],
      duplicates: ['e0'],
      rejected: [{ index: 2, code: 'invalid-event' }],
    };
    expect(validateEventBatchResult(answer)).to.deep.equal({ ok: true });
    expect(validateEventBatchResult({ ...answer, rejected: [{ index: -1, code: 'x' }] })).to.deep.equal({
      ok: false,
      path: '/rejected/0/index',
      message: 'violates minimum 0',
    });
    expect(validateEventBatchResult({ v: 1, accepted: [] }).ok).to.equal(false);
    expect(validateEventBatchResult({ ...answer, v: 2 }).ok).to.equal(false);
  });
});
