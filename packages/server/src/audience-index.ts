import type { ReachDirection } from './targeting-rule.js';

export const WHITELIST_KINDS = ['operator', 'enterprise'] as const;
export type WhitelistKind = (typeof WHITELIST_KINDS)[number];

export interface WhitelistHashes {
  id: string;
  kind: WhitelistKind;
  /** Salted hashes of the uploaded keys: the clear keys are never stored. */
  hashes: readonly string[];
}

/** "`from` supplies `to`": `from` is upstream of `to`, `to` downstream of `from`. */
export interface GraphEdge {
  from: string;
  to: string;
}

/**
 * Whitelists and the relation graph in memory, for targeting at decision speed. Reach sets are computed once per
 * (partner, hops, direction) and kept until the index is rebuilt, which happens when the audience data changes.
 */
export class AudienceIndex {
  private readonly _whitelists = new Map<string, { kind: WhitelistKind; hashes: Set<string> }>();
  private readonly _downstream = new Map<string, string[]>();
  private readonly _upstream = new Map<string, string[]>();
  private readonly _reachCache = new Map<string, ReadonlySet<string>>();

  constructor(whitelists: readonly WhitelistHashes[], edges: readonly GraphEdge[]) {
    for (const { id, kind, hashes } of whitelists) this._whitelists.set(id, { kind, hashes: new Set(hashes) });
    for (const { from, to } of edges) {
      append(this._downstream, from, to);
      append(this._upstream, to, from);
    }
  }

  /** An operator whitelist matches the operator's hash; an enterprise whitelist the hash of their enterprise. */
  isWhitelisted(whitelistId: string, operatorHash: string | null, enterpriseHash: string | null): boolean {
    const list = this._whitelists.get(whitelistId);
    if (!list) return false;
    const hash = list.kind === 'operator' ? operatorHash : enterpriseHash;
    return hash !== null && list.hashes.has(hash);
  }

  /** Enterprises at most `hops` relations away from `partner` in `direction`, by breadth-first search. */
  reach(partner: string, hops: number, direction: ReachDirection): ReadonlySet<string> {
    const key = `${direction}\u0000${hops}\u0000${partner}`;
    const cached = this._reachCache.get(key);
    if (cached) return cached;
    const reached = new Set<string>();
    let frontier = [partner];
    const seen = new Set(frontier);
    for (let hop = 0; hop < hops && frontier.length > 0; hop++) {
      const next: string[] = [];
      for (const node of frontier) {
        for (const neighbour of this._neighbours(node, direction)) {
          if (seen.has(neighbour)) continue;
          seen.add(neighbour);
          reached.add(neighbour);
          next.push(neighbour);
        }
      }
      frontier = next;
    }
    this._reachCache.set(key, reached);
    return reached;
  }

  private _neighbours(node: string, direction: ReachDirection): string[] {
    const down = direction === 'upstream' ? [] : (this._downstream.get(node) ?? []);
    const up = direction === 'downstream' ? [] : (this._upstream.get(node) ?? []);
    return up.length === 0 ? down : down.length === 0 ? up : [...down, ...up];
  }
}

function append(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
