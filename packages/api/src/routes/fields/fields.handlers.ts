import type { RouteHandler } from '@hono/zod-openapi';
import { tenantAuth } from '../../access/require-credential.js';
import type { AppEnv } from '../../lib/context.js';
import { auditContextOf } from '../audit-context.js';
import { listCustomFields, replaceCustomFields } from '../../services/custom-fields.js';
import type { listCustomFieldsRoute, replaceCustomFieldsRoute } from './fields.routes.js';
import { toCustomFieldDto } from './fields.schemas.js';

export const listCustomFieldsHandler: RouteHandler<typeof listCustomFieldsRoute, AppEnv> = async (c) => {
  const auth = tenantAuth(c);
  const rows = await listCustomFields(c.var.deps, auth.tenantId);
  return c.json({ object: 'list' as const, data: rows.map(toCustomFieldDto) }, 200);
};

export const replaceCustomFieldsHandler: RouteHandler<typeof replaceCustomFieldsRoute, AppEnv> = async (c) => {
  const auth = tenantAuth(c);
  const { fields } = c.req.valid('json');
  const rows = await replaceCustomFields(
    c.var.deps,
    auth.tenantId,
    auditContextOf(c),
    fields.map((f) => ({
      key: f.key,
      label: f.label,
      type: f.type,
      options: f.options ?? [],
      required: f.required,
      visibility: f.visibility,
      memberEditable: f.member_editable,
    })),
  );
  return c.json({ object: 'list' as const, data: rows.map(toCustomFieldDto) }, 200);
};
