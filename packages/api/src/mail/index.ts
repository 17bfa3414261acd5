/**
 * Mail delivery: templates, transports and the outbox worker. Runtime-neutral;
 * the SMTP transport is Node-only and imported from `./smtp-transport.js`
 * directly, so nothing that an edge bundle pulls in drags nodemailer along.
 */
export {
  createMailDeliveryWorker,
  DEFAULT_RETRY_DELAYS_MS,
  type MailDeliveryWorker,
  type MailDeliveryWorkerOptions,
  type MailRunResult,
} from './delivery-worker.js';
export { createDevMailTransport, DEV_MAIL_CAPACITY, type DevMail, type DevMailTransport } from './dev-transport.js';
export {
  actionLink,
  composeOutboxMail,
  MAIL_LINK_PATHS,
  OUTBOX_DATA_SCHEMAS,
  OutboxDataError,
  scrubSecrets,
  type ComposeOptions,
  type MailTenant,
  type OutboxMail,
  type PerTenant,
} from './outbox-mail.js';
export {
  MAIL_TEMPLATE_NAMES,
  MailRenderError,
  renderMail,
  type InviteMailData,
  type MagicLinkData,
  type MailTemplateData,
  type MailTemplateName,
  type NewDeviceData,
  type PasswordResetData,
  type RenderedMail,
  type VerifyEmailData,
} from './templates/render.js';
export type { MailAddress, MailMessage, MailTransport, SentMessage } from './transport.js';
