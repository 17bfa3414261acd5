import { z } from '@hono/zod-openapi';
import { REFUND_REASONS } from '../../billing/refunds.js';
import {
  BILLING_INTERVALS,
  SUBSCRIPTION_STATUSES,
  type InvoiceRow,
  type RefundRow,
  type StaffMemberBilling,
  type SubscriptionRow,
} from '../../billing/staff-subscriptions.js';
import { isId } from '../../lib/ids.js';
import { named, PaginationQuery } from '../../lib/openapi.js';
import { Timestamp } from '../../lib/schemas.js';

const TIER = 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc';
const MEMBER = 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc';
const SUB = 'msub_01jdx3v4k7m9q2w8e5r6t0y1zc';
const iso = (date: Date | null) => (date ? date.toISOString() : null);

const Amount = z.number().int().openapi({ description: 'Minor units of `currency` (cents for eur).', example: 1500 });
const Currency = z.string().openapi({ description: 'Lower-case ISO 4217 code.', example: 'eur' });

export const SubscriptionListQuery = PaginationQuery.extend({
  status: z.enum(SUBSCRIPTION_STATUSES).optional().openapi({
    description: 'Only subscriptions in this status (`comp`: complimentary memberships).',
    example: 'active',
  }),
  tier_id: z
    .string()
    .max(64)
    .refine((v) => isId(v, 'tier'), 'Must be a tier id (tier_…).')
    .optional()
    .openapi({ description: 'Only subscriptions of this tier.', example: TIER }),
});

export const StaffSubscriptionSchema = named(
  z.object({
    object: z.literal('subscription'),
    id: z.string().openapi({ example: SUB }),
    member_id: z.string().openapi({ example: MEMBER }),
    kind: z
      .enum(['stripe', 'comp'])
      .openapi({ description: '`comp`: complimentary, granted by staff, charges nothing.' }),
    status: z.enum(SUBSCRIPTION_STATUSES),
    tier_id: z.string().openapi({ example: TIER }),
    interval: z.enum(BILLING_INTERVALS).nullable(),
    unit_amount: Amount.openapi({ description: 'Recurring amount per unit and interval (0 for comps).' }),
    quantity: z.number().int(),
    amount: Amount.openapi({ description: '`unit_amount × quantity` per interval.' }),
    currency: Currency,
    stripe_subscription_id: z.string().nullable().openapi({ example: 'sub_1Q2w3E4r5T6y7U8i' }),
    current_period_start: Timestamp.nullable(),
    current_period_end: Timestamp.nullable(),
    trial_end: Timestamp.nullable(),
    cancel_at_period_end: z.boolean(),
    cancel_at: Timestamp.nullable(),
    canceled_at: Timestamp.nullable(),
    ended_at: Timestamp.nullable(),
    cancellation_reason: z.string().nullable(),
    comp_ends_at: Timestamp.nullable().openapi({ description: 'When a complimentary membership ends.' }),
    past_due_since: Timestamp.nullable(),
    created_at: Timestamp,
  }),
  'StaffSubscription',
  {
    object: 'subscription',
    id: SUB,
    member_id: MEMBER,
    kind: 'stripe',
    status: 'active',
    tier_id: TIER,
    interval: 'month',
    unit_amount: 1500,
    quantity: 1,
    amount: 1500,
    currency: 'eur',
    stripe_subscription_id: 'sub_1Q2w3E4r5T6y7U8i',
    current_period_start: '2026-12-01T09:30:00.000Z',
    current_period_end: '2027-01-01T09:30:00.000Z',
    trial_end: null,
    cancel_at_period_end: false,
    cancel_at: null,
    canceled_at: null,
    ended_at: null,
    cancellation_reason: null,
    comp_ends_at: null,
    past_due_since: null,
    created_at: '2026-12-01T09:30:00.000Z',
  },
  { description: "A member's subscription (Stripe) or complimentary membership, as staff see it." },
);

export function toStaffSubscriptionDto(row: SubscriptionRow): z.infer<typeof StaffSubscriptionSchema> {
  return {
    object: 'subscription',
    id: row.id,
    member_id: row.memberId,
    kind: row.kind,
    status: row.status,
    tier_id: row.tierId,
    interval: row.interval,
    unit_amount: row.unitAmount,
    quantity: row.quantity,
    amount: row.unitAmount * row.quantity,
    currency: row.currency,
    stripe_subscription_id: row.stripeSubscriptionId,
    current_period_start: iso(row.currentPeriodStart),
    current_period_end: iso(row.currentPeriodEnd),
    trial_end: iso(row.trialEnd),
    cancel_at_period_end: row.cancelAtPeriodEnd,
    cancel_at: iso(row.cancelAt),
    canceled_at: iso(row.canceledAt),
    ended_at: iso(row.endedAt),
    cancellation_reason: row.cancellationReason,
    comp_ends_at: iso(row.compEndsAt),
    past_due_since: iso(row.pastDueSince),
    created_at: row.createdAt.toISOString(),
  };
}

const REFUND_EXAMPLE = {
  object: 'refund' as const,
  id: 're_1Q2w3E4r5T6y7U8i',
  invoice_id: 'in_1Q2w3E4r5T6y7U8i',
  member_id: MEMBER,
  amount: 500,
  currency: 'eur',
  reason: 'requested_by_customer',
  status: 'succeeded',
  created_at: '2026-12-02T09:30:00.000Z',
};

export const RefundSchema = named(
  z.object({
    object: z.literal('refund'),
    id: z.string().openapi({ description: "Stripe's refund id." }),
    invoice_id: z.string(),
    member_id: z.string(),
    amount: Amount,
    currency: Currency,
    reason: z.string().nullable(),
    status: z
      .string()
      .openapi({ description: "Stripe's refund status (`pending`, `succeeded`, `failed`, `canceled`)." }),
    created_at: Timestamp,
  }),
  'Refund',
  REFUND_EXAMPLE,
  { description: 'A refund of (part of) an invoice payment.' },
);

export function toRefundDto(row: RefundRow): z.infer<typeof RefundSchema> {
  return {
    object: 'refund',
    id: row.id,
    invoice_id: row.invoiceId,
    member_id: row.memberId,
    amount: row.amount,
    currency: row.currency,
    reason: row.reason,
    status: row.status,
    created_at: row.stripeCreatedAt.toISOString(),
  };
}

const StaffInvoiceSchema = z
  .object({
    object: z.literal('invoice'),
    id: z.string().openapi({ example: 'in_1Q2w3E4r5T6y7U8i' }),
    subscription_id: z.string().nullable(),
    number: z.string().nullable(),
    status: z.string().openapi({ example: 'paid' }),
    billing_reason: z.string().nullable(),
    total: Amount,
    amount_due: Amount,
    amount_paid: Amount,
    amount_refunded: Amount,
    refundable_amount: Amount.openapi({
      description: 'What a refund may still return: paid minus refunded (0 unless paid).',
    }),
    currency: Currency,
    created_at: Timestamp,
    paid_at: Timestamp.nullable(),
    period_start: Timestamp.nullable(),
    period_end: Timestamp.nullable(),
    attempt_count: z.number().int(),
    hosted_invoice_url: z.string().nullable(),
    invoice_pdf: z.string().nullable(),
    refunds: z.array(RefundSchema),
  })
  .openapi('StaffInvoice');

function toStaffInvoiceDto(row: InvoiceRow & { refunds: RefundRow[] }): z.infer<typeof StaffInvoiceSchema> {
  return {
    object: 'invoice',
    id: row.id,
    subscription_id: row.subscriptionId,
    number: row.number,
    status: row.status,
    billing_reason: row.billingReason,
    total: row.total,
    amount_due: row.amountDue,
    amount_paid: row.amountPaid,
    amount_refunded: row.amountRefunded,
    refundable_amount: row.status === 'paid' ? Math.max(0, row.amountPaid - row.amountRefunded) : 0,
    currency: row.currency,
    created_at: row.stripeCreatedAt.toISOString(),
    paid_at: iso(row.paidAt),
    period_start: iso(row.periodStart),
    period_end: iso(row.periodEnd),
    attempt_count: row.attemptCount,
    hosted_invoice_url: row.hostedInvoiceUrl,
    invoice_pdf: row.invoicePdf,
    refunds: row.refunds.map(toRefundDto),
  };
}

export const StaffMemberBillingSchema = named(
  z.object({
    object: z.literal('staff_member_billing'),
    member_id: z.string(),
    // A union, not `.nullable()`: on a named schema the generator writes an `allOf` no null satisfies.
    subscription: z.union([StaffSubscriptionSchema, z.null()]),
    subscriptions: z
      .array(StaffSubscriptionSchema)
      .openapi({ description: 'Every subscription of the member, newest first (at most 100).' }),
    invoices: z
      .array(StaffInvoiceSchema)
      .openapi({ description: 'Invoices, newest first (drafts left out, at most 100), each with its refunds.' }),
  }),
  'StaffMemberBilling',
  {
    object: 'staff_member_billing',
    member_id: MEMBER,
    subscription: null,
    subscriptions: [],
    invoices: [],
  },
  {
    description:
      "A member's billing as staff see it. `subscription` is the membership that counts now: the newest live Stripe subscription, else a complimentary one that has not ended (null: none).",
  },
);

export function toStaffMemberBillingDto(view: StaffMemberBilling): z.infer<typeof StaffMemberBillingSchema> {
  return {
    object: 'staff_member_billing',
    member_id: view.memberId,
    subscription: view.current ? toStaffSubscriptionDto(view.current) : null,
    subscriptions: view.subscriptions.map(toStaffSubscriptionDto),
    invoices: view.invoices.map(toStaffInvoiceDto),
  };
}

export const RefundBody = named(
  z.object({
    amount: z.number().int().min(1).max(99_999_999_999).optional().openapi({
      description: 'Minor units to refund; default: everything still refundable (paid minus refunded).',
      example: 500,
    }),
    reason: z.enum(REFUND_REASONS).optional().openapi({ description: "Stripe's refund reason." }),
  }),
  'RefundBody',
  { amount: 500, reason: 'requested_by_customer' },
);

export const CancelSubscriptionBody = named(
  z.object({
    at_period_end: z.boolean().default(true).openapi({
      description: 'True (default): the member keeps the plan until the paid period ends. False: it ends now.',
    }),
  }),
  'StaffCancelBody',
  { at_period_end: true },
);

export const CompBody = named(
  z.object({
    tier_id: z.string().max(64).openapi({ description: 'The tier to grant.', example: TIER }),
    ends_at: z.iso.datetime({ offset: true }).openapi({
      description: 'When the complimentary membership ends (in the future, at most ten years ahead).',
      example: '2027-06-30T22:00:00.000Z',
    }),
  }),
  'CompBody',
  { tier_id: TIER, ends_at: '2027-06-30T22:00:00.000Z' },
);

/** A Stripe invoice id in a path (`in_…`). */
export const InvoiceParam = z.object({
  id: z
    .string()
    .max(255)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'in_1Q2w3E4r5T6y7U8i' }),
});
