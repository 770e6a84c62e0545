import { expect } from '@open-wc/testing';
import type { Opslot } from './create-opslot.js';
import type { SessionMeasurement } from './measurement.js';
import type { BeaconEvent } from './protocol.js';
import { observeViewable, trackEvent } from './session-measurement.js';

const CONFIG = { channel: 'corporate-web', pageId: 'home' } as Opslot['config'];

/** A session whose measurement code arrives only when `arrive` is called, as a slow chunk would. */
function sessionWithLateMeasurement({ configured = true } = {}) {
  const tracked: BeaconEvent[] = [];
  const watching: { element: Element; stopped: boolean }[] = [];
  const measurement = {
    track: (event: BeaconEvent) => void tracked.push(event),
    observeViewability: (element: Element) => {
      const watch = { element, stopped: false };
      watching.push(watch);
      return () => {
        watch.stopped = true;
      };
    },
  } as unknown as SessionMeasurement;
  let arrive = () => {};
  const arrived = new Promise<SessionMeasurement>((resolve) => {
    arrive = () => resolve(measurement);
  });
  const session = { config: configured ? CONFIG : undefined, measurement: () => arrived };
  return { session, tracked, watching, arrive, arrived };
}

const later = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('trackEvent', () => {
  it('stamps an event when it happens, with the channel and page, even when the measurement code comes later', async () => {
    const { session, tracked, arrive, arrived } = sessionWithLateMeasurement();
    const happened = Date.now();
    trackEvent(session, { type: 'conversion', name: 'loan-application-submitted' });
    await later();
    expect(tracked).to.deep.equal([]);

    arrive();
    await arrived;
    await later();
    expect(tracked).to.have.length(1);
    const [event] = tracked as [BeaconEvent];
    expect(event).to.include({ type: 'conversion', channel: 'corporate-web', pageId: 'home' });
    expect(event.ts).to.be.within(happened, happened + 20);
  });

  it('drops the event of a session without a valid configuration', async () => {
    const { session, tracked, arrive, arrived } = sessionWithLateMeasurement({ configured: false });
    trackEvent(session, { type: 'conversion', name: 'loan-application-submitted' });
    arrive();
    await arrived;
    await later();
    expect(tracked).to.deep.equal([]);
  });
});

describe('observeViewable', () => {
  it('stops the watch that starts after it was stopped', async () => {
    const { session, watching, arrive, arrived } = sessionWithLateMeasurement();
    const element = document.createElement('div');
    const stop = observeViewable(session, element, () => {});
    stop();
    arrive();
    await arrived;
    await later();
    expect(watching.map((watch) => [watch.element, watch.stopped])).to.deep.equal([[element, true]]);
  });

  it('keeps watching until stopped', async () => {
    const { session, watching, arrive, arrived } = sessionWithLateMeasurement();
    const stop = observeViewable(session, document.createElement('div'), () => {});
    arrive();
    await arrived;
    await later();
    expect(watching.map((watch) => watch.stopped)).to.deep.equal([false]);
    stop();
    await later();
    expect(watching.map((watch) => watch.stopped)).to.deep.equal([true]);
  });
});
