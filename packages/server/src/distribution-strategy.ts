/**
 * How a campaign orders its own creatives in a slot (campaigns themselves go by priority, then weight):
 * - `priority`: by creative id, the same answer every time;
 * - `experiment`: an A/B test — the operator's bucket (see `experimentBucket`) picks which creatives they get;
 *   creatives in no bucket are served to every bucket;
 * - `ranker`: by the score of a pluggable ranker (`ctr-bayes` ships with the server).
 */
export type DistributionStrategy =
  | { type: 'priority' }
  | { type: 'experiment'; id: string; buckets: ExperimentBucket[] }
  | { type: 'ranker'; ranker: string };

export interface ExperimentBucket {
  id: string;
  /** Share of operators, relative to the other buckets' weights. */
  weight: number;
  creativeIds: string[];
}

export const DEFAULT_STRATEGY: DistributionStrategy = { type: 'priority' };
