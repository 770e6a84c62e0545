// The page's own module configures opslot: under a strict Content-Security-Policy a page may use this or the
// JSON data block, never an inline script.
import { configure } from '/sdk/opslot.js';

configure({ endpoint: '/v1', channel: 'corporate-web', pageId: 'strict-csp' });
