import { expect } from '@open-wc/testing';
import { onPageHide } from './on-page-hide.js';

/** A window whose visibility the test sets; events are real, dispatched on real EventTargets. */
function fakeWindow() {
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState });
  const win = Object.assign(new EventTarget(), { document: doc });
  const setVisibility = (state: DocumentVisibilityState) => {
    doc.visibilityState = state;
    doc.dispatchEvent(new Event('visibilitychange'));
  };
  return { win: win as unknown as Window, setVisibility, fire: (type: string) => win.dispatchEvent(new Event(type)) };
}

describe('onPageHide', () => {
  it('calls back when the page becomes hidden', () => {
    const { win, setVisibility } = fakeWindow();
    let calls = 0;
    onPageHide(win, () => calls++);
    setVisibility('hidden');
    expect(calls).to.equal(1);
  });

  it('calls back on pagehide alone (older Safari navigates without visibilitychange, WebKit bug 151234)', () => {
    const { win, fire } = fakeWindow();
    let calls = 0;
    onPageHide(win, () => calls++);
    fire('pagehide');
    expect(calls).to.equal(1);
  });

  it('calls back once when visibilitychange and pagehide both come', () => {
    const { win, setVisibility, fire } = fakeWindow();
    let calls = 0;
    onPageHide(win, () => calls++);
    setVisibility('hidden');
    fire('pagehide');
    expect(calls).to.equal(1);
  });

  it('calls back again after the page was visible again', () => {
    const { win, setVisibility } = fakeWindow();
    let calls = 0;
    onPageHide(win, () => calls++);
    setVisibility('hidden');
    setVisibility('visible');
    setVisibility('hidden');
    expect(calls).to.equal(2);
  });

  it('calls back again after a restore from the back/forward cache', () => {
    const { win, fire } = fakeWindow();
    let calls = 0;
    onPageHide(win, () => calls++);
    fire('pagehide');
    fire('pageshow');
    fire('pagehide');
    expect(calls).to.equal(2);
  });

  it('does not call back after unsubscribing', () => {
    const { win, setVisibility, fire } = fakeWindow();
    let calls = 0;
    const stop = onPageHide(win, () => calls++);
    stop();
    setVisibility('hidden');
    fire('pagehide');
    expect(calls).to.equal(0);
  });

  it('works on the real window', () => {
    let calls = 0;
    const stop = onPageHide(window, () => calls++);
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    stop();
    window.dispatchEvent(new PageTransitionEvent('pagehide'));
    expect(calls).to.equal(1);
  });
});
