import { formatAmount } from '../engine/money.js';
import { filterBy, filterCreated, listObject } from '../lists.js';
import { int, mergeMetadata, oneOf, str } from '../params.js';
import type { Router } from '../router.js';
import { newId } from '../store.js';
import { invalidRequest, missingParam, type Obj } from '../types.js';
import { previousAttributes } from './events.js';

/**
 * Refunds of a charge, named by `charge` or `payment_intent` (an invoice's
 * payment: `invoice.payments` → `payment.payment_intent`). Full by default,
 * partial with `amount`; never more than what is left.
 */
export function registerRefunds(router: Router): void {
  router.post('/v1/refunds', (ctx) => {
    const p = ctx.params;
    const { state, account } = ctx;
    let charge: Obj | undefined;
    const chargeId = str(p.charge, 'charge');
    const intentId = str(p.payment_intent, 'payment_intent');
    if (chargeId) charge = state.store.get(account, chargeId, 'charge', 'charge', 'charge');
    else if (intentId) {
      const intent = state.store.get(account, intentId, 'payment_intent', 'payment_intent', 'payment_intent');
      if (intent.status !== 'succeeded' || !intent.latest_charge)
        throw invalidRequest(
          `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`,
          'payment_intent',
          'charge_not_refundable',
        );
      charge = state.store.get(account, intent.latest_charge, 'charge');
    } else throw missingParam('charge');
    if (!charge.paid)
      throw invalidRequest(
        `Charge ${charge.id} has not been paid, so it cannot be refunded.`,
        'charge',
        'charge_not_refundable',
      );
    const left = charge.amount - charge.amount_refunded;
    if (left <= 0)
      throw invalidRequest(`Charge ${charge.id} has already been refunded.`, 'charge', 'charge_already_refunded');
    const amount = int(p.amount, 'amount') ?? left;
    if (amount <= 0) throw invalidRequest('Refund amount must be positive.', 'amount');
    if (amount > left)
      throw invalidRequest(
        `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(left, charge.currency)})`,
        'amount',
        'amount_too_large',
      );
    const refund = state.store.insert(account, {
      id: newId('re'),
      object: 'refund',
      amount,
      balance_transaction: newId('txn'),
      charge: charge.id,
      created: state.now(),
      currency: charge.currency,
      customer: charge.customer,
      customer_account: null,
      destination_details: {
        card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
        type: 'card',
      },
      metadata: mergeMetadata({}, p.metadata),
      payment_intent: charge.payment_intent,
      payment_method: charge.payment_method,
      reason: oneOf(p.reason, ['duplicate', 'fraudulent', 'requested_by_customer'] as const, 'reason') ?? null,
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'succeeded',
      transfer_reversal: null,
    });
    const before = structuredClone(charge);
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    state.emit(account, 'refund.created', refund);
    state.emit(account, 'charge.refunded', charge, previousAttributes(before, charge));
    return refund;
  });
  router.get('/v1/refunds/:id', (ctx) => ctx.state.store.get(ctx.account, ctx.path.id, 'refund'));
  router.post('/v1/refunds/:id', (ctx) => {
    const refund = ctx.state.store.get(ctx.account, ctx.path.id, 'refund');
    refund.metadata = mergeMetadata(refund.metadata, ctx.params.metadata);
    return refund;
  });
  router.get('/v1/refunds', (ctx) => {
    const items = filterBy(ctx.state.store.all(ctx.account, 'refund'), ctx.params, {
      charge: (r) => r.charge,
      payment_intent: (r) => r.payment_intent,
    });
    return listObject(ctx, '/v1/refunds', filterCreated(items, ctx.params.created));
  });
}
