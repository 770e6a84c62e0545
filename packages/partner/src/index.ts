// The public surface of @opslot/partner, listed by hand: anything not named here is internal and may change.
// Importing it defines nothing; `@opslot/partner/define` (or the bundle `partner.js`) registers the elements.

export {
  checkImage,
  IMAGE_LIMITS,
  IMAGE_PROBLEMS,
  type ImageCheck,
  type ImageProblem,
  sniffImageType,
} from './image-checks.js';
export { channelName } from './messages.js';
export { OpCreativeStudio, templatesFor } from './op-creative-studio/op-creative-studio.js';
export { OpPartnerApply } from './op-partner-apply/op-partner-apply.js';
export { OpPartnerEntry } from './op-partner-entry/op-partner-entry.js';
export { OpPartnerReport } from './op-partner-report/op-partner-report.js';
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
export { fitText, renderTemplate, type TemplateView } from './render-template.js';
export { APPLICATION_LIMITS, landingUrlProblem, validateApplication } from './validate-application.js';
export { CREATIVE_LIMITS, validateCreative } from './validate-creative.js';
