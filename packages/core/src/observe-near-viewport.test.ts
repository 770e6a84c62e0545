import { expect, fixture, html, nextFrame } from '@open-wc/testing';
import { observeNearViewport } from './observe-near-viewport.js';

/** Lets IntersectionObserver deliver: it reports after a rendering step, and the callback runs a microtask later. */
async function frames(count = 3) {
  for (let i = 0; i < count; i++) await nextFrame();
  await Promise.resolve();
}

/**
 * The real IntersectionObserver of this window, counting what is observed, so the tests see leaks. Passed as the
 * `win` of observeNearViewport, which needs nothing else from a window.
 */
function countingWindow() {
  const observers: CountingObserver[] = [];
  class CountingObserver extends IntersectionObserver {
    readonly observed = new Set<Element>();
    disconnected = false;
    constructor(callback: IntersectionObserverCallback, init?: IntersectionObserverInit) {
      super(callback, init);
      observers.push(this);
    }
    override observe(target: Element) {
      this.observed.add(target);
      super.observe(target);
    }
    override unobserve(target: Element) {
      this.observed.delete(target);
      super.unobserve(target);
    }
    override disconnect() {
      this.observed.clear();
      this.disconnected = true;
      super.disconnect();
    }
  }
  const win = { IntersectionObserver: CountingObserver } as unknown as Window & typeof globalThis;
  const live = () => observers.filter((observer) => !observer.disconnected);
  return { win, observers, live, observedCount: () => live().reduce((n, o) => n + o.observed.size, 0) };
}

/** This window with an IntersectionObserver that never reports: only the look before the frame can call back. */
function silentObserverWindow(): Window & typeof globalThis {
  return {
    IntersectionObserver: class {
      observe() {}
      disconnect() {}
    },
    innerHeight,
    document,
  } as unknown as Window & typeof globalThis;
}

describe('observeNearViewport', () => {
  let page: HTMLElement;
  // Boxes placed in viewport heights from the top of a page four viewports tall.
  const box = (topVh: number) => {
    const element = document.createElement('div');
    element.style.cssText = `position:absolute;left:0;top:${topVh}vh;width:300px;height:50px`;
    page.append(element);
    return element;
  };

  beforeEach(async () => {
    page = await fixture(html`<div style="position:relative;height:400vh"></div>`);
    window.scrollTo(0, 0);
  });
  afterEach(() => window.scrollTo(0, 0));

  it('calls back for an element in view, and for one 1.5 viewports below only once scrolled near', async () => {
    const inView = box(10);
    const below = box(250);
    const calls: string[] = [];
    const stops = [
      observeNearViewport(inView, 100, () => calls.push('in view')),
      observeNearViewport(below, 100, () => calls.push('below')),
    ];
    await frames();
    expect(calls).to.deep.equal(['in view']);

    // Its top is 1.5 viewports below the fold; with a margin of one viewport it is near after half a viewport.
    window.scrollTo(0, innerHeight * 0.4);
    await frames();
    expect(calls).to.deep.equal(['in view']);

    window.scrollTo(0, innerHeight * 0.6);
    await frames();
    expect(calls).to.deep.equal(['in view', 'below']);
    for (const stop of stops) stop();
  });

  it('measures the margin in viewport heights', async () => {
    const below = box(250);
    let wide = 0;
    let none = 0;
    const stops = [observeNearViewport(below, 200, () => wide++), observeNearViewport(below, 0, () => none++)];
    await frames();
    expect([wide, none]).to.deep.equal([1, 0]);
    window.scrollTo(0, innerHeight * 1.6);
    await frames();
    expect([wide, none]).to.deep.equal([1, 1]);
    for (const stop of stops) stop();
  });

  it('calls back once, however often the element comes and goes', async () => {
    const element = box(10);
    let calls = 0;
    const stop = observeNearViewport(element, 0, () => calls++);
    await frames();
    window.scrollTo(0, innerHeight * 2);
    await frames();
    window.scrollTo(0, 0);
    await frames();
    expect(calls).to.equal(1);
    stop();
  });

  it('with lookNow, finds an element already near before any observer reports, and one far below not', async () => {
    const win = silentObserverWindow();
    const calls: string[] = [];
    observeNearViewport(box(10), 100, () => calls.push('in view'), { lookNow: true, win });
    observeNearViewport(box(150), 100, () => calls.push('within the margin'), { lookNow: true, win });
    const stopFar = observeNearViewport(box(250), 100, () => calls.push('far'), { lookNow: true, win });
    const stopLater = observeNearViewport(box(20), 100, () => calls.push('not looking'), { win });
    await frames();
    expect(calls).to.deep.equal(['in view', 'within the margin']);
    stopFar();
    stopLater();
  });

  it('with lookNow, leaves an element beside the viewport or cut off by an ancestor to the observer', async () => {
    const win = silentObserverWindow();
    // Each in a clipping box of its own, apart from the others, all in view.
    const clipped = (topVh: number, css: string, left: string) => {
      const clip = document.createElement('div');
      clip.style.cssText = `position:absolute;top:${topVh}vh;left:0;overflow:hidden;${css}`;
      const element = document.createElement('div');
      element.style.cssText = `position:absolute;top:0;left:${left};width:300px;height:50px`;
      clip.append(element);
      page.append(clip);
      return element;
    };
    const calls: string[] = [];
    const look = (element: Element, name: string) =>
      observeNearViewport(element, 100, () => calls.push(name), { lookNow: true, win });
    const offRight = box(10);
    offRight.style.left = '110vw';
    const stops = [
      look(box(10), 'in view'),
      look(offRight, 'off to the right'),
      look(clipped(30, 'width:100vw;height:0', '0'), 'in a collapsed ancestor'),
      look(clipped(50, 'width:300px;height:50px', '310px'), 'in a carousel’s next panel'),
      look(clipped(70, 'width:300px;height:50px', '0'), 'in a carousel’s current panel'),
    ];
    await frames();
    expect(calls).to.deep.equal(['in view', 'in a carousel’s current panel']);
    for (const stop of stops) stop();
  });

  it('with lookNow, reads once what the microtasks queued after it have moved (a slot’s first update)', async () => {
    const win = silentObserverWindow();
    const element = box(250);
    const calls: string[] = [];
    const stop = observeNearViewport(element, 100, () => calls.push('moved near'), { lookNow: true, win });
    queueMicrotask(() => {
      element.style.top = '10vh';
    });
    await frames();
    expect(calls).to.deep.equal(['moved near']);
    stop();
  });

  it('never calls back after stop', async () => {
    const element = box(10);
    let calls = 0;
    observeNearViewport(element, 100, () => calls++)();
    await frames();
    expect(calls).to.equal(0);
  });

  it('never calls back for an element that is not laid out', async () => {
    const hidden = box(10);
    hidden.style.display = 'none';
    let calls = 0;
    const stop = observeNearViewport(hidden, 100, () => calls++);
    await frames();
    expect(calls).to.equal(0);
    stop();
  });

  it('disconnects its observer once it has called back, and on stop', async () => {
    const { win, live, observedCount } = countingWindow();
    let calls = 0;
    const stopNear = observeNearViewport(box(10), 100, () => calls++, { win });
    const stopFar = observeNearViewport(box(250), 100, () => {}, { win });
    expect(observedCount()).to.equal(2);
    await frames();
    expect(calls).to.equal(1);
    expect(observedCount()).to.equal(1);

    stopFar();
    stopNear();
    stopFar();
    expect(observedCount()).to.equal(0);
    expect(live()).to.have.length(0);
  });

  it('leaves nothing observed after many slots come and go', async () => {
    const { win, live, observedCount } = countingWindow();
    for (let round = 0; round < 50; round++) {
      const stops = [box(250), box(300), box(10)].map((element) =>
        observeNearViewport(element, 100, () => {}, { win }),
      );
      if (round % 2) await frames(1);
      for (const stop of stops) stop();
      page.replaceChildren();
    }
    expect(observedCount()).to.equal(0);
    expect(live()).to.have.length(0);
  });

  it('calls back at once, asynchronously, where there is no IntersectionObserver', async () => {
    const element = box(250);
    const win = {} as Window & typeof globalThis;
    let calls = 0;
    observeNearViewport(element, 100, () => calls++, { win });
    expect(calls).to.equal(0);
    await Promise.resolve();
    expect(calls).to.equal(1);

    observeNearViewport(element, 100, () => calls++, { win })();
    await Promise.resolve();
    expect(calls).to.equal(1);
  });

  it('calls back at once for a margin the browser refuses, rather than throwing', async () => {
    let calls = 0;
    expect(() => observeNearViewport(box(250), Number.NaN, () => calls++)).not.to.throw();
    await Promise.resolve();
    expect(calls).to.equal(1);
  });
});
