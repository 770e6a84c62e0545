// The public surface of @opslot/partner, listed by hand: anything not named here is internal and may change.
// Importing it defines nothing; `@opslot/partner/define` (or the bundle `partner.js`) registers the elements.

export { channelName } from './messages.js';
export { OpPartnerApply } from './op-partner-apply/op-partner-apply.js';
export { OpPartnerEntry } from './op-partner-entry/op-partner-entry.js';
export {
  APPLICATION_STATUSES,
  type Application,
  type ApplicationInput,
  type ApplicationStatus,
  type Audience,
  type Contact,
  type CreativeFields,
  type CreativeInput,
  type FieldError,
  type Partner,
  type PartnerCreative,
  type PartnerMe,
  type PartnerReport,
  type PartnerSlot,
  type PreviewToken,
  type ReportQuery,
  type ReportRow,
  TEMPLATES,
  type TemplateId,
  type Upload,
} from './partner-api.js';
export {
  CLIENT_ERRORS,
  createPartnerClient,
  PartnerApiError,
  type PartnerClient,
  type PartnerClientOptions,
  type UploadOptions,
} from './partner-client.js';
export { APPLICATION_LIMITS, landingUrlProblem, validateApplication } from './validate-application.js';
