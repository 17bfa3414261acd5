import type { AppRouteHandler } from '../../lib/context.js';
import { type ActivityInput, ingestActivity } from '../../services/activity-ingest.js';
import type { createActivityRoute } from './activity.routes.js';
import { toIngestDto } from './activity.schemas.js';

export const createActivityHandler: AppRouteHandler<typeof createActivityRoute> = async (c) => {
  const credential = c.var.credential;
  const body = c.req.valid('json');
  const own = credential.type === 'member' ? credential.memberId : undefined;
  const events: ActivityInput[] = body.events.map((e) => ({
    ...(e.id !== undefined ? { id: e.id } : {}),
    type: e.type,
    // A member token's events are its member's: member_id may be left out.
    member_id: e.member_id ?? own ?? '',
    ...(e.occurred_at !== undefined ? { occurred_at: e.occurred_at } : {}),
    ...(e.properties !== undefined ? { properties: e.properties } : {}),
  }));
  const result = await ingestActivity(c.var.deps, credential.tenantId, events, {
    source: credential.type === 'member' ? 'member' : 'api',
    ...(own !== undefined ? { memberId: own } : {}),
    atomic: body.atomic === true,
  });
  if (result.accepted > 0) c.var.deps.activityRollups?.wake();
  return c.json(toIngestDto(result), 200);
};
