import { expect } from '@open-wc/testing';
import {
  initialViewability,
  msUntilViewable,
  nextViewability,
  VIEWABILITY_STATUS,
  type ViewabilityInput,
  type ViewabilityState,
} from './viewability.js';

const MEDIUM_RECTANGLE = { width: 300, height: 250 };
const BILLBOARD = { width: 970, height: 250 };

/**
 * Plays timed inputs through the state machine, ticking every 100 ms in between (as a busy page's timer might),
 * and returns every time the state became viewable.
 */
function play(
  size: { width: number; height: number },
  script: [atMs: number, input: ViewabilityInput][],
  untilMs: number,
) {
  let state: ViewabilityState = initialViewability(size);
  const viewableAt: number[] = [];
  const inputs = [...script];
  for (let t = 0; t <= untilMs; t += 10) {
    while (inputs[0] && inputs[0][0] <= t) {
      const next = inputs.shift();
      if (next) state = step(state, next[1], t);
    }
    if (t % 100 === 0) state = step(state, { type: 'tick' }, t);
  }
  return { state, viewableAt };

  function step(from: ViewabilityState, input: ViewabilityInput, t: number) {
    const to = nextViewability(from, input, t);
    if (to.status === VIEWABILITY_STATUS.viewable && from.status !== VIEWABILITY_STATUS.viewable) viewableAt.push(t);
    return to;
  }
}

const inView = (ratio: number, isVisible?: boolean): ViewabilityInput => ({ type: 'intersection', ratio, isVisible });

describe('viewability state machine', () => {
  it('is never viewable at 49 % in view, however long', () => {
    const { viewableAt, state } = play(MEDIUM_RECTANGLE, [[0, inView(0.49)]], 10_000);
    expect(viewableAt).to.deep.equal([]);
    expect(state.status).to.equal(VIEWABILITY_STATUS.measuring);
  });

  it('is viewable one second after 50 % came into view', () => {
    const { viewableAt } = play(MEDIUM_RECTANGLE, [[200, inView(0.5)]], 5000);
    expect(viewableAt).to.deep.equal([1200]);
  });

  it('restarts the second when the tab is hidden after 0.9 s, and counts once', () => {
    const { viewableAt } = play(
      MEDIUM_RECTANGLE,
      [
        [0, inView(0.5)],
        [900, { type: 'page-visibility', visible: false }],
        [3000, { type: 'page-visibility', visible: true }],
      ],
      10_000,
    );
    expect(viewableAt).to.deep.equal([4000]);
  });

  it('restarts the second when the window loses focus mid-second', () => {
    const { viewableAt } = play(
      MEDIUM_RECTANGLE,
      [
        [0, inView(0.8)],
        [500, { type: 'focus', focused: false }],
        [600, { type: 'focus', focused: true }],
      ],
      3000,
    );
    expect(viewableAt).to.deep.equal([1600]);
  });

  it('restarts the second when the share in view drops below the threshold', () => {
    const { viewableAt } = play(
      MEDIUM_RECTANGLE,
      [
        [0, inView(1)],
        [700, inView(0.4)],
        [800, inView(0.6)],
      ],
      3000,
    );
    expect(viewableAt).to.deep.equal([1800]);
  });

  it('restarts the second when IntersectionObserver v2 reports the creative covered', () => {
    const { viewableAt } = play(
      MEDIUM_RECTANGLE,
      [
        [0, inView(1, true)],
        [700, inView(1, false)],
        [800, inView(1, true)],
      ],
      3000,
    );
    expect(viewableAt).to.deep.equal([1800]);
  });

  it('needs only 30 % for a 970×250 creative', () => {
    expect(play(BILLBOARD, [[0, inView(0.3)]], 2000).viewableAt).to.deep.equal([1000]);
    expect(play(BILLBOARD, [[0, inView(0.29)]], 2000).viewableAt).to.deep.equal([]);
  });

  it('needs 50 % for a 300×250 creative', () => {
    expect(play(MEDIUM_RECTANGLE, [[0, inView(0.3)]], 5000).viewableAt).to.deep.equal([]);
  });

  it('takes the threshold from the size an intersection reports', () => {
    const script: [number, ViewabilityInput][] = [[0, { type: 'intersection', ratio: 0.35, size: BILLBOARD }]];
    expect(play({ width: 0, height: 0 }, script, 2000).viewableAt).to.deep.equal([1000]);
  });

  it('never counts a box of zero area, which IntersectionObserver reports as ratio 1', () => {
    expect(play({ width: 300, height: 0 }, [[0, inView(1)]], 3000).viewableAt).to.deep.equal([]);
  });

  it('stays viewable once viewable', () => {
    const { viewableAt, state } = play(
      MEDIUM_RECTANGLE,
      [
        [0, inView(1)],
        [1500, inView(0)],
        [1600, { type: 'page-visibility', visible: false }],
        [2000, { type: 'page-visibility', visible: true }],
        [2000, inView(1)],
      ],
      5000,
    );
    expect(viewableAt).to.deep.equal([1000]);
    expect(state.status).to.equal(VIEWABILITY_STATUS.viewable);
    expect(state.since).to.equal(1000);
  });

  it('counts a second that held even when the tick that would end it comes late', () => {
    let state = nextViewability(initialViewability(MEDIUM_RECTANGLE), inView(0.6), 0);
    state = nextViewability(state, { type: 'page-visibility', visible: false }, 1400);
    expect(state.status).to.equal(VIEWABILITY_STATUS.viewable);
    expect(state.since).to.equal(1000);
  });

  it('says when to tick', () => {
    let state = initialViewability(MEDIUM_RECTANGLE);
    expect(msUntilViewable(state, 0)).to.equal(undefined);
    state = nextViewability(state, inView(0.5), 100);
    expect(state.status).to.equal(VIEWABILITY_STATUS.counting);
    expect(msUntilViewable(state, 100)).to.equal(1000);
    expect(msUntilViewable(state, 700)).to.equal(400);
    state = nextViewability(state, { type: 'tick' }, 1100);
    expect(msUntilViewable(state, 1100)).to.equal(undefined);
  });
});
