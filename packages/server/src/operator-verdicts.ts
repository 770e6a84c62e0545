import type { ExperimentBucket } from './distribution-strategy.js';
import type { OperatorProfile } from './targeting-rule.js';

/**
 * What deciding learned about one operator that holds until the catalogue, the audience data or the profiles change:
 * the operator's profile, whether each campaign's targeting matched (and the words that say why), and the operator's
 * bucket in each experiment. Filled as campaigns are judged.
 */
export interface OperatorVerdicts {
  /** The profile and its enterprise's hash, once read; only personalised requests read it. */
  profile?: { profile: OperatorProfile | null; enterpriseHash: string | null };
  /** By campaign index: the targeting's explanation when it matched, false when it did not. */
  targeting: (string | false | undefined)[];
  /** By campaign index: the operator's bucket in the campaign's experiment. */
  buckets: (ExperimentBucket | undefined)[];
}

/**
 * The verdicts of the operators seen last, so that an operator's next page (a session opens several) does not read
 * their profile, evaluate every campaign's targeting and hash every experiment bucket again. Least recently used
 * operators go first once `capacity` are kept; every entry goes as soon as the versions it was built under change,
 * so that no write of the catalogue, whitelists, graph or profiles can be missed.
 */
export class OperatorVerdictCache {
  private readonly _entries = new Map<string, OperatorVerdicts>();
  private readonly _capacity: number;
  private _dataVersion = -1;
  private _profileVersion = -1;

  constructor(capacity: number) {
    this._capacity = capacity;
  }

  /**
   * The operator's verdicts under these versions of the catalogue and audience data (`dataVersion`) and of the
   * profiles; empty when none are kept.
   */
  get(operatorHash: string, dataVersion: number, profileVersion: number): OperatorVerdicts {
    if (dataVersion !== this._dataVersion || profileVersion !== this._profileVersion) {
      this._entries.clear();
      this._dataVersion = dataVersion;
      this._profileVersion = profileVersion;
    }
    let entry = this._entries.get(operatorHash);
    if (entry) {
      // Map keeps insertion order: taking it out and back in makes it the most recently used.
      this._entries.delete(operatorHash);
    } else {
      entry = { targeting: [], buckets: [] };
      if (this._entries.size >= this._capacity) {
        const oldest = this._entries.keys().next();
        if (!oldest.done) this._entries.delete(oldest.value);
      }
    }
    this._entries.set(operatorHash, entry);
    return entry;
  }

  /** How many operators are kept. */
  get size(): number {
    return this._entries.size;
  }
}
