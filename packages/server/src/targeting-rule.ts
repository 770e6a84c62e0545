/** Operator attributes a campaign can target besides segments: the bank's enterprise data, never personal data. */
export const PROFILE_TAGS = ['industry', 'region', 'size', 'specialised'] as const;
export type ProfileTag = (typeof PROFILE_TAGS)[number];

/** Which way supply-chain reach follows the relation graph from the partner. */
export const REACH_DIRECTIONS = ['upstream', 'downstream', 'both'] as const;
export type ReachDirection = (typeof REACH_DIRECTIONS)[number];

/**
 * Who may see a campaign: leaves combined with `all` / `any` / `not`.
 *
 * @example
 * { all: [{ segment: 'inclusive.tech-sme' }, { not: { whitelist: 'wl-existing-borrowers' } }] }
 * { reach: { partner: 'ent-chengchuan', hops: 2, direction: 'downstream' } }
 */
export type TargetingRule =
  | { all: TargetingRule[] }
  | { any: TargetingRule[] }
  | { not: TargetingRule }
  | { segment: string }
  | { whitelist: string }
  | { reach: { partner: string; hops: number; direction: ReachDirection } }
  | { tag: ProfileTag; in: string[] };

/** What the bank knows about an operator, from the admin-imported profile table; keyed by the hashed operator key. */
export interface OperatorProfile {
  /** The bank's id of the operator's enterprise, the node of the relation graph. */
  enterpriseId: string | null;
  segments: string[];
  tags: Partial<Record<ProfileTag, string>>;
}

/** The facts targeting is evaluated against. */
export interface TargetingFacts {
  /** Salted hash of the request's operator key; null for anonymous or non-personalised requests. */
  operatorHash: string | null;
  /** Salted hash of the profile's enterprise id, for enterprise whitelists. */
  enterpriseHash: string | null;
  profile: OperatorProfile | null;
  isWhitelisted(whitelistId: string, operatorHash: string | null, enterpriseHash: string | null): boolean;
  /** Enterprise ids within `hops` of `partner` (the partner excluded). */
  reach(partner: string, hops: number, direction: ReachDirection): ReadonlySet<string>;
}

/** Whether the rule matched, and a short account of the leaves that decided it, for the decision's reason. */
export interface TargetingVerdict {
  matched: boolean;
  because: string;
}

/** A compiled rule: whether it matches, without building the explanation. */
export type TargetingMatcher = (facts: TargetingFacts) => boolean;

/** The audience data a compiled rule reads: the same lookups the facts carry. */
export type AudienceLookup = Pick<TargetingFacts, 'isWhitelisted' | 'reach'>;

/**
 * Turns `rule` into a function, once per catalogue and audience version: most campaigns do not match most operators,
 * and a decision checks every campaign placed in the requested slots, so the rule's shape is looked at here rather
 * than on every request. A reach leaf asks `audience` for its enterprise set the first time it meets an operator with
 * an enterprise, then keeps it; compile again whenever the audience data changes. Matches exactly when
 * `evaluateTargeting(rule, facts).matched` does.
 *
 * @example
 * const matches = compileTargeting({ segment: 'corporate.small' }, audienceIndex);
 * matches(facts); // true or false
 */
export function compileTargeting(rule: TargetingRule, audience: AudienceLookup): TargetingMatcher {
  if ('all' in rule) {
    const children = rule.all.map((child) => compileTargeting(child, audience));
    return (facts) => children.every((child) => child(facts));
  }
  if ('any' in rule) {
    const children = rule.any.map((child) => compileTargeting(child, audience));
    return (facts) => children.some((child) => child(facts));
  }
  if ('not' in rule) {
    const inner = compileTargeting(rule.not, audience);
    return (facts) => !inner(facts);
  }
  if ('segment' in rule) {
    const { segment } = rule;
    return (facts) => facts.profile?.segments.includes(segment) ?? false;
  }
  if ('whitelist' in rule) {
    const { whitelist } = rule;
    return (facts) => audience.isWhitelisted(whitelist, facts.operatorHash, facts.enterpriseHash);
  }
  if ('reach' in rule) {
    const { partner, hops, direction } = rule.reach;
    let reached: ReadonlySet<string> | undefined;
    return (facts) => {
      const enterprise = facts.profile?.enterpriseId ?? null;
      if (enterprise === null) return false;
      reached ??= audience.reach(partner, hops, direction);
      return reached.has(enterprise);
    };
  }
  const { tag } = rule;
  const values = rule.in;
  return (facts) => {
    const value = facts.profile?.tags[tag];
    return value !== undefined && values.includes(value);
  };
}

/**
 * Turns `rule` into a function that gives, without building verdict objects, the words
 * `evaluateTargeting(rule, facts).because` gives: decisions explain every targeted campaign an operator matches.
 * Compile again whenever the audience data changes, as for {@link compileTargeting}.
 *
 * @example
 * const explain = compileExplanation({ segment: 'corporate.small' }, audienceIndex);
 * explain(facts); // 'segment corporate.small' or 'no segment corporate.small'
 */
export function compileExplanation(rule: TargetingRule, audience: AudienceLookup): (facts: TargetingFacts) => string {
  if ('all' in rule || 'any' in rule) {
    const rules = 'all' in rule ? rule.all : rule.any;
    const children = rules.map((child) => ({
      matches: compileTargeting(child, audience),
      explain: compileExplanation(child, audience),
    }));
    if ('all' in rule) {
      return (facts) => {
        const failed = children.find((child) => !child.matches(facts));
        return failed ? failed.explain(facts) : children.map((child) => child.explain(facts)).join(' & ');
      };
    }
    return (facts) => {
      const passed = children.find((child) => child.matches(facts));
      return passed ? passed.explain(facts) : `none of ${children.map((child) => child.explain(facts)).join(' | ')}`;
    };
  }
  if ('not' in rule) {
    const inner = compileExplanation(rule.not, audience);
    return (facts) => `not(${inner(facts)})`;
  }
  const matches = compileTargeting(rule, audience);
  const what =
    'segment' in rule
      ? `segment ${rule.segment}`
      : 'whitelist' in rule
        ? `whitelist ${rule.whitelist}`
        : 'reach' in rule
          ? `${rule.reach.direction} of ${rule.reach.partner} ≤${rule.reach.hops}`
          : `${rule.tag} ${rule.in.join('/')}`;
  const missed = `no ${what}`;
  return (facts) => (matches(facts) ? what : missed);
}

/**
 * Evaluates `rule` for one operator. An anonymous operator (no profile) matches no segment, tag, whitelist or reach
 * leaf, so only rules such as `{ not: … }` can match them.
 */
export function evaluateTargeting(rule: TargetingRule, facts: TargetingFacts): TargetingVerdict {
  if ('all' in rule) {
    const verdicts = rule.all.map((child) => evaluateTargeting(child, facts));
    const failed = verdicts.find((v) => !v.matched);
    return failed
      ? { matched: false, because: failed.because }
      : { matched: true, because: verdicts.map((v) => v.because).join(' & ') };
  }
  if ('any' in rule) {
    const verdicts = rule.any.map((child) => evaluateTargeting(child, facts));
    const passed = verdicts.find((v) => v.matched);
    return passed
      ? { matched: true, because: passed.because }
      : { matched: false, because: `none of ${verdicts.map((v) => v.because).join(' | ')}` };
  }
  if ('not' in rule) {
    const inner = evaluateTargeting(rule.not, facts);
    return { matched: !inner.matched, because: `not(${inner.because})` };
  }
  const { profile } = facts;
  if ('segment' in rule) {
    return leaf(profile?.segments.includes(rule.segment) ?? false, `segment ${rule.segment}`);
  }
  if ('whitelist' in rule) {
    return leaf(
      facts.isWhitelisted(rule.whitelist, facts.operatorHash, facts.enterpriseHash),
      `whitelist ${rule.whitelist}`,
    );
  }
  if ('reach' in rule) {
    const { partner, hops, direction } = rule.reach;
    const enterprise = profile?.enterpriseId ?? null;
    const reached = enterprise !== null && facts.reach(partner, hops, direction).has(enterprise);
    return leaf(reached, `${direction} of ${partner} ≤${hops}`);
  }
  const value = profile?.tags[rule.tag];
  return leaf(value !== undefined && rule.in.includes(value), `${rule.tag} ${rule.in.join('/')}`);
}

function leaf(matched: boolean, what: string): TargetingVerdict {
  return { matched, because: matched ? what : `no ${what}` };
}

/** Every segment and reach partner a rule names, so a catalogue check can find the ones that do not exist. */
export function targetingReferences(rule: TargetingRule): { segments: string[]; whitelists: string[] } {
  if ('all' in rule || 'any' in rule) {
    const children = 'all' in rule ? rule.all : rule.any;
    const found = children.map(targetingReferences);
    return { segments: found.flatMap((f) => f.segments), whitelists: found.flatMap((f) => f.whitelists) };
  }
  if ('not' in rule) return targetingReferences(rule.not);
  if ('segment' in rule) return { segments: [rule.segment], whitelists: [] };
  if ('whitelist' in rule) return { segments: [], whitelists: [rule.whitelist] };
  return { segments: [], whitelists: [] };
}
