import type { Creative } from '@opslot/core';

/**
 * The protocol's frequency rules, as a creative carries them. `@opslot/core` exports the creative but not the rule
 * types by name (its public list stays small for the browser); deriving them keeps the server on the same types.
 */
export type FrequencyRules = NonNullable<Creative['frequency']>;
export type Cap = NonNullable<FrequencyRules['caps']>[number];
export type CapScope = Cap['scope'];
