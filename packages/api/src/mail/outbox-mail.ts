import { z } from 'zod';
import type { TenantBranding } from '../db/schema/index.js';
import {
  isMailTemplateName,
  MailRenderError,
  renderMail,
  type MailTemplateData,
  type MailTemplateName,
  type RenderedMail,
} from './templates/render.js';
import { bareAddress, type MailAddress, type MailMessage } from './transport.js';

/**
 * Paths of the pages a mail links to, below the link base URL. Each link carries
 * `token` (the one-time secret from the outbox row) and `tenant` (the tenant's
 * public id, since tokens are only unique within a tenant):
 *
 * - `verify_email`   → `/auth/verify-email?token=…&tenant=tnt_…`
 * - `magic_link`     → `/auth/magic-link?token=…&tenant=tnt_…`
 * - `password_reset` → `/auth/reset-password?token=…&tenant=tnt_…`
 * - `invite`         → `/accept-invite?token=…&tenant=tnt_…`
 * - `staff_invite`   → `/admin/accept-invite?token=…&tenant=tnt_…` (the staff console)
 *
 * The pages live on whatever the link base points at: the dev server, or the
 * tenant's own site with the Memberkit widgets, which read both parameters and
 * call the API.
 */
export const MAIL_LINK_PATHS = {
  verify_email: '/auth/verify-email',
  magic_link: '/auth/magic-link',
  password_reset: '/auth/reset-password',
  invite: '/accept-invite',
  staff_invite: '/admin/accept-invite',
} as const satisfies Partial<Record<MailTemplateName, string>>;

/** What the delivery worker knows of a tenant when it renders that tenant's mail. */
export interface MailTenant {
  id: string;
  slug: string;
  name: string;
  branding: TenantBranding;
  defaultLocale: string;
}

/** The parts of a `mail_outbox` row that make the message. */
export interface OutboxMail {
  tenantId: string;
  id: string;
  template: string;
  toAddress: string;
  locale: string;
  data: Record<string, unknown>;
}

/** A setting that is the same for every tenant or decided per tenant. */
export type PerTenant<T> = T | ((tenant: MailTenant) => T);

/** Options of {@link composeOutboxMail}. */
export interface ComposeOptions {
  /** Sender; a function can put the tenant's name in front of a platform address. */
  from: PerTenant<MailAddress>;
  /** Origin (and optional path prefix) of the pages in {@link MAIL_LINK_PATHS}, e.g. `https://members.example.org`. */
  linkBaseUrl: PerTenant<string>;
  /** IANA time zone for dates in mails; UTC by default. */
  timeZone?: string;
}

/** The stored data cannot make a mail: an unknown template, a missing token, a bad date. Not worth retrying. */
export class OutboxDataError extends Error {
  override readonly name = 'OutboxDataError';
}

const OptionalText = z.string().nullish();
const Token = z.string().min(1).max(512);
const IsoDate = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 date');

/**
 * What each template needs in the outbox row's `data`, as writers queue it.
 * Extra keys are ignored. `invite` rows also carry `tenant_name` (a snapshot
 * taken when queued); the mail shows the tenant's current name instead.
 */
export const OUTBOX_DATA_SCHEMAS = {
  verify_email: z.object({ token: Token, first_name: OptionalText, code: OptionalText, expires_at: IsoDate.nullish() }),
  magic_link: z.object({ token: Token, first_name: OptionalText, code: OptionalText, expires_at: IsoDate.nullish() }),
  password_reset: z.object({ token: Token, first_name: OptionalText, expires_at: IsoDate.nullish() }),
  invite: z.object({ token: Token, tier_name: OptionalText, message: OptionalText, expires_at: IsoDate }),
  staff_invite: z.object({
    token: Token,
    role: z.enum(['owner', 'admin', 'manager', 'viewer']),
    name: OptionalText,
    expires_at: IsoDate.nullish(),
  }),
  new_device: z.object({
    signed_in_at: IsoDate,
    first_name: OptionalText,
    device: OptionalText,
    ip: OptionalText,
    location: OptionalText,
    manage_url: OptionalText,
  }),
  scheduled_report: z.object({
    report_name: z.string(),
    from: z.string(),
    to: z.string(),
    schedule: z.enum(['weekly', 'monthly']),
    columns: z.array(z.string()),
    rows: z.array(z.array(z.string())),
    total_rows: z.number().int().min(0),
  }),
  // Billing dunning (billing/dunning.ts): links are Stripe's hosted invoice page or the tenant's billing page.
  billing_payment_failed: z.object({
    first_name: OptionalText,
    tier_name: OptionalText,
    amount: z.number().int().min(0),
    currency: z.string().min(3).max(3),
    invoice_url: OptionalText,
    next_attempt_at: IsoDate.nullish(),
  }),
  // Notification digests (maintenance/notification-digests.ts): plain text, links only where absolute.
  notification_digest: z.object({
    first_name: OptionalText,
    frequency: z.enum(['daily', 'weekly']),
    count: z.number().int().min(0),
    items: z.array(
      z.object({
        type: z.string(),
        title: z.string(),
        body: z.string().nullish(),
        url: z.string().nullish(),
        created_at: IsoDate,
      }),
    ),
    more: z.number().int().min(0),
  }),
  billing_card_expiring: z.object({
    first_name: OptionalText,
    brand: z.string(),
    last4: z.string().max(4),
    exp_month: z.number().int().min(1).max(12),
    exp_year: z.number().int(),
    manage_url: OptionalText,
  }),
  billing_renewal_reminder: z.object({
    first_name: OptionalText,
    tier_name: OptionalText,
    amount: z.number().int().min(0),
    currency: z.string().min(3).max(3),
    renews_at: IsoDate,
    manage_url: OptionalText,
  }),
} as const satisfies Record<MailTemplateName, z.ZodType>;

/** The stored `data` of each template, as {@link OUTBOX_DATA_SCHEMAS} accepts it. */
export type OutboxData = { [K in MailTemplateName]: z.infer<(typeof OUTBOX_DATA_SCHEMAS)[K]> };

/**
 * Builds the action link of a token-carrying mail.
 * @example
 * actionLink('http://127.0.0.1:8787', 'invite', 'AbC…', 'tnt_01j…') // 'http://127.0.0.1:8787/accept-invite?token=AbC…&tenant=tnt_01j…'
 */
export function actionLink(
  baseUrl: string,
  template: keyof typeof MAIL_LINK_PATHS,
  token: string,
  tenantId: string,
): string {
  const query = new URLSearchParams({ token, tenant: tenantId });
  return `${baseUrl.replace(/\/+$/, '')}${MAIL_LINK_PATHS[template]}?${query}`;
}

/**
 * Turns an outbox row into the message to send: validates its data, builds
 * the links, renders the template in the row's locale with the tenant's branding.
 * @throws OutboxDataError when the row can never become a mail
 */
export function composeOutboxMail(row: OutboxMail, tenant: MailTenant, options: ComposeOptions): MailMessage {
  if (!isMailTemplateName(row.template)) throw new OutboxDataError(`unknown template "${row.template}"`);
  let rendered: RenderedMail;
  try {
    rendered = renderOutboxMail(row.template, row, tenant, resolve(options.linkBaseUrl, tenant), options.timeZone);
  } catch (error) {
    if (error instanceof MailRenderError) throw new OutboxDataError(error.message);
    throw error;
  }
  const from = resolve(options.from, tenant);
  return {
    to: row.toAddress,
    from,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    headers: {
      // Stable per outbox row, so a mail sent again after a crash (see the
      // delivery worker) carries the same Message-ID and receivers can fold the two.
      'Message-ID': `<${row.id}.${row.tenantId}@${domainOf(bareAddress(from))}>`,
      // RFC 3834: tells vacation responders and ticket systems not to answer.
      'Auto-Submitted': 'auto-generated',
      'X-Memberkit-Template': row.template,
      'X-Memberkit-Mail-Id': row.id,
    },
  };
}

function renderOutboxMail<K extends MailTemplateName>(
  template: K,
  row: OutboxMail,
  tenant: MailTenant,
  linkBase: string,
  timeZone: string | undefined,
): RenderedMail {
  return renderMail(template, templateData(template, row, linkBase), {
    locale: row.locale,
    brand: { name: tenant.name, branding: tenant.branding },
    ...(timeZone ? { timeZone } : {}),
  });
}

function templateData<K extends MailTemplateName>(template: K, row: OutboxMail, base: string): MailTemplateData[K] {
  const parsed = OUTBOX_DATA_SCHEMAS[template].safeParse(row.data);
  if (!parsed.success) {
    // Only field names: the values may include the token.
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(data)'))].join(', ');
    throw new OutboxDataError(`${template}: invalid data (${fields})`);
  }
  const link = (token: string, kind: keyof typeof MAIL_LINK_PATHS) => actionLink(base, kind, token, row.tenantId);
  // Each branch narrows `parsed.data` by the literal template, so the result is
  // exactly MailTemplateData[K]; TypeScript cannot follow K through a switch,
  // hence the one cast per branch.
  switch (template) {
    case 'verify_email':
    case 'magic_link': {
      const d = parsed.data as OutboxData['verify_email'];
      return {
        link: link(d.token, template),
        first_name: d.first_name ?? null,
        code: d.code ?? null,
        expires_at: d.expires_at ?? null,
      } as MailTemplateData[K];
    }
    case 'password_reset': {
      const d = parsed.data as OutboxData['password_reset'];
      return {
        link: link(d.token, 'password_reset'),
        first_name: d.first_name ?? null,
        expires_at: d.expires_at ?? null,
      } as MailTemplateData[K];
    }
    case 'invite': {
      const d = parsed.data as OutboxData['invite'];
      return {
        accept_url: link(d.token, 'invite'),
        expires_at: d.expires_at,
        tier_name: d.tier_name ?? null,
        message: d.message ?? null,
      } as MailTemplateData[K];
    }
    case 'staff_invite': {
      const d = parsed.data as OutboxData['staff_invite'];
      return {
        accept_url: link(d.token, 'staff_invite'),
        role: d.role,
        name: d.name ?? null,
        expires_at: d.expires_at ?? null,
      } as MailTemplateData[K];
    }
    case 'scheduled_report':
    case 'billing_payment_failed':
    case 'billing_card_expiring':
    case 'billing_renewal_reminder':
    case 'notification_digest':
      // No token links: the table is the mail; dunning links are absolute URLs checked by the renderer.
      return parsed.data as MailTemplateData[K];
    default: {
      // 'new_device', the one template left.
      const d = parsed.data as OutboxData['new_device'];
      return {
        signed_in_at: d.signed_in_at,
        first_name: d.first_name ?? null,
        device: d.device ?? null,
        ip: d.ip ?? null,
        location: d.location ?? null,
        manage_url: d.manage_url ?? null,
      } as MailTemplateData[K];
    }
  }
}

/** Keys whose values are secrets: one-time tokens, and anything a future writer names so. */
const SECRET_KEY = /token|secret|password/i;

/**
 * `data` without secrets, at any depth: once a mail is sent (or given up), the
 * outbox row must not keep a working link, so a database dump or a support
 * query cannot sign anyone in. Everything else stays for support and auditing.
 */
export function scrubSecrets(data: Record<string, unknown>): Record<string, unknown> {
  const scrub = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(scrub);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([key]) => !SECRET_KEY.test(key))
          .map(([key, inner]) => [key, scrub(inner)]),
      );
    }
    return value;
  };
  return scrub(data) as Record<string, unknown>;
}

function resolve<T>(setting: PerTenant<T>, tenant: MailTenant): T {
  return typeof setting === 'function' ? (setting as (tenant: MailTenant) => T)(tenant) : setting;
}

function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = at >= 0 ? address.slice(at + 1) : '';
  return /^[a-z0-9.-]+$/i.test(domain) ? domain : 'memberkit.invalid';
}
