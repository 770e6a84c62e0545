// What a page needs only once a slot shows something: the outbox, its page-hide flush and the viewability
// tracker. createOpslot loads this module lazily, as soon as the first decision is on its way, so these bytes
// are fetched while the creative's image loads instead of before the first creative.
export { observeViewability } from './observe-viewability.js';
export { onPageHide } from './on-page-hide.js';
export { createOutbox } from './outbox.js';
