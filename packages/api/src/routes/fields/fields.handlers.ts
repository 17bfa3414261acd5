import type { AppRouteHandler } from '../../lib/context.js';
import { auditContextOf } from '../audit-context.js';
import { listCustomFields, replaceCustomFields } from '../../services/custom-fields.js';
import type { listCustomFieldsRoute, replaceCustomFieldsRoute } from './fields.routes.js';
import { toCustomFieldDto } from './fields.schemas.js';

export const listCustomFieldsHandler: AppRouteHandler<typeof listCustomFieldsRoute> = async (c) => {
  const auth = c.var.credential;
  const rows = await listCustomFields(c.var.deps, auth.tenantId);
  return c.json({ object: 'list' as const, data: rows.map(toCustomFieldDto) }, 200);
};

export const replaceCustomFieldsHandler: AppRouteHandler<typeof replaceCustomFieldsRoute> = async (c) => {
  const auth = c.var.credential;
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
