import { z } from '@hono/zod-openapi';
import {
  BILLING_INTERVALS,
  SUBSCRIPTION_STATUSES,
  type InvoiceLine,
  type InvoiceRow,
} from '../../billing/portal-subscription.js';
import { CANCELLATION_REASONS, type MemberBillingView } from '../../billing/portal.js';
import type { PaymentMethodView } from '../../billing/payment-methods.js';
import type { PreviewView } from '../../billing/previews.js';
import { exampleOf, named } from '../../lib/openapi.js';
import { Timestamp } from '../../lib/schemas.js';

const TIER = 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc';
const iso = (date: Date | null) => (date ? date.toISOString() : null);

const Interval = z
  .enum(BILLING_INTERVALS)
  .openapi({ description: 'Billed every `month` or every `year`.', example: 'month' });
const Amount = z.number().int().openapi({ description: 'Minor units of `currency` (cents for eur).', example: 1500 });
const Currency = z.string().openapi({ description: 'Lower-case ISO 4217 code.', example: 'eur' });
const ReturnUrl = (what: string) =>
  z
    .string()
    .min(1)
    .max(2048)
    .openapi({
      description: `${what} Must be on one of the tenant's allowed origins (or those of the publishable key the member signed in through).`,
      example: 'https://www.example.org/billing?done=1',
    });

/** Body of `POST /v1/me/billing/checkout`. */
export const CheckoutBody = named(
  z.strictObject({
    tier_id: z.string().max(64).openapi({ example: TIER }),
    interval: Interval,
    promotion_code: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: 'A code the member typed; checked before the checkout opens.', example: 'WELCOME10' }),
    success_url: ReturnUrl('Where Stripe sends the member after paying.'),
    cancel_url: ReturnUrl('Where Stripe sends the member when they go back without paying.'),
  }),
  'CheckoutBody',
  {
    tier_id: TIER,
    interval: 'month',
    success_url: 'https://www.example.org/billing?paid=1',
    cancel_url: 'https://www.example.org/pricing',
  },
);

/** Answer of `POST /v1/me/billing/checkout`. */
export const CheckoutSchema = named(
  z.object({
    object: z.literal('checkout'),
    id: z
      .string()
      .nullable()
      .openapi({ description: 'The checkout (`bchk_…`); null when a free tier was joined at once.' }),
    url: z
      .string()
      .nullable()
      .openapi({ description: "Stripe's payment page to send the member to; null for a free tier." }),
    expires_at: Timestamp.nullable(),
    tier_id: z.string(),
  }),
  'Checkout',
  {
    object: 'checkout',
    id: 'bchk_01jdx3v4k7m9q2w8e5r6t0y1zc',
    url: 'https://checkout.stripe.com/c/pay/cs_test_a1b2c3',
    expires_at: '2026-12-08T09:30:00.000Z',
    tier_id: TIER,
  },
  { description: 'Where the member pays for a tier (or, for a free tier, that they joined it).' },
);

const SubscriptionSummary = z
  .object({
    id: z.string().openapi({ example: 'msub_01jdx3v4k7m9q2w8e5r6t0y1zc' }),
    status: z
      .enum(SUBSCRIPTION_STATUSES)
      .openapi({ description: "Stripe's status, or `comp` for a complimentary membership." }),
    tier_id: z.string(),
    tier_name: z.string(),
    interval: Interval.nullable(),
    amount: Amount.openapi({ description: 'Recurring amount per interval in minor units.' }),
    currency: Currency,
    current_period_start: Timestamp.nullable(),
    current_period_end: Timestamp.nullable(),
    trial_end: Timestamp.nullable(),
    cancel_at_period_end: z.boolean(),
    cancel_at: Timestamp.nullable(),
    canceled_at: Timestamp.nullable(),
    cancellation_reason: z.string().nullable(),
  })
  .openapi('MemberSubscription');

const CardFields = {
  id: z.string().openapi({ example: 'pm_1Q2w3E4r5T6y7U8i' }),
  brand: z.string().openapi({ example: 'visa' }),
  last4: z.string().nullable().openapi({ example: '4242' }),
  exp_month: z.number().int().nullable().openapi({ example: 12 }),
  exp_year: z.number().int().nullable().openapi({ example: 2030 }),
};

/** `GET /v1/me/billing` and the answer of every change. */
export const MemberBillingSchema = named(
  z.object({
    object: z.literal('member_billing'),
    subscription: SubscriptionSummary.nullable(),
    default_payment_method: z.object(CardFields).openapi('PaymentMethodSummary').nullable(),
    upcoming_invoice: z
      .object({ amount_due: Amount, currency: Currency, date: Timestamp.nullable() })
      .nullable()
      .openapi({ description: 'The next invoice of a renewing subscription; null when none is coming.' }),
    allow_cancel_now: z.boolean().openapi({ description: 'Whether the member may cancel with immediate effect.' }),
    customer: z
      .boolean()
      .openapi({ description: 'Whether the member has a Stripe customer (bought or saved a card before).' }),
  }),
  'MemberBilling',
  {
    object: 'member_billing',
    subscription: {
      id: 'msub_01jdx3v4k7m9q2w8e5r6t0y1zc',
      status: 'active',
      tier_id: TIER,
      tier_name: 'Supporter',
      interval: 'month',
      amount: 1500,
      currency: 'eur',
      current_period_start: '2026-12-01T09:30:00.000Z',
      current_period_end: '2027-01-01T09:30:00.000Z',
      trial_end: null,
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
      cancellation_reason: null,
    },
    default_payment_method: { id: 'pm_1Q2w3E4r5T6y7U8i', brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030 },
    upcoming_invoice: { amount_due: 1500, currency: 'eur', date: '2027-01-01T09:30:00.000Z' },
    allow_cancel_now: false,
    customer: true,
  },
  { description: "The signed-in member's plan, default payment method and next invoice." },
);

/** The portal view as the API shows it (dates ISO-8601, amount = unit amount × quantity). */
export function toMemberBillingDto(view: MemberBillingView): z.infer<typeof MemberBillingSchema> {
  const s = view.subscription;
  const card = view.defaultPaymentMethod;
  return {
    object: 'member_billing',
    subscription: s
      ? {
          id: s.id,
          status: s.status,
          tier_id: s.tierId,
          tier_name: s.tierName,
          interval: s.interval,
          amount: s.unitAmount * s.quantity,
          currency: s.currency,
          current_period_start: iso(s.currentPeriodStart),
          current_period_end: iso(s.currentPeriodEnd ?? s.compEndsAt),
          trial_end: iso(s.trialEnd),
          cancel_at_period_end: s.cancelAtPeriodEnd,
          cancel_at: iso(s.cancelAt),
          canceled_at: iso(s.canceledAt),
          cancellation_reason: s.cancellationReason,
        }
      : null,
    default_payment_method: card
      ? { id: card.id, brand: card.brand, last4: card.last4, exp_month: card.expMonth, exp_year: card.expYear }
      : null,
    upcoming_invoice: view.upcomingInvoice
      ? {
          amount_due: view.upcomingInvoice.amountDue,
          currency: view.upcomingInvoice.currency,
          date: iso(view.upcomingInvoice.date),
        }
      : null,
    allow_cancel_now: view.allowCancelNow,
    customer: view.hasCustomer,
  };
}

/** Body of `POST /v1/me/billing/preview`. */
export const PreviewBody = named(
  z.strictObject({ tier_id: z.string().max(64).openapi({ example: TIER }), interval: Interval }),
  'BillingPreviewBody',
  { tier_id: TIER, interval: 'year' },
);

const InvoiceLineSchema = z
  .object({
    description: z.string(),
    amount: Amount,
    proration: z.boolean().openapi({ description: 'A credit or charge for the unused or remaining part of a period.' }),
    period_start: Timestamp.nullable(),
    period_end: Timestamp.nullable(),
  })
  .openapi('InvoiceLine');

/** A stored proration preview. */
export const PreviewSchema = named(
  z.object({
    object: z.literal('billing_preview'),
    id: z.string(),
    amount_due: Amount.openapi({
      description: 'What the member pays now when confirming (0 when the change leaves a credit).',
    }),
    currency: Currency,
    proration_date: Timestamp,
    lines: z.array(InvoiceLineSchema),
    expires_at: Timestamp.openapi({ description: 'Confirm before this time (10 minutes).' }),
  }),
  'BillingPreview',
  {
    object: 'billing_preview',
    id: 'bprev_01jdx3v4k7m9q2w8e5r6t0y1zc',
    amount_due: 1033,
    currency: 'eur',
    proration_date: '2026-12-07T10:00:00.000Z',
    lines: [
      {
        description: 'Unused time on Supporter after 07 Dec 2026',
        amount: -1016,
        proration: true,
        period_start: '2026-12-07T10:00:00.000Z',
        period_end: '2027-01-01T09:30:00.000Z',
      },
      {
        description: 'Remaining time on Patron after 07 Dec 2026',
        amount: 2049,
        proration: true,
        period_start: '2026-12-07T10:00:00.000Z',
        period_end: '2027-01-01T09:30:00.000Z',
      },
    ],
    expires_at: '2026-12-07T10:10:00.000Z',
  },
  { description: 'What a change of plan costs now; confirm it with POST /v1/me/billing/change.' },
);

/** A preview as the API shows it. */
export function toPreviewDto(view: PreviewView): z.infer<typeof PreviewSchema> {
  return {
    object: 'billing_preview',
    id: view.id,
    amount_due: view.amountDue,
    currency: view.currency,
    proration_date: view.prorationDate.toISOString(),
    lines: view.lines,
    expires_at: view.expiresAt.toISOString(),
  };
}

/** Body of `POST /v1/me/billing/change`. */
export const ChangeBody = named(
  z.strictObject({ preview_id: z.string().max(64).openapi({ example: 'bprev_01jdx3v4k7m9q2w8e5r6t0y1zc' }) }),
  'BillingChangeBody',
  { preview_id: 'bprev_01jdx3v4k7m9q2w8e5r6t0y1zc' },
);

/** Body of `POST /v1/me/billing/cancel`. */
export const CancelBody = named(
  z.strictObject({
    at_period_end: z.boolean().default(true).openapi({
      description: 'True: keep the plan until the paid period ends. False: end now (if the tenant allows).',
    }),
    reason: z.enum(CANCELLATION_REASONS).optional().openapi({ example: 'too_expensive' }),
    comment: z.string().trim().max(500).optional().openapi({ example: 'Moving abroad.' }),
  }),
  'BillingCancelBody',
  { at_period_end: true, reason: 'too_expensive', comment: 'Moving abroad.' },
);

/** A saved payment method. */
export const PaymentMethodSchema = named(
  z.object({ ...CardFields, default: z.boolean().openapi({ description: 'Invoices are charged to this one.' }) }),
  'PaymentMethod',
  { id: 'pm_1Q2w3E4r5T6y7U8i', brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2030, default: true },
);

/** The member's saved payment methods. */
export const PaymentMethodListSchema = named(
  z.object({ object: z.literal('list'), data: z.array(PaymentMethodSchema) }),
  'PaymentMethodList',
  { object: 'list', data: [exampleOf(PaymentMethodSchema)!] },
);

/** Payment methods as the API shows them. */
export function toPaymentMethodList(views: PaymentMethodView[]): z.infer<typeof PaymentMethodListSchema> {
  return {
    object: 'list',
    data: views.map((v) => ({
      id: v.id,
      brand: v.brand,
      last4: v.last4,
      exp_month: v.expMonth,
      exp_year: v.expYear,
      default: v.isDefault,
    })),
  };
}

/** Body of `POST /v1/me/billing/payment-methods/setup`. */
export const SetupBody = named(
  z.strictObject({
    success_url: ReturnUrl('Where Stripe sends the member after adding the card.'),
    cancel_url: ReturnUrl('Where Stripe sends the member when they go back.'),
  }),
  'PaymentMethodSetupBody',
  { success_url: 'https://www.example.org/billing?card=added', cancel_url: 'https://www.example.org/billing' },
);

/** Where the member adds a card (Checkout in setup mode). */
export const SetupSchema = named(
  z.object({
    object: z.literal('payment_method_setup'),
    id: z.string(),
    url: z.string().openapi({ description: "Stripe's page where the member adds a card." }),
    expires_at: Timestamp.nullable(),
  }),
  'PaymentMethodSetup',
  {
    object: 'payment_method_setup',
    id: 'bchk_01jdx3v4k7m9q2w8e5r6t0y1zc',
    url: 'https://checkout.stripe.com/c/pay/cs_test_s3tup',
    expires_at: '2026-12-08T09:30:00.000Z',
  },
);

/** One of the member's invoices, from the local mirror. */
export const MemberInvoiceSchema = named(
  z.object({
    object: z.literal('invoice'),
    id: z.string().openapi({ example: 'in_1Q2w3E4r5T6y7U8i' }),
    number: z.string().nullable(),
    status: z.string().openapi({ example: 'paid' }),
    total: Amount,
    amount_paid: Amount,
    amount_refunded: Amount,
    currency: Currency,
    created_at: Timestamp,
    period_start: Timestamp.nullable(),
    period_end: Timestamp.nullable(),
    hosted_invoice_url: z.string().nullable(),
    invoice_pdf: z.string().nullable(),
    lines: z.array(InvoiceLineSchema),
  }),
  'MemberInvoice',
  {
    object: 'invoice',
    id: 'in_1Q2w3E4r5T6y7U8i',
    number: 'A1B2C3D4-0001',
    status: 'paid',
    total: 1500,
    amount_paid: 1500,
    amount_refunded: 0,
    currency: 'eur',
    created_at: '2026-12-01T09:30:00.000Z',
    period_start: '2026-12-01T09:30:00.000Z',
    period_end: '2027-01-01T09:30:00.000Z',
    hosted_invoice_url: 'https://invoice.stripe.com/i/acct_1/test_a1b2',
    invoice_pdf: 'https://pay.stripe.com/invoice/acct_1/test_a1b2/pdf',
    lines: [
      {
        description: '1 × Supporter (at €15.00 / month)',
        amount: 1500,
        proration: false,
        period_start: '2026-12-01T09:30:00.000Z',
        period_end: '2027-01-01T09:30:00.000Z',
      },
    ],
  },
);

/** An invoice row as the API shows it. */
export function toMemberInvoiceDto(row: InvoiceRow): z.infer<typeof MemberInvoiceSchema> {
  return {
    object: 'invoice',
    id: row.id,
    number: row.number,
    status: row.status,
    total: row.total,
    amount_paid: row.amountPaid,
    amount_refunded: row.amountRefunded,
    currency: row.currency,
    created_at: row.stripeCreatedAt.toISOString(),
    period_start: iso(row.periodStart),
    period_end: iso(row.periodEnd),
    hosted_invoice_url: row.hostedInvoiceUrl,
    invoice_pdf: row.invoicePdf,
    lines: row.lines as InvoiceLine[],
  };
}

/** A Stripe PaymentMethod id in a path. */
export const PaymentMethodParam = z.object({
  id: z
    .string()
    .max(255)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'pm_1Q2w3E4r5T6y7U8i' }),
});
