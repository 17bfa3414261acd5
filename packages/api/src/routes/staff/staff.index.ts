import { createRouter } from '../../lib/create-router.js';
import {
  getCurrentStaffHandler,
  invitePlatformTenantOwnerHandler,
  inviteStaffHandler,
  listStaffHandler,
  mintStaffSessionHandler,
  removeStaffHandler,
  staffAcceptInviteHandler,
  staffLoginHandler,
  staffRefreshHandler,
  transferStaffOwnershipHandler,
  updateStaffHandler,
} from './staff.handlers.js';
import {
  getCurrentStaffRoute,
  invitePlatformTenantOwnerRoute,
  inviteStaffRoute,
  listStaffRoute,
  mintStaffSessionRoute,
  removeStaffRoute,
  staffAcceptInviteRoute,
  staffLoginRoute,
  staffRefreshRoute,
  transferStaffOwnershipRoute,
  updateStaffRoute,
} from './staff.routes.js';

/** `/v1/staff` and staff sign-in: the tenant's admins, with roles; and the platform operator's owner invitations. */
export const staffRouter = createRouter()
  .openapi(inviteStaffRoute, inviteStaffHandler)
  .openapi(listStaffRoute, listStaffHandler)
  .openapi(getCurrentStaffRoute, getCurrentStaffHandler)
  .openapi(updateStaffRoute, updateStaffHandler)
  .openapi(removeStaffRoute, removeStaffHandler)
  .openapi(mintStaffSessionRoute, mintStaffSessionHandler)
  .openapi(transferStaffOwnershipRoute, transferStaffOwnershipHandler)
  .openapi(invitePlatformTenantOwnerRoute, invitePlatformTenantOwnerHandler)
  .openapi(staffLoginRoute, staffLoginHandler)
  .openapi(staffAcceptInviteRoute, staffAcceptInviteHandler)
  .openapi(staffRefreshRoute, staffRefreshHandler);
