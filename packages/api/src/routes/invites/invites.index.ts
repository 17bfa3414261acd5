import { createRouter } from '../../lib/create-router.js';
import {
  createInviteHandler,
  createInvitesBulkHandler,
  getInviteHandler,
  listInvitesHandler,
  resendInviteHandler,
  revokeInviteHandler,
} from './invites.handlers.js';
import {
  createInviteRoute,
  createInvitesBulkRoute,
  getInviteRoute,
  listInvitesRoute,
  resendInviteRoute,
  revokeInviteRoute,
} from './invites.routes.js';

/** `/v1/invites`: invitations to join the tenant, with single-use expiring links sent by mail. */
export const invitesRouter = createRouter()
  .openapi(createInviteRoute, createInviteHandler)
  .openapi(createInvitesBulkRoute, createInvitesBulkHandler)
  .openapi(listInvitesRoute, listInvitesHandler)
  .openapi(getInviteRoute, getInviteHandler)
  .openapi(revokeInviteRoute, revokeInviteHandler)
  .openapi(resendInviteRoute, resendInviteHandler);
