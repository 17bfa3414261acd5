import { startCheckout } from '../../billing/checkout.js';
import { listMemberInvoices, type InvoicePosition } from '../../billing/member-invoices.js';
import {
  listPaymentMethods,
  removePaymentMethod,
  setDefaultPaymentMethod,
  startPaymentMethodSetup,
} from '../../billing/payment-methods.js';
import { PortalErrors } from '../../billing/portal-errors.js';
import { cancelMemberSubscription, getMemberBilling, resumeMemberSubscription } from '../../billing/portal.js';
import { confirmPreview, createPreview } from '../../billing/previews.js';
import type { AppRouteHandler } from '../../lib/context.js';
import { CursorValues, decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { ApiError } from '../../lib/errors.js';
import type {
  cancelSubscriptionRoute,
  confirmChangeRoute,
  getMemberBillingRoute,
  listMemberInvoicesRoute,
  listPaymentMethodsRoute,
  previewChangeRoute,
  removePaymentMethodRoute,
  resumeSubscriptionRoute,
  setDefaultPaymentMethodRoute,
  setupPaymentMethodRoute,
  startCheckoutRoute,
} from './billing-portal.routes.js';
import { toMemberBillingDto, toMemberInvoiceDto, toPaymentMethodList, toPreviewDto } from './billing-portal.schemas.js';

/** A Stripe PaymentMethod id; anything else cannot name one of the member's (404 without asking Stripe). */
function checkPaymentMethodId(id: string): string {
  if (!/^pm_[A-Za-z0-9_]{1,200}$/.test(id))
    throw new ApiError(PortalErrors.PAYMENT_METHOD_NOT_FOUND, `No payment method ${id} of yours.`);
  return id;
}

export const startCheckoutHandler: AppRouteHandler<typeof startCheckoutRoute> = async (c) => {
  const auth = c.var.credential;
  const body = c.req.valid('json');
  const ctx = {
    actorType: 'member' as const,
    actorId: auth.memberId,
    requestId: c.var.requestId,
    ip: c.var.deps.clientIp?.(c) ?? null,
  };
  const result = await startCheckout(c.var.deps, auth.tenantId, ctx, auth.allowedOrigins, {
    tierId: body.tier_id,
    interval: body.interval,
    ...(body.promotion_code ? { promotionCode: body.promotion_code } : {}),
    successUrl: body.success_url,
    cancelUrl: body.cancel_url,
  });
  if (result.kind === 'joined')
    return c.json({ object: 'checkout' as const, id: null, url: null, expires_at: null, tier_id: result.tierId }, 200);
  return c.json(
    {
      object: 'checkout' as const,
      id: result.id,
      url: result.url,
      expires_at: result.expiresAt?.toISOString() ?? null,
      tier_id: result.tierId,
    },
    200,
  );
};

export const getMemberBillingHandler: AppRouteHandler<typeof getMemberBillingRoute> = async (c) => {
  const auth = c.var.credential;
  return c.json(toMemberBillingDto(await getMemberBilling(c.var.deps, auth.tenantId, auth.memberId)), 200);
};

export const previewChangeHandler: AppRouteHandler<typeof previewChangeRoute> = async (c) => {
  const auth = c.var.credential;
  const body = c.req.valid('json');
  const view = await createPreview(c.var.deps, auth.tenantId, auth.memberId, {
    tierId: body.tier_id,
    interval: body.interval,
  });
  return c.json(toPreviewDto(view), 200);
};

export const confirmChangeHandler: AppRouteHandler<typeof confirmChangeRoute> = async (c) => {
  const auth = c.var.credential;
  const { preview_id } = c.req.valid('json');
  const view = await confirmPreview(c.var.deps, auth.tenantId, auth.memberId, c.var.requestId, preview_id);
  return c.json(toMemberBillingDto(view), 200);
};

export const cancelSubscriptionHandler: AppRouteHandler<typeof cancelSubscriptionRoute> = async (c) => {
  const auth = c.var.credential;
  const body = c.req.valid('json');
  const view = await cancelMemberSubscription(c.var.deps, auth.tenantId, auth.memberId, c.var.requestId, {
    atPeriodEnd: body.at_period_end,
    ...(body.reason ? { reason: body.reason } : {}),
    ...(body.comment ? { comment: body.comment } : {}),
  });
  return c.json(toMemberBillingDto(view), 200);
};

export const resumeSubscriptionHandler: AppRouteHandler<typeof resumeSubscriptionRoute> = async (c) => {
  const auth = c.var.credential;
  const view = await resumeMemberSubscription(c.var.deps, auth.tenantId, auth.memberId, c.var.requestId);
  return c.json(toMemberBillingDto(view), 200);
};

export const listPaymentMethodsHandler: AppRouteHandler<typeof listPaymentMethodsRoute> = async (c) => {
  const auth = c.var.credential;
  return c.json(toPaymentMethodList(await listPaymentMethods(c.var.deps, auth.tenantId, auth.memberId)), 200);
};

export const setupPaymentMethodHandler: AppRouteHandler<typeof setupPaymentMethodRoute> = async (c) => {
  const auth = c.var.credential;
  const body = c.req.valid('json');
  const setup = await startPaymentMethodSetup(c.var.deps, auth.tenantId, auth.memberId, auth.allowedOrigins, {
    successUrl: body.success_url,
    cancelUrl: body.cancel_url,
  });
  return c.json(
    {
      object: 'payment_method_setup' as const,
      id: setup.id,
      url: setup.url,
      expires_at: setup.expiresAt?.toISOString() ?? null,
    },
    200,
  );
};

export const setDefaultPaymentMethodHandler: AppRouteHandler<typeof setDefaultPaymentMethodRoute> = async (c) => {
  const auth = c.var.credential;
  const id = checkPaymentMethodId(c.req.valid('param').id);
  return c.json(
    toPaymentMethodList(await setDefaultPaymentMethod(c.var.deps, auth.tenantId, auth.memberId, c.var.requestId, id)),
    200,
  );
};

export const removePaymentMethodHandler: AppRouteHandler<typeof removePaymentMethodRoute> = async (c) => {
  const auth = c.var.credential;
  const id = checkPaymentMethodId(c.req.valid('param').id);
  return c.json(toPaymentMethodList(await removePaymentMethod(c.var.deps, auth.tenantId, auth.memberId, id)), 200);
};

/** Invoice ids are Stripe's (`in_…`), not ours: the cursor checks them as Stripe ids. */
const stripeInvoiceId = (value: unknown): value is string =>
  typeof value === 'string' && /^in_[A-Za-z0-9_]{1,200}$/.test(value);

export const listMemberInvoicesHandler: AppRouteHandler<typeof listMemberInvoicesRoute> = async (c) => {
  const auth = c.var.credential;
  const { limit, cursor } = c.req.valid('query');
  // Bound to the member: another member's cursor is a 400, never their page.
  const binding = { scope: `member-invoices:${auth.tenantId}:${auth.memberId}`, query: {} };
  let after: InvoicePosition | undefined;
  if (cursor !== undefined) {
    const [createdAt, id] = await decodeCursor(c.var.deps.secretBox, cursor, binding, [
      CursorValues.timestamp,
      stripeInvoiceId,
    ]);
    after = { createdAt, id };
  }
  const rows = await listMemberInvoices(c.var.deps, auth.tenantId, auth.memberId, {
    limit,
    ...(after ? { after } : {}),
  });
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return c.json(
    {
      object: 'list' as const,
      data: page.map(toMemberInvoiceDto),
      has_more: hasMore,
      next_cursor:
        hasMore && last
          ? await encodeCursor(c.var.deps.secretBox, binding, [last.stripeCreatedAt.toISOString(), last.id])
          : null,
    },
    200,
  );
};
