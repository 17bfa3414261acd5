import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import type { AppRouteHandler } from '../lib/context.js';
import { createRouter } from '../lib/create-router.js';
import { ApiError } from '../lib/errors.js';
import type { Credential } from './credential.js';
import { requireCredential } from './require-credential.js';

const ok = { 200: { description: 'ok', content: { 'application/json': { schema: z.object({ id: z.string() }) } } } };
const memberRoute = createRoute({
  method: 'get',
  path: '/member',
  middleware: [requireCredential(['member'])] as const,
  responses: ok,
});
const staffRoute = createRoute({
  method: 'get',
  path: '/staff',
  middleware: [requireCredential(['secret_key', 'staff'], 'member:delete')] as const,
  responses: ok,
});

// The guard's type reaches the handler: a member route's credential has a memberId and no staffId.
const memberHandler: AppRouteHandler<typeof memberRoute> = async (c) => {
  // @ts-expect-error a member credential has no staffId
  void c.var.credential.staffId;
  return c.json({ id: c.var.credential.memberId }, 200);
};
const staffHandler: AppRouteHandler<typeof staffRoute> = async (c) => {
  // @ts-expect-error a secret key or staff credential has no memberId
  void c.var.credential.memberId;
  return c.json({ id: c.var.credential.role }, 200);
};

/** A router with the two guarded routes, the credential set as `authenticate` would. */
function appWith(credential: Credential | null) {
  const app = createRouter();
  app.use(async (c, next) => {
    c.set('credential', credential);
    await next();
  });
  app.onError((error, c) =>
    error instanceof ApiError ? c.json({ code: error.code, detail: error.message }, error.status) : c.text('boom', 500),
  );
  return app.openapi(memberRoute, memberHandler).openapi(staffRoute, staffHandler);
}

const member: Credential = {
  type: 'member',
  id: 'ses_1',
  tenantId: 'tnt_1',
  memberId: 'mem_1',
  sessionId: 'ses_1',
  allowedOrigins: [],
};
const viewerKey: Credential = { type: 'secret_key', id: 'key_1', tenantId: 'tnt_1', role: 'viewer' };
const adminKey: Credential = { type: 'secret_key', id: 'key_2', tenantId: 'tnt_1', role: 'admin' };

describe('requireCredential', () => {
  it('lets the accepted kinds through to the handler', async () => {
    expect(await (await appWith(member).request('/member')).json()).toEqual({ id: 'mem_1' });
    expect(await (await appWith(adminKey).request('/staff')).json()).toEqual({ id: 'admin' });
  });

  it('answers 401 without a credential, 403 naming what is needed with another kind or too small a role', async () => {
    const none = await appWith(null).request('/member');
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: 'UNAUTHENTICATED' });

    const keyAtMember = await appWith(adminKey).request('/member');
    expect(keyAtMember.status).toBe(403);
    expect(await keyAtMember.json()).toEqual({
      code: 'PERMISSION_DENIED',
      detail: "This endpoint needs a member's access token.",
    });

    const memberAtStaff = await appWith(member).request('/staff');
    expect(await memberAtStaff.json()).toEqual({
      code: 'PERMISSION_DENIED',
      detail: 'Member tokens cannot call staff endpoints; member:delete needs a secret key.',
    });

    const viewer = await appWith(viewerKey).request('/staff');
    expect(viewer.status).toBe(403);
    expect(await viewer.json()).toEqual({
      code: 'PERMISSION_DENIED',
      detail: 'This key\'s role "viewer" lacks the permission member:delete.',
    });
  });
});
