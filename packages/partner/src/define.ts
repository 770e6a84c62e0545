// Registers the partner components. A bank's page may carry two copies (the CDN bundle and a bundled
// micro-frontend): the first definition wins, and the second copy reuses it instead of throwing.
import { OpCreativeStudio } from './op-creative-studio/op-creative-studio.js';
import { OpPartnerApply } from './op-partner-apply/op-partner-apply.js';
import { OpPartnerEntry } from './op-partner-entry/op-partner-entry.js';
import { OpPartnerReport } from './op-partner-report/op-partner-report.js';

const ELEMENTS: [string, CustomElementConstructor][] = [
  ['op-partner-entry', OpPartnerEntry],
  ['op-partner-apply', OpPartnerApply],
  ['op-creative-studio', OpCreativeStudio],
  ['op-partner-report', OpPartnerReport],
];

for (const [tag, element] of ELEMENTS) if (!customElements.get(tag)) customElements.define(tag, element);
