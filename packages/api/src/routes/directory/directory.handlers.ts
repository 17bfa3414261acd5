import type { AppRouteHandler } from '../../lib/context.js';
import { CursorValues, decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { listDirectory } from '../../services/directory.js';
import type { listDirectoryRoute } from './directory.routes.js';

export const listDirectoryHandler: AppRouteHandler<typeof listDirectoryRoute> = async (c) => {
  const credential = c.var.credential;
  const { limit, cursor, search } = c.req.valid('query');
  const audience = credential.type === 'member' ? 'members' : 'public';
  // Bound to the tenant, the audience and the search, like every cursor.
  const scope = `directory:${credential.tenantId}:${audience}`;
  const fingerprint = { search: search ?? '' };
  const after = cursor
    ? await decodeCursor(c.var.deps.secretBox, cursor, { scope, query: fingerprint }, [
        CursorValues.text,
        CursorValues.id('mem'),
      ])
    : undefined;
  const page = await listDirectory(c.var.deps, credential.tenantId, {
    audience,
    limit,
    ...(search ? { search } : {}),
    ...(after ? { after } : {}),
  });
  const last = page.entries.at(-1);
  return c.json(
    {
      object: 'list' as const,
      data: page.entries.map((e) => ({
        id: e.id,
        object: 'directory_member' as const,
        first_name: e.firstName,
        last_name: e.lastName,
        tier: e.tier,
        custom_fields: e.customFields,
        joined_at: e.joinedAt.toISOString(),
      })),
      has_more: page.hasMore,
      next_cursor:
        page.hasMore && last
          ? await encodeCursor(c.var.deps.secretBox, { scope, query: fingerprint }, [last.lastName, last.id])
          : null,
    },
    200,
  );
};
