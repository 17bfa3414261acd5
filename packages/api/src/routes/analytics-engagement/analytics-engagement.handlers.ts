import type { AppRouteHandler } from '../../lib/context.js';
import { ApiError } from '../../lib/errors.js';
import { isId } from '../../lib/ids.js';
import { getEngagement } from '../../services/analytics-engagement.js';
import { getMemberEngagement } from '../../services/analytics-engagement-member.js';
import { MemberErrors } from '../../services/members.js';
import type { getEngagementRoute, getMemberEngagementRoute } from './analytics-engagement.routes.js';

export const getEngagementHandler: AppRouteHandler<typeof getEngagementRoute> = async (c) => {
  const q = c.req.valid('query');
  const report = await getEngagement(c.var.deps, c.var.credential.tenantId, {
    from: q.from,
    to: q.to,
    interval: q.interval,
    tierId: q.tier_id,
    status: q.status,
    acceptLanguage: c.req.header('accept-language'),
  });
  return c.json(report, 200);
};

export const getMemberEngagementHandler: AppRouteHandler<typeof getMemberEngagementRoute> = async (c) => {
  const { id } = c.req.valid('param');
  if (!isId(id, 'mem')) throw new ApiError(MemberErrors.MEMBER_NOT_FOUND, `No member ${id}.`);
  const engagement = await getMemberEngagement(
    c.var.deps,
    c.var.credential.tenantId,
    id,
    c.req.header('accept-language'),
  );
  return c.json(engagement, 200);
};
