import { aTimeout, expect, fixture, waitUntil } from '@open-wc/testing';
import { observeViewability } from './observe-viewability.js';

/** An EventTarget that knows how many listeners of each type are registered. */
class CountingTarget extends EventTarget {
  readonly listeners = new Map<string, number>();
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ) {
    this.listeners.set(type, (this.listeners.get(type) ?? 0) + 1);
    super.addEventListener(type, listener, options);
  }
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ) {
    this.listeners.set(type, (this.listeners.get(type) ?? 0) - 1);
    super.removeEventListener(type, listener, options);
  }
  get listening() {
    return [...this.listeners.values()].reduce((sum, n) => sum + n, 0);
  }
}

/**
 * The far side of the controller: a window with a scripted IntersectionObserver, page visibility, focus and a clock
 * that moves only when the test says.
 */
function fakeWindow({ io2 = true, focused = true } = {}) {
  let now = 0;
  let nextHandle = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const observers: FakeIntersectionObserver[] = [];

  class FakeIntersectionObserver {
    readonly observed: Element[] = [];
    disconnected = false;
    constructor(
      readonly callback: IntersectionObserverCallback,
      readonly init: IntersectionObserverInit & { trackVisibility?: boolean; delay?: number },
    ) {
      observers.push(this);
    }
    observe(target: Element) {
      this.observed.push(target);
    }
    disconnect() {
      this.disconnected = true;
    }
    /** Delivers one entry for a 300×250 box, as the browser would. */
    report(ratio: number, isVisible?: boolean) {
      const entry = {
        intersectionRatio: ratio,
        boundingClientRect: { width: 300, height: 250 },
        ...(io2 ? { isVisible } : {}),
      };
      this.callback([entry as unknown as IntersectionObserverEntry], this as unknown as IntersectionObserver);
    }
  }
  class FakeEntry {}
  if (io2) Object.defineProperty(FakeEntry.prototype, 'isVisible', { value: false });

  const doc = Object.assign(new CountingTarget(), {
    visibilityState: 'visible' as DocumentVisibilityState,
    hasFocus: () => focused,
  });
  const win = Object.assign(new CountingTarget(), {
    document: doc,
    IntersectionObserver: FakeIntersectionObserver,
    IntersectionObserverEntry: FakeEntry,
    performance: { now: () => now },
    setTimeout: (callback: () => void, ms: number) => {
      const handle = nextHandle++;
      timers.set(handle, { at: now + ms, callback });
      return handle;
    },
    clearTimeout: (handle: number) => void timers.delete(handle),
  });

  return {
    win: win as unknown as Window & typeof globalThis,
    get observer() {
      return observers[0] as FakeIntersectionObserver;
    },
    now: () => now,
    /** Moves time forward, firing due timers in order. */
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= until).sort(([, x], [, y]) => x.at - y.at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].callback();
      }
      now = until;
    },
    setVisibility(visible: boolean) {
      doc.visibilityState = visible ? 'visible' : 'hidden';
      doc.dispatchEvent(new Event('visibilitychange'));
    },
    setFocus(focus: boolean) {
      win.dispatchEvent(new Event(focus ? 'focus' : 'blur'));
    },
    /** Observers, listeners and timers still held. */
    held: () => ({
      observers: observers.filter((o) => !o.disconnected).length,
      listeners: win.listening + doc.listening,
      timers: timers.size,
    }),
  };
}

const RELEASED = { observers: 0, listeners: 0, timers: 0 };

function watch(fake: ReturnType<typeof fakeWindow>) {
  const calls: { method: string; at: number }[] = [];
  const stop = observeViewability(document.createElement('div'), {
    win: fake.win,
    onViewable: (method) => calls.push({ method, at: fake.now() }),
  });
  return { calls, stop };
}

describe('observeViewability', () => {
  it('uses IntersectionObserver v2 where the browser has it, and reports io2', () => {
    const fake = fakeWindow({ io2: true });
    const { calls } = watch(fake);
    expect(fake.observer.init).to.include({ trackVisibility: true, delay: 100 });
    expect(fake.observer.init.threshold).to.include.members([0.3, 0.5]);
    fake.observer.report(1, true);
    fake.advance(999);
    expect(calls).to.deep.equal([]);
    fake.advance(1);
    expect(calls).to.deep.equal([{ method: 'io2', at: 1000 }]);
  });

  it('uses IntersectionObserver v1 elsewhere, and reports io1', () => {
    const fake = fakeWindow({ io2: false });
    const { calls } = watch(fake);
    expect(fake.observer.init).not.to.have.property('trackVisibility');
    fake.observer.report(0.6);
    fake.advance(5000);
    expect(calls).to.deep.equal([{ method: 'io1', at: 1000 }]);
  });

  it('does not count a creative that v2 reports covered', () => {
    const fake = fakeWindow();
    const { calls } = watch(fake);
    fake.observer.report(1, false);
    fake.advance(5000);
    expect(calls).to.deep.equal([]);
  });

  it('restarts the second when the tab is hidden or the window blurred', () => {
    const fake = fakeWindow();
    const { calls } = watch(fake);
    fake.observer.report(1, true);
    fake.advance(500);
    fake.setVisibility(false);
    fake.advance(200);
    fake.setVisibility(true);
    fake.advance(900);
    fake.setFocus(false);
    fake.advance(100);
    fake.setFocus(true);
    fake.advance(5000);
    expect(calls).to.deep.equal([{ method: 'io2', at: 2700 }]);
  });

  it('starts unfocused when the document has no focus', () => {
    const fake = fakeWindow({ focused: false });
    const { calls } = watch(fake);
    fake.observer.report(1, true);
    fake.advance(3000);
    expect(calls).to.deep.equal([]);
    fake.setFocus(true);
    fake.advance(1000);
    expect(calls).to.deep.equal([{ method: 'io2', at: 4000 }]);
  });

  it('calls back once, then holds nothing', () => {
    const fake = fakeWindow();
    const { calls } = watch(fake);
    fake.observer.report(1, true);
    fake.advance(1000);
    fake.setVisibility(false);
    fake.setVisibility(true);
    fake.observer.report(1, true);
    fake.advance(5000);
    expect(calls).to.have.length(1);
    expect(fake.held()).to.deep.equal(RELEASED);
  });

  it('stop releases the observer, the listeners and the timer, and the callback never comes', () => {
    const fake = fakeWindow();
    const { calls, stop } = watch(fake);
    fake.observer.report(1, true);
    fake.advance(500);
    expect(fake.held()).to.deep.equal({ observers: 1, listeners: 3, timers: 1 });
    stop();
    expect(fake.held()).to.deep.equal(RELEASED);
    fake.observer.report(1, true);
    fake.advance(5000);
    expect(calls).to.deep.equal([]);
  });

  it('reports a real element on screen viewable after a second, and not one off screen or stopped', async () => {
    const box = 'width: 300px; height: 250px; background: #1a5fb4;';
    const onScreen = await fixture<HTMLDivElement>(`<div style="position: fixed; top: 0; left: 0; ${box}"></div>`);
    const offScreen = await fixture<HTMLDivElement>(
      `<div style="position: fixed; top: 0; left: -10000px; ${box}"></div>`,
    );
    const stopped = await fixture<HTMLDivElement>(`<div style="position: fixed; top: 260px; left: 0; ${box}"></div>`);
    const start = performance.now();
    let viewable: { method: string; at: number } | undefined;
    const others: string[] = [];
    const stopOnScreen = observeViewability(onScreen, {
      onViewable: (method) => (viewable = { method, at: performance.now() }),
    });
    const stopOffScreen = observeViewability(offScreen, { onViewable: () => others.push('off-screen') });
    observeViewability(stopped, { onViewable: () => others.push('stopped') })();
    try {
      await waitUntil(() => viewable, 'the on-screen element never became viewable', { timeout: 5000 });
      // The off-screen one had as long; a little more in case its timer fires late.
      await aTimeout(300);
      expect(viewable?.at).to.be.at.least(start + 1000);
      expect(viewable?.method).to.equal('io2');
      expect(others).to.deep.equal([]);
    } finally {
      stopOnScreen();
      stopOffScreen();
    }
  });
});
