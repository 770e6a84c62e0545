/** What the server has counted for one creative, over every channel and all time. */
export interface CreativeHistory {
  exposures: number;
  clicks: number;
}

export interface RankerScore {
  /** Higher is shown first. */
  score: number;
  /** A few words for the decision's reason, such as `ucb 0.0298 (3/120)`. */
  explanation: string;
}

/**
 * The "expert model" interface: a pluggable scoring function a campaign names in `strategy.ranker`. A bank plugs in
 * its own model by passing rankers to `createOpslotServer({ rankers })`; scoring must be fast and must not throw.
 */
export interface CreativeRanker {
  readonly id: string;
  score(creativeId: string, history: CreativeHistory): RankerScore;
}

export interface CtrBayesOptions {
  /** Prior click-through rate of a creative with no history. Default 0.01 (1 %). */
  priorCtr?: number;
  /** Weight of the prior, in exposures. Default 100. */
  priorExposures?: number;
  /** Standard deviations of optimism added to the posterior mean. Default 2. */
  optimism?: number;
}

/**
 * The rule-based ranker shipped with the server (`ctr-bayes`): each creative's click-through rate is a Beta posterior
 * from a prior (1 % over 100 exposures by default) and its counted clicks and viewable exposures, and the score is
 * the posterior mean plus two standard deviations (a Bayesian upper confidence bound). A new creative's posterior is
 * wide, so it ranks high and gets shown until its own exposures narrow it; a proven one keeps its place by its CTR.
 * Deterministic: the same history gives the same order.
 *
 * @example
 * createCtrBayesRanker().score('cr-new', { exposures: 0, clicks: 0 }).score; // ≈ 0.0298
 */
export function createCtrBayesRanker(options: CtrBayesOptions = {}): CreativeRanker {
  const priorCtr = options.priorCtr ?? 0.01;
  const priorExposures = options.priorExposures ?? 100;
  const optimism = options.optimism ?? 2;
  return {
    id: 'ctr-bayes',
    score(_creativeId, { exposures, clicks }) {
      // Clicks without a counted exposure (a creative clicked before its second in view) cannot exceed exposures.
      const hits = Math.min(clicks, exposures);
      const alpha = priorCtr * priorExposures + hits;
      const beta = (1 - priorCtr) * priorExposures + exposures - hits;
      const n = alpha + beta;
      const mean = alpha / n;
      const deviation = Math.sqrt((alpha * beta) / (n * n * (n + 1)));
      const score = mean + optimism * deviation;
      return { score, explanation: `ucb ${score.toFixed(4)} (${hits}/${exposures})` };
    },
  };
}
