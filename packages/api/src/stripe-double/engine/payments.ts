import type { DoubleState } from '../state.js';
import { newId } from '../store.js';
import type { Obj } from '../types.js';
import { declineCodeOf } from '../resources/payment-methods.js';

/** The outcome of one charge attempt. */
export interface ChargeResult {
  paymentIntent: Obj;
  charge: Obj;
  succeeded: boolean;
  declineCode: string | null;
}

/** A PaymentIntent for `amount` (one per invoice: retries add charges to it, as Stripe does). */
export function createPaymentIntent(
  state: DoubleState,
  account: string,
  amount: number,
  currency: string,
  customer: string | null,
  description: string | null,
): Obj {
  return state.store.insert(account, {
    id: newId('pi'),
    object: 'payment_intent',
    amount,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: `${newId('pi')}_secret_${newId('x').slice(2)}`,
    confirmation_method: 'automatic',
    created: state.now(),
    currency,
    customer,
    description,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_types: ['card'],
    receipt_email: null,
    setup_future_usage: null,
    statement_descriptor: null,
    status: 'requires_payment_method',
  });
}

/**
 * Charges `pm` for the PaymentIntent: a charge object either way, the intent
 * `succeeded` or back to `requires_payment_method` with `last_payment_error`.
 * Emits `charge.succeeded`/`charge.failed` and `payment_intent.succeeded`/`payment_intent.payment_failed`.
 */
export function attemptCharge(state: DoubleState, account: string, paymentIntent: Obj, pm: Obj): ChargeResult {
  const declineCode = declineCodeOf(pm);
  const succeeded = declineCode === null;
  const charge = state.store.insert(account, {
    id: newId('ch'),
    object: 'charge',
    amount: paymentIntent.amount,
    amount_captured: succeeded ? paymentIntent.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: succeeded ? newId('txn') : null,
    billing_details: pm.billing_details,
    captured: succeeded,
    created: state.now(),
    currency: paymentIntent.currency,
    customer: paymentIntent.customer,
    description: paymentIntent.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: succeeded ? null : 'card_declined',
    failure_message: succeeded ? null : 'Your card was declined.',
    livemode: false,
    metadata: {},
    on_behalf_of: null,
    outcome: {
      network_status: succeeded ? 'approved_by_network' : 'declined_by_network',
      reason: declineCode,
      risk_level: 'normal',
      seller_message: succeeded
        ? 'Payment complete.'
        : 'The bank did not return any further details with this decline.',
      type: succeeded ? 'authorized' : 'issuer_declined',
    },
    paid: succeeded,
    payment_intent: paymentIntent.id,
    payment_method: pm.id,
    payment_method_details: {
      card: {
        brand: pm.card.brand,
        country: pm.card.country,
        exp_month: pm.card.exp_month,
        exp_year: pm.card.exp_year,
        funding: pm.card.funding,
        last4: pm.card.last4,
        network: pm.card.brand,
      },
      type: 'card',
    },
    receipt_email: null,
    receipt_number: null,
    receipt_url: `${state.url}/receipts/${paymentIntent.id}`,
    refunded: false,
    status: succeeded ? 'succeeded' : 'failed',
  });
  paymentIntent.payment_method = pm.id;
  paymentIntent.latest_charge = charge.id;
  if (succeeded) {
    paymentIntent.status = 'succeeded';
    paymentIntent.amount_received = paymentIntent.amount;
    paymentIntent.last_payment_error = null;
    state.emit(account, 'charge.succeeded', charge);
    state.emit(account, 'payment_intent.succeeded', paymentIntent);
  } else {
    paymentIntent.status = 'requires_payment_method';
    paymentIntent.last_payment_error = {
      charge: charge.id,
      code: 'card_declined',
      decline_code: declineCode,
      message: 'Your card was declined.',
      payment_method: pm,
      type: 'card_error',
    };
    state.emit(account, 'charge.failed', charge);
    state.emit(account, 'payment_intent.payment_failed', paymentIntent);
  }
  return { paymentIntent, charge, succeeded, declineCode };
}
