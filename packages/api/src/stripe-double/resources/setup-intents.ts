import { filterBy, listObject } from '../lists.js';
import { mergeMetadata, str } from '../params.js';
import type { Router } from '../router.js';
import type { DoubleState } from '../state.js';
import { newId } from '../store.js';
import { invalidRequest, type Obj, type Params } from '../types.js';
import { attachPaymentMethod, resolvePaymentMethod } from './payment-methods.js';

/** Creates a SetupIntent (`requires_payment_method`, or `requires_confirmation` with a payment method). */
export function createSetupIntent(state: DoubleState, account: string, params: Params): Obj {
  const customer = str(params.customer, 'customer') || null;
  if (customer) state.store.get(account, customer, 'customer', 'customer', 'customer');
  const id = newId('seti');
  const intent = state.store.insert(account, {
    id,
    object: 'setup_intent',
    application: null,
    attach_to_self: false,
    automatic_payment_methods: null,
    cancellation_reason: null,
    client_secret: `${id}_secret_${newId('x').slice(2)}`,
    created: state.now(),
    customer,
    customer_account: null,
    description: str(params.description, 'description') || null,
    flow_directions: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: mergeMetadata({}, params.metadata),
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    single_use_mandate: null,
    status: 'requires_payment_method',
    usage: str(params.usage, 'usage') || 'off_session',
  });
  state.emit(account, 'setup_intent.created', intent);
  if (params.payment_method) {
    intent.payment_method = resolvePaymentMethod(state, account, params.payment_method).id;
    intent.status = 'requires_confirmation';
  }
  if (params.confirm === 'true') confirmSetupIntent(state, account, intent, undefined);
  return intent;
}

/** Confirms: the payment method is saved (attached to the customer) and the intent `succeeded`. */
export function confirmSetupIntent(state: DoubleState, account: string, intent: Obj, pmId: string | undefined): Obj {
  if (!['requires_payment_method', 'requires_confirmation'].includes(intent.status))
    throw invalidRequest(
      `You cannot confirm this SetupIntent because it has a status of ${intent.status}.`,
      undefined,
      'setup_intent_unexpected_state',
    );
  const pm = pmId
    ? resolvePaymentMethod(state, account, pmId)
    : intent.payment_method
      ? state.store.get(account, intent.payment_method, 'payment_method')
      : null;
  if (!pm)
    throw invalidRequest(
      'You cannot confirm this SetupIntent because it has no payment method.',
      'payment_method',
      'setup_intent_unexpected_state',
    );
  if (intent.customer) attachPaymentMethod(state, account, pm.id, intent.customer);
  intent.payment_method = pm.id;
  intent.status = 'succeeded';
  state.emit(account, 'setup_intent.succeeded', intent);
  return intent;
}

/** SetupIntents: create, retrieve, update, confirm, cancel, list. */
export function registerSetupIntents(router: Router): void {
  router.post('/v1/setup_intents', (ctx) => createSetupIntent(ctx.state, ctx.account, ctx.params));
  router.get('/v1/setup_intents/:id', (ctx) => ctx.state.store.get(ctx.account, ctx.path.id, 'setup_intent'));
  router.post('/v1/setup_intents/:id', (ctx) => {
    const intent = ctx.state.store.get(ctx.account, ctx.path.id, 'setup_intent');
    intent.metadata = mergeMetadata(intent.metadata, ctx.params.metadata);
    if (ctx.params.payment_method) {
      intent.payment_method = resolvePaymentMethod(ctx.state, ctx.account, ctx.params.payment_method).id;
      intent.status = 'requires_confirmation';
    }
    return intent;
  });
  router.post('/v1/setup_intents/:id/confirm', (ctx) => {
    const intent = ctx.state.store.get(ctx.account, ctx.path.id, 'setup_intent');
    return confirmSetupIntent(ctx.state, ctx.account, intent, str(ctx.params.payment_method, 'payment_method'));
  });
  router.post('/v1/setup_intents/:id/cancel', (ctx) => {
    const intent = ctx.state.store.get(ctx.account, ctx.path.id, 'setup_intent');
    if (intent.status === 'succeeded')
      throw invalidRequest(
        'You cannot cancel this SetupIntent because it has a status of succeeded.',
        undefined,
        'setup_intent_unexpected_state',
      );
    intent.status = 'canceled';
    intent.cancellation_reason = str(ctx.params.cancellation_reason, 'cancellation_reason') || null;
    ctx.state.emit(ctx.account, 'setup_intent.canceled', intent);
    return intent;
  });
  router.get('/v1/setup_intents', (ctx) =>
    listObject(
      ctx,
      '/v1/setup_intents',
      filterBy(ctx.state.store.all(ctx.account, 'setup_intent'), ctx.params, {
        customer: (i) => i.customer,
        payment_method: (i) => i.payment_method,
      }),
    ),
  );
}
