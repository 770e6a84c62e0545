// The QA debug overlay over real slots of a session talking to a fake endpoint: it outlines each slot, explains the
// decision and the frequency rules, shows events with their delivery, passes axe, and works by keyboard.
import { expect, fixture, html } from '@open-wc/testing';
import type { FrequencyRules } from '@opslot/core';
import '../define.js';
import { answerFrom, bannerCreative } from '../test-support/fake-endpoint.js';
import { CONFIG, session, settled } from '../test-support/slot-fixtures.js';
import { type OpDebugOverlay, toggleDebugOverlay } from './op-debug-overlay.js';

const TWICE_A_DAY: FrequencyRules = { caps: [{ scope: 'creative', max: 2, window: 'day' }], countOn: 'rendered' };

async function overlayOver(config: object = { ...CONFIG, lazyLoad: false }) {
  const creative = bannerCreative({ id: 'cr-ruled', frequency: TWICE_A_DAY, reason: 'priority 10, weight 1' });
  const { opslot, endpoint } = session(answerFrom({ 'home-banner': [creative] }), config);
  const page = await fixture(html`<div>
    <op-slot .session=${opslot} slot-id="home-banner" size="960x240"></op-slot>
    <op-debug-overlay .session=${opslot}></op-debug-overlay>
  </div>`);
  const slot = page.querySelector('op-slot') as HTMLElement & { state: string };
  await settled(slot as never);
  const overlay = page.querySelector('op-debug-overlay') as OpDebugOverlay;
  // Two refreshes: the first may run before the measurement code has noted anything.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await overlay.updateComplete;
  return { overlay, slot, endpoint, opslot };
}

const textOf = (overlay: OpDebugOverlay) => overlay.shadowRoot?.textContent?.replace(/\s+/g, ' ') ?? '';

describe('<op-debug-overlay>', () => {
  it('explains each slot: decision, creative, strategy, reason, rules and counts, visibility and events', async () => {
    const { overlay } = await overlayOver();
    const text = textOf(overlay);
    expect(text).to.include('home-banner · 960x240 · rendered');
    expect(text).to.include('dec-test-1');
    expect(text).to.include('cr-ruled');
    expect(text).to.include('priority 10, weight 1');
    expect(text).to.include('"max":2');
    expect(text).to.include('1 / 1 / 1');
    expect(text).to.match(/render — (排队中|已确认)/);
    const outline = overlay.shadowRoot?.querySelector('.outline') as HTMLElement;
    expect(outline.textContent).to.include('home-banner · rendered');
  });

  it('passes axe, and Esc closes it', async () => {
    const { overlay } = await overlayOver();
    await expect(overlay).to.be.accessible();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(overlay.isConnected).to.equal(false);
  });

  it('clears the ledger of the current operator', async () => {
    const { overlay } = await overlayOver();
    const clear = [...(overlay.shadowRoot?.querySelectorAll('button') ?? [])].find((button) =>
      button.textContent?.includes('清除'),
    ) as HTMLButtonElement;
    clear.click();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await overlay.updateComplete;
    expect(textOf(overlay)).to.include('台账已清除');
    expect(textOf(overlay)).to.include('0 / 0 / 0');
  });

  it('gives a diagnostic JSON with the configuration, the slots and the ledger', async () => {
    const { overlay } = await overlayOver();
    const diagnostics = JSON.parse(JSON.stringify(overlay.diagnostics())) as {
      config: { channel: string };
      slots: { slotId: string; state: string }[];
      ledger: { choices: Record<string, { shown?: string }> };
    };
    expect(diagnostics.config.channel).to.equal('corporate-web');
    expect(diagnostics.slots.map(({ slotId, state }) => [slotId, state])).to.deep.equal([['home-banner', 'rendered']]);
    expect(diagnostics.ledger.choices['home-banner']?.shown).to.equal('cr-ruled');
  });

  it('shows, hides and toggles on request', () => {
    toggleDebugOverlay(true);
    toggleDebugOverlay(true);
    expect(document.querySelectorAll('op-debug-overlay')).to.have.length(1);
    toggleDebugOverlay();
    expect(document.querySelector('op-debug-overlay')).to.equal(null);
    toggleDebugOverlay(false);
    expect(document.querySelector('op-debug-overlay')).to.equal(null);
  });
});
