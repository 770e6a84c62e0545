// The public surface of @opslot/partner, listed by hand: anything not named here is internal and may change.
// Importing it defines nothing; `@opslot/partner/define` (or the bundle `partner.js`) registers the elements. The
// partner API's wire types, limits and field codes are @opslot/core's (partner-protocol.ts), shared with the server.

export type { FormFieldError } from './form-field-error.js';
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
  CLIENT_ERRORS,
  createPartnerClient,
  PartnerApiError,
  type PartnerClient,
  type PartnerClientOptions,
  type UploadOptions,
} from './partner-client.js';
export { fitText, renderTemplate, type TemplateView } from './render-template.js';
export { validateApplication } from './validate-application.js';
export { validateCreative } from './validate-creative.js';
