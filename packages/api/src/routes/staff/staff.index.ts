import { createRouter } from '../../lib/create-router.js';
import {
  inviteStaffHandler,
  listStaffHandler,
  mintStaffSessionHandler,
  removeStaffHandler,
  staffAcceptInviteHandler,
  staffLoginHandler,
  staffRefreshHandler,
  updateStaffHandler,
} from './staff.handlers.js';
import {
  inviteStaffRoute,
  listStaffRoute,
  mintStaffSessionRoute,
  removeStaffRoute,
  staffAcceptInviteRoute,
  staffLoginRoute,
  staffRefreshRoute,
  updateStaffRoute,
} from './staff.routes.js';

/** `/v1/staff` and staff sign-in: the tenant's admins, with roles. */
export const staffRouter = createRouter()
  .openapi(inviteStaffRoute, inviteStaffHandler)
  .openapi(listStaffRoute, listStaffHandler)
  .openapi(updateStaffRoute, updateStaffHandler)
  .openapi(removeStaffRoute, removeStaffHandler)
  .openapi(mintStaffSessionRoute, mintStaffSessionHandler)
  .openapi(staffLoginRoute, staffLoginHandler)
  .openapi(staffAcceptInviteRoute, staffAcceptInviteHandler)
  .openapi(staffRefreshRoute, staffRefreshHandler);
