import { expect } from '@open-wc/testing';
import { withFlushLock } from './flush-lock.js';

const namespace = () => `test-${crypto.randomUUID()}:corporate-web`;

/** Holds the lock as another tab would; call the result to release it. */
async function holdLock(name: string): Promise<() => void> {
  return new Promise((resolve) => {
    void navigator.locks.request(name, () => new Promise<void>((release) => resolve(release)));
  });
}

describe('withFlushLock', () => {
  it('runs the task under the lock opslot-outbox:<namespace>', async () => {
    const ns = namespace();
    let heldDuringTask: string[] = [];
    const ran = await withFlushLock(ns, async () => {
      const { held = [] } = await navigator.locks.query();
      heldDuringTask = held.map((lock) => lock.name ?? '');
    });
    expect(ran).to.equal(true);
    expect(heldDuringTask).to.include(`opslot-outbox:${ns}`);
    const { held = [] } = await navigator.locks.query();
    expect(held.map((lock) => lock.name)).not.to.include(`opslot-outbox:${ns}`);
  });

  it('skips the task while another tab holds the lock, without waiting for it', async () => {
    const ns = namespace();
    const release = await holdLock(`opslot-outbox:${ns}`);
    let runs = 0;
    expect(await withFlushLock(ns, async () => void runs++)).to.equal(false);
    expect(runs).to.equal(0);
    release();
    await navigator.locks.request(`opslot-outbox:${ns}`, async () => {});
    expect(await withFlushLock(ns, async () => void runs++)).to.equal(true);
    expect(runs).to.equal(1);
  });

  it('lets one of two overlapping callers run', async () => {
    const ns = namespace();
    let finish = () => {};
    const first = withFlushLock(ns, () => new Promise<void>((resolve) => (finish = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await withFlushLock(ns, async () => {})).to.equal(false);
    finish();
    expect(await first).to.equal(true);
  });

  it('runs the task where the browser has no Web Locks', async () => {
    Object.defineProperty(navigator, 'locks', { configurable: true, value: undefined });
    try {
      let runs = 0;
      expect(await withFlushLock(namespace(), async () => void runs++)).to.equal(true);
      expect(runs).to.equal(1);
    } finally {
      delete (navigator as { locks?: LockManager }).locks;
    }
    expect(navigator.locks).to.be.an.instanceOf(LockManager);
  });

  it('runs the task when the lock manager fails, as in an opaque origin', async () => {
    const failing = { request: () => Promise.reject(new DOMException('denied', 'SecurityError')) };
    let runs = 0;
    expect(await withFlushLock(namespace(), async () => void runs++, failing as unknown as LockManager)).to.equal(true);
    expect(runs).to.equal(1);
  });
});
