/**
 * Calls `callback` when the page is hidden: the last moment a browser reliably lets it send beacons, on mobile
 * (app switch, tab discard) as on desktop (tab close, navigation).
 *
 * Listens to `visibilitychange` → hidden and to `pagehide`, never to `unload`/`beforeunload`, which keep a page
 * out of the back/forward cache (https://web.dev/articles/bfcache#never-use-the-unload-event). Calls back at most
 * once per hide: a `pagehide` right after the page went hidden does not call again. It re-arms when the page is
 * visible again or is restored from the back/forward cache (`pageshow`): older Safari fires `pagehide` without
 * `visibilitychange` on navigation (https://bugs.webkit.org/show_bug.cgi?id=151234), so it may come back without
 * a `visibilitychange` either.
 *
 * The entry module installs it; nothing does at import time.
 *
 * @returns a function that removes the listeners.
 * @example
 * const stop = onPageHide(window, () => void outbox.flush('unload'));
 */
export function onPageHide(win: Window, callback: () => void): () => void {
  const doc = win.document;
  let hidden = false;
  const hide = () => {
    if (hidden) return;
    hidden = true;
    callback();
  };
  const onVisibilityChange = () => {
    if (doc.visibilityState === 'hidden') hide();
    else hidden = false;
  };
  const onPageShow = () => {
    hidden = false;
  };
  // On `document`, not `window`: Safari before 14 did not dispatch `visibilitychange` to window
  // (https://caniuse.com/?search=visibilitychange, note 1). Capture phase, so that a page's listener that stops
  // propagation cannot hide the event from us, as in web-vitals' onHidden.
  doc.addEventListener('visibilitychange', onVisibilityChange, true);
  win.addEventListener('pagehide', hide, true);
  win.addEventListener('pageshow', onPageShow, true);
  return () => {
    doc.removeEventListener('visibilitychange', onVisibilityChange, true);
    win.removeEventListener('pagehide', hide, true);
    win.removeEventListener('pageshow', onPageShow, true);
  };
}
