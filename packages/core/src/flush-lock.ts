/**
 * Runs `task` under the Web Lock `opslot-outbox:<namespace>` if no other tab of the origin holds it, so that one tab at a
 * time resends the persisted outbox that all tabs of an operator share. Another tab holding it means that tab is
 * sending those events now: `task` is skipped and the result is false. Without Web Locks (older browsers, some
 * embedded web views) `task` just runs: two tabs may then send the same events, which the collector de-duplicates
 * by id. `task` should not reject; if it does, the rejection is passed on.
 *
 * @param locks - defaults to `navigator.locks`.
 * @returns whether `task` ran.
 * @example
 * await withFlushLock('op-1234abcd:corporate-web', () => resendPersisted());
 */
export async function withFlushLock(
  namespace: string,
  task: () => Promise<void>,
  locks: LockManager | undefined = globalThis.navigator?.locks,
): Promise<boolean> {
  let ran = false;
  const run = async () => {
    ran = true;
    await task();
  };
  if (typeof locks?.request !== 'function') {
    await run();
    return true;
  }
  try {
    await locks.request(`opslot-outbox:${namespace}`, { ifAvailable: true }, (lock) => (lock ? run() : undefined));
  } catch (error) {
    // The lock manager itself failed (an opaque origin throws SecurityError): proceed as without Web Locks.
    if (ran) throw error;
    await run();
  }
  return ran;
}
