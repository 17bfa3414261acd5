import { grantComp, revokeComp } from '../../billing/comps.js';
import { refundInvoice } from '../../billing/refunds.js';
import { cancelSubscription, getStaffMemberBilling, listSubscriptions } from '../../billing/staff-subscriptions.js';
import { BillingErrors } from '../../billing/billing-errors.js';
import type { AppRouteHandler } from '../../lib/context.js';
import { CursorValues, decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { ApiError } from '../../lib/errors.js';
import { isId } from '../../lib/ids.js';
import { MemberErrors } from '../../services/members.js';
import { auditContextOf } from '../audit-context.js';
import type {
  cancelSubscriptionRoute,
  getMemberBillingRoute,
  grantCompRoute,
  listSubscriptionsRoute,
  refundInvoiceRoute,
  revokeCompRoute,
} from './billing-staff.routes.js';
import { toRefundDto, toStaffMemberBillingDto, toStaffSubscriptionDto } from './billing-staff.schemas.js';

/** A malformed member id names no member: 404 without a query. */
function checkMemberId(id: string): string {
  if (!isId(id, 'mem')) throw new ApiError(MemberErrors.MEMBER_NOT_FOUND, `No member ${id}.`);
  return id;
}

/** Makes Stripe calls retry-safe: the client's Idempotency-Key when given (the API replays its response too), else the request id. */
function idempotencyOf(key: string | undefined, requestId: string): string {
  return key ?? requestId;
}

export const listSubscriptionsHandler: AppRouteHandler<typeof listSubscriptionsRoute> = async (c) => {
  const auth = c.var.credential;
  const { limit, cursor, status, tier_id: tierId } = c.req.valid('query');
  // The cursor is bound to the tenant and the filters: replaying it with other filters is a 400, not a wrong page.
  const binding = {
    scope: `billing-subscriptions:${auth.tenantId}`,
    query: { status: status ?? null, tier_id: tierId ?? null },
  };
  const after =
    cursor === undefined
      ? undefined
      : (await decodeCursor(c.var.deps.secretBox, cursor, binding, [CursorValues.id('msub')]))[0];
  const rows = await listSubscriptions(c.var.deps, auth.tenantId, { status, tierId }, { limit, after });
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return c.json(
    {
      object: 'list' as const,
      data: page.map(toStaffSubscriptionDto),
      has_more: hasMore,
      next_cursor: hasMore && last ? await encodeCursor(c.var.deps.secretBox, binding, [last.id]) : null,
    },
    200,
  );
};

export const getMemberBillingHandler: AppRouteHandler<typeof getMemberBillingRoute> = async (c) => {
  const id = checkMemberId(c.req.valid('param').id);
  const view = await getStaffMemberBilling(c.var.deps, c.var.credential.tenantId, id);
  return c.json(toStaffMemberBillingDto(view), 200);
};

export const refundInvoiceHandler: AppRouteHandler<typeof refundInvoiceRoute> = async (c) => {
  const { id } = c.req.valid('param');
  if (!/^in_[A-Za-z0-9_]+$/.test(id)) throw new ApiError(BillingErrors.INVOICE_NOT_FOUND, `No invoice ${id}.`);
  const body = c.req.valid('json');
  const refund = await refundInvoice(c.var.deps, c.var.credential.tenantId, auditContextOf(c), id, {
    amount: body.amount,
    reason: body.reason,
    idempotencyKey: idempotencyOf(c.req.valid('header')['idempotency-key'], c.var.requestId),
  });
  return c.json(toRefundDto(refund), 201);
};

export const cancelSubscriptionHandler: AppRouteHandler<typeof cancelSubscriptionRoute> = async (c) => {
  const { id } = c.req.valid('param');
  if (!isId(id, 'msub')) throw new ApiError(BillingErrors.SUBSCRIPTION_NOT_FOUND, `No subscription ${id}.`);
  const body = c.req.valid('json');
  const row = await cancelSubscription(c.var.deps, c.var.credential.tenantId, auditContextOf(c), id, {
    atPeriodEnd: body.at_period_end,
    idempotencyKey: idempotencyOf(c.req.valid('header')['idempotency-key'], c.var.requestId),
  });
  return c.json(toStaffSubscriptionDto(row), 200);
};

export const grantCompHandler: AppRouteHandler<typeof grantCompRoute> = async (c) => {
  const id = checkMemberId(c.req.valid('param').id);
  const body = c.req.valid('json');
  const row = await grantComp(c.var.deps, c.var.credential.tenantId, auditContextOf(c), id, {
    tierId: body.tier_id,
    endsAt: new Date(body.ends_at),
  });
  return c.json(toStaffSubscriptionDto(row), 201);
};

export const revokeCompHandler: AppRouteHandler<typeof revokeCompRoute> = async (c) => {
  const id = checkMemberId(c.req.valid('param').id);
  const row = await revokeComp(c.var.deps, c.var.credential.tenantId, auditContextOf(c), id);
  return c.json(toStaffSubscriptionDto(row), 200);
};
