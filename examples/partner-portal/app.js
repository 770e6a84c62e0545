// The partner portal of the demo e-banking: one module wires the partner components into the journey
// entry → application → studio (preview, submission) and the report. The token is the partner's session.
import { createPartnerClient } from '/partner/partner.js';

const config = JSON.parse(document.getElementById('partner-portal-config').textContent);
// QA picks a demo partner with ?partner=; anything else falls back to the default, never into a request.
const requested = new URLSearchParams(location.search).get('partner');
const partnerKey = Object.hasOwn(config.partners, requested ?? '') ? requested : config.defaultPartner;
const partner = config.partners[partnerKey];
document.getElementById('partner-enterprise').textContent = partner.enterprise;

const client = createPartnerClient({ endpoint: config.endpoint, token: partner.token });
const entry = document.querySelector('op-partner-entry');
const apply = document.querySelector('op-partner-apply');
const studio = document.querySelector('op-creative-studio');
const report = document.querySelector('op-partner-report');
for (const element of [entry, apply, studio, report]) element.client = client;
studio.previewPages = config.previewPages;

const step = (id) => document.getElementById(id);

// The entry shows itself only to a partner in the programme; the rest of the portal follows what it learnt.
client.me().then(
  (me) => {
    step('portal-closed').hidden = me.eligible;
    step('report').hidden = !me.eligible;
  },
  // The entry shows the failure and its retry; the portal stays closed.
  () => {},
);

entry.addEventListener('op-partner-start', (event) => {
  apply.me = event.detail;
  step('apply').hidden = false;
  step('apply').scrollIntoView({ block: 'start' });
});

apply.addEventListener('op-partner-applied', (event) => {
  studio.me = apply.me;
  studio.application = event.detail;
  step('apply').hidden = true;
  step('studio').hidden = false;
  step('studio').scrollIntoView({ block: 'start' });
});
