import { randomBytes } from 'node:crypto';
import { listObject } from '../lists.js';
import { bool, mergeMetadata, str } from '../params.js';
import type { Router } from '../router.js';
import type { DoubleState } from '../state.js';
import { newId } from '../store.js';
import { missingParam, type Obj, type Params } from '../types.js';
import type { WebhookSender } from '../webhook-sender.js';

/** Creates a webhook endpoint; the returned object (and only this one) carries its `secret`. */
export function createWebhookEndpoint(state: DoubleState, sender: WebhookSender, account: string, params: Params): Obj {
  const url = str(params.url, 'url');
  if (!url) throw missingParam('url');
  const events = params.enabled_events;
  if (!Array.isArray(events) || events.length === 0) throw missingParam('enabled_events');
  const endpoint = state.store.insert(account, {
    id: newId('we'),
    object: 'webhook_endpoint',
    api_version: str(params.api_version, 'api_version') ?? null,
    application: null,
    created: state.now(),
    description: str(params.description, 'description') || null,
    enabled_events: events,
    livemode: false,
    metadata: mergeMetadata({}, params.metadata),
    status: 'enabled',
    url,
  });
  const secret = `whsec_${randomBytes(24).toString('hex')}`;
  sender.endpoints.set(endpoint.id, { secret, connect: bool(params.connect, 'connect') ?? false });
  return { ...structuredClone(endpoint), secret };
}

/** Webhook endpoints: create (`connect` for Connect endpoints), retrieve, update, list, delete. */
export function registerWebhookEndpoints(router: Router, sender: WebhookSender): void {
  router.post('/v1/webhook_endpoints', (ctx) => createWebhookEndpoint(ctx.state, sender, ctx.account, ctx.params));
  router.get('/v1/webhook_endpoints', (ctx) =>
    listObject(ctx, '/v1/webhook_endpoints', ctx.state.store.all(ctx.account, 'webhook_endpoint')),
  );
  router.get('/v1/webhook_endpoints/:id', (ctx) => ctx.state.store.get(ctx.account, ctx.path.id, 'webhook_endpoint'));
  router.post('/v1/webhook_endpoints/:id', (ctx) => {
    const endpoint = ctx.state.store.get(ctx.account, ctx.path.id, 'webhook_endpoint');
    const p = ctx.params;
    if (p.url !== undefined) endpoint.url = str(p.url, 'url');
    if (Array.isArray(p.enabled_events)) endpoint.enabled_events = p.enabled_events;
    if (p.disabled !== undefined) endpoint.status = bool(p.disabled, 'disabled') ? 'disabled' : 'enabled';
    if (p.description !== undefined) endpoint.description = str(p.description, 'description') || null;
    endpoint.metadata = mergeMetadata(endpoint.metadata, p.metadata);
    return endpoint;
  });
  router.delete('/v1/webhook_endpoints/:id', (ctx) => {
    const endpoint = ctx.state.store.get(ctx.account, ctx.path.id, 'webhook_endpoint');
    ctx.state.store.delete(endpoint.id);
    sender.endpoints.delete(endpoint.id);
    return { id: endpoint.id, object: 'webhook_endpoint', deleted: true };
  });
}
