import { listObject } from '../lists.js';
import { int, oneOf, str } from '../params.js';
import type { Router } from '../router.js';
import type { DoubleState } from '../state.js';
import { newId } from '../store.js';
import { invalidRequest, missingParam, type Obj } from '../types.js';

/** Stored meter events carry an internal id (Stripe's have none); it is stripped from answers. */
function publicEvent(event: Obj): Obj {
  const { id: _id, ...rest } = event;
  return rest;
}

/** The summed (or counted, or last) value of `meter` for `customer` over `[start, end)`. */
export function meterUsage(
  state: DoubleState,
  account: string,
  meter: Obj,
  customer: string,
  start: number,
  end: number,
) {
  const customerKey = meter.customer_mapping.event_payload_key as string;
  const valueKey = meter.value_settings.event_payload_key as string;
  const events = state.store
    .all(account, 'billing.meter_event')
    .filter(
      (e) =>
        e.event_name === meter.event_name &&
        e.payload[customerKey] === customer &&
        e.timestamp >= start &&
        e.timestamp < end,
    )
    .reverse();
  const formula = meter.default_aggregation.formula as string;
  if (formula === 'count') return events.length;
  if (formula === 'last') return events.length ? Number(events[events.length - 1]!.payload[valueKey] ?? 0) : 0;
  return events.reduce((sum, e) => sum + Number(e.payload[valueKey] ?? 0), 0);
}

/** Billing meters and meter events (`identifier` unique per account, as Stripe enforces it). */
export function registerMeters(router: Router): void {
  router.post('/v1/billing/meters', (ctx) => {
    const p = ctx.params;
    const displayName = str(p.display_name, 'display_name');
    const eventName = str(p.event_name, 'event_name');
    if (!displayName) throw missingParam('display_name');
    if (!eventName) throw missingParam('event_name');
    const formula = oneOf(
      p.default_aggregation?.formula,
      ['sum', 'count', 'last'] as const,
      'default_aggregation[formula]',
    );
    if (!formula) throw missingParam('default_aggregation[formula]');
    if (
      ctx.state.store.all(ctx.account, 'billing.meter').some((m) => m.event_name === eventName && m.status === 'active')
    )
      throw invalidRequest(`An active meter with event_name \`${eventName}\` already exists.`, 'event_name');
    const now = ctx.state.now();
    return ctx.state.store.insert(ctx.account, {
      id: newId('mtr'),
      object: 'billing.meter',
      created: now,
      customer_mapping: {
        event_payload_key:
          str(p.customer_mapping?.event_payload_key, 'customer_mapping[event_payload_key]') ?? 'stripe_customer_id',
        type: 'by_id',
      },
      default_aggregation: { formula },
      display_name: displayName,
      event_name: eventName,
      event_time_window: oneOf(p.event_time_window, ['day', 'hour'] as const, 'event_time_window') ?? null,
      livemode: false,
      status: 'active',
      status_transitions: { deactivated_at: null },
      updated: now,
      value_settings: {
        event_payload_key: str(p.value_settings?.event_payload_key, 'value_settings[event_payload_key]') ?? 'value',
      },
    });
  });
  router.get('/v1/billing/meters', (ctx) => {
    let items = ctx.state.store.all(ctx.account, 'billing.meter');
    if (ctx.params.status) items = items.filter((m) => m.status === ctx.params.status);
    return listObject(ctx, '/v1/billing/meters', items);
  });
  router.get('/v1/billing/meters/:id', (ctx) =>
    ctx.state.store.get(ctx.account, ctx.path.id, 'billing.meter', 'billing meter'),
  );
  for (const [action, status] of [
    ['deactivate', 'inactive'],
    ['reactivate', 'active'],
  ] as const)
    router.post(`/v1/billing/meters/:id/${action}`, (ctx) => {
      const meter = ctx.state.store.get(ctx.account, ctx.path.id, 'billing.meter', 'billing meter');
      meter.status = status;
      meter.status_transitions.deactivated_at = status === 'inactive' ? ctx.state.now() : null;
      meter.updated = ctx.state.now();
      return meter;
    });
  router.get('/v1/billing/meters/:id/event_summaries', (ctx) => {
    const meter = ctx.state.store.get(ctx.account, ctx.path.id, 'billing.meter', 'billing meter');
    const customer = str(ctx.params.customer, 'customer');
    if (!customer) throw missingParam('customer');
    const start = int(ctx.params.start_time, 'start_time');
    const end = int(ctx.params.end_time, 'end_time');
    if (start === undefined) throw missingParam('start_time');
    if (end === undefined) throw missingParam('end_time');
    const summary = {
      id: `mtrusg_${meter.id.slice(4)}_${start}`,
      object: 'billing.meter_event_summary',
      aggregated_value: meterUsage(ctx.state, ctx.account, meter, customer, start, end),
      end_time: end,
      livemode: false,
      meter: meter.id,
      start_time: start,
    };
    return listObject(ctx, `/v1/billing/meters/${meter.id}/event_summaries`, [summary]);
  });
  router.post('/v1/billing/meter_events', (ctx) => {
    const p = ctx.params;
    const eventName = str(p.event_name, 'event_name');
    if (!eventName) throw missingParam('event_name');
    if (!p.payload || typeof p.payload !== 'object') throw missingParam('payload');
    const meter = ctx.state.store
      .all(ctx.account, 'billing.meter')
      .find((m) => m.event_name === eventName && m.status === 'active');
    if (!meter) throw invalidRequest(`No active meter was found with event_name \`${eventName}\`.`, 'event_name');
    const customerKey = meter.customer_mapping.event_payload_key as string;
    const valueKey = meter.value_settings.event_payload_key as string;
    if (!p.payload[customerKey]) throw missingParam(`payload[${customerKey}]`);
    if (meter.default_aggregation.formula !== 'count' && !/^-?\d+(\.\d+)?$/.test(String(p.payload[valueKey] ?? '')))
      throw invalidRequest(`\`payload[${valueKey}]\` must be a number.`, `payload[${valueKey}]`);
    const identifier = str(p.identifier, 'identifier') || newId('mev').slice(4);
    const internalId = `mev:${ctx.account}:${identifier}`;
    if (ctx.state.store.find(ctx.account, internalId))
      throw invalidRequest(
        `An event already exists with identifier ${identifier}.`,
        'identifier',
        'duplicate_meter_event',
      );
    const now = ctx.state.now();
    const timestamp = int(p.timestamp, 'timestamp') ?? now;
    if (timestamp < now - 35 * 86_400 || timestamp > now + 300)
      throw invalidRequest(
        'The timestamp must be within the past 35 days and not more than 5 minutes in the future.',
        'timestamp',
      );
    const event = ctx.state.store.insert(ctx.account, {
      id: internalId,
      object: 'billing.meter_event',
      created: now,
      event_name: eventName,
      identifier,
      livemode: false,
      payload: Object.fromEntries(Object.entries(p.payload).map(([k, v]) => [k, String(v)])),
      timestamp,
    });
    return publicEvent(event);
  });
}
