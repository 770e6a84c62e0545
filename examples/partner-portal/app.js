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
studio.previewPages = config.previewPages;

const step = (id) => document.getElementById(id);

/** Shows the step `id` and moves focus to its heading, so that a screen reader follows the journey. */
function showStep(id) {
  step(id).hidden = false;
  const heading = step(id).querySelector('h2');
  heading.focus({ preventScroll: true });
  step(id).scrollIntoView({ block: 'start' });
}

// The entry asks GET /me once and tells the portal what it learnt; the other components are given its answer
// (`me` before `client`) so that none of them asks again. A failure shows in the entry with its retry, and the
// portal stays closed.
entry.addEventListener('op-partner-ready', (event) => {
  const me = event.detail;
  step('portal-closed').hidden = me.eligible;
  step('report').hidden = !me.eligible;
  if (me.eligible && !report.client) report.client = client;
  if (me.eligible) void offerResume(me);
});
entry.client = client;

entry.addEventListener('op-partner-start', (event) => {
  step('resume').hidden = true;
  apply.me = event.detail;
  apply.client = client;
  showStep('apply');
});

apply.addEventListener('op-partner-applied', (event) => openStudio(apply.me, event.detail));

/** Opens the studio on `application`, whose creatives it restores. */
function openStudio(me, application) {
  studio.me = me;
  studio.client = client;
  studio.application = application;
  step('apply').hidden = true;
  showStep('studio');
}

/**
 * A partner coming back may go on with its latest application that can still change: a draft, or one the bank
 * returned, whose reason the studio shows beside its status. Only a shortcut: if the list cannot be read, the entry
 * still starts a new application.
 */
async function offerResume(me) {
  const applications = await client.applications().catch(() => []);
  const latest = applications.filter((each) => each.status === 'draft' || each.status === 'rejected').at(-1);
  if (!latest) return;
  const button = step('resume-button');
  const name = latest.campaignName;
  button.textContent = latest.status === 'rejected' ? `修改被退回的申请「${name}」` : `继续编辑申请「${name}」`;
  button.onclick = () => {
    step('resume').hidden = true;
    openStudio(me, latest);
  };
  step('resume').hidden = false;
}
