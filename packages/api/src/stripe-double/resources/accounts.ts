import { listObject } from '../lists.js';
import { mergeMetadata, str } from '../params.js';
import type { Ctx, Router } from '../router.js';
import type { DoubleState } from '../state.js';
import { newId } from '../store.js';
import { previousAttributes } from './events.js';
import { type Obj, type Params, StripeDoubleError, resourceMissing } from '../types.js';

/** A new account object (not yet onboarded unless `onboarded`). */
export function accountObject(state: DoubleState, params: Params, onboarded: boolean): Obj {
  return {
    id: newId('acct', 16),
    object: 'account',
    business_profile: { name: params.business_profile?.name ?? null, url: params.business_profile?.url ?? null },
    business_type: params.business_type ?? null,
    capabilities: onboarded ? { card_payments: 'active', transfers: 'active' } : {},
    charges_enabled: onboarded,
    controller: params.controller ?? { type: 'application' },
    country: params.country ?? 'DE',
    created: state.now(),
    default_currency: params.default_currency ?? 'eur',
    details_submitted: onboarded,
    email: params.email ?? null,
    metadata: mergeMetadata({}, params.metadata),
    payouts_enabled: onboarded,
    requirements: requirements(onboarded),
    settings: { dashboard: { display_name: params.business_profile?.name ?? null, timezone: 'Etc/UTC' } },
    type: params.type ?? 'express',
  };
}

function requirements(onboarded: boolean): Obj {
  const due = onboarded ? [] : ['business_profile.url', 'external_account', 'tos_acceptance.date'];
  return {
    currently_due: due,
    eventually_due: due,
    past_due: [],
    pending_verification: [],
    disabled_reason: onboarded ? null : 'requirements.past_due',
    current_deadline: null,
    errors: [],
  };
}

/** Marks a connected account onboarded (what finishing the Account Link flow does) and emits `account.updated`. */
export function completeOnboarding(state: DoubleState, accountId: string): Obj {
  const record = state.accounts.get(accountId);
  if (!record) throw resourceMissing('account', accountId);
  const account = record.object;
  const before = structuredClone(account);
  Object.assign(account, {
    charges_enabled: true,
    payouts_enabled: true,
    details_submitted: true,
    capabilities: { card_payments: 'active', transfers: 'active' },
    requirements: requirements(true),
  });
  state.emit(accountId, 'account.updated', account, {
    charges_enabled: before.charges_enabled,
    payouts_enabled: before.payouts_enabled,
    details_submitted: before.details_submitted,
  });
  return account;
}

function connectedAccount(ctx: Ctx, id: string | undefined, param = 'id'): Obj {
  const record = id ? ctx.state.accounts.get(id) : undefined;
  if (!record || (record.platform !== ctx.account && record.id !== ctx.account))
    throw resourceMissing('account', String(id), param);
  return record.object;
}

/** Accounts (Connect: created by the platform), `/v1/account` and Account Links. */
export function registerAccounts(router: Router): void {
  router.post('/v1/accounts', (ctx) => {
    if (ctx.state.accounts.get(ctx.account)?.platform)
      throw new StripeDoubleError(400, 'invalid_request_error', 'A connected account cannot create accounts.');
    const account = accountObject(ctx.state, ctx.params, false);
    ctx.state.accounts.set(account.id, { id: account.id, platform: ctx.account, object: account });
    ctx.state.store.insert(ctx.account, account);
    return account;
  });
  router.get('/v1/accounts', (ctx) =>
    listObject(
      ctx,
      '/v1/accounts',
      [...ctx.state.accounts.values()]
        .filter((r) => r.platform === ctx.account)
        .map((r) => r.object)
        .reverse(),
    ),
  );
  router.get('/v1/accounts/:id', (ctx) => connectedAccount(ctx, ctx.path.id));
  router.post('/v1/accounts/:id', (ctx) => {
    const account = connectedAccount(ctx, ctx.path.id);
    const before = structuredClone(account);
    account.metadata = mergeMetadata(account.metadata, ctx.params.metadata);
    if (ctx.params.email !== undefined) account.email = str(ctx.params.email, 'email') || null;
    if (ctx.params.business_profile)
      account.business_profile = { ...account.business_profile, ...ctx.params.business_profile };
    ctx.state.emit(account.id, 'account.updated', account, previousAttributes(before, account));
    return account;
  });
  router.get('/v1/account', (ctx) => connectedAccount(ctx, ctx.account));
  router.post('/v1/account_links', (ctx) => {
    const account = connectedAccount(ctx, str(ctx.params.account, 'account'), 'account');
    const target = new URL(`/connect/onboarding/${account.id}`, ctx.state.url);
    if (ctx.params.return_url) target.searchParams.set('return_url', ctx.params.return_url);
    if (ctx.params.refresh_url) target.searchParams.set('refresh_url', ctx.params.refresh_url);
    return {
      object: 'account_link',
      created: ctx.state.now(),
      expires_at: ctx.state.now() + 300,
      url: target.toString(),
    };
  });
}
