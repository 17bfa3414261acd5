import { createRouter } from '../../lib/create-router.js';
import {
  acceptInviteHandler,
  loginHandler,
  logoutHandler,
  magicLinkHandler,
  magicLinkVerifyHandler,
  passwordResetConfirmHandler,
  passwordResetHandler,
  refreshHandler,
  signupHandler,
  verifyEmailHandler,
} from './auth.handlers.js';
import {
  acceptInviteRoute,
  loginRoute,
  logoutRoute,
  magicLinkRoute,
  magicLinkVerifyRoute,
  passwordResetConfirmRoute,
  passwordResetRoute,
  refreshRoute,
  signupRoute,
  verifyEmailRoute,
} from './auth.routes.js';

/** `/v1/auth`: member sign-up, sign-in and sessions, called from browsers with a publishable key. */
export const authRouter = createRouter()
  .openapi(signupRoute, signupHandler)
  .openapi(verifyEmailRoute, verifyEmailHandler)
  .openapi(loginRoute, loginHandler)
  .openapi(refreshRoute, refreshHandler)
  .openapi(logoutRoute, logoutHandler)
  .openapi(magicLinkRoute, magicLinkHandler)
  .openapi(magicLinkVerifyRoute, magicLinkVerifyHandler)
  .openapi(passwordResetRoute, passwordResetHandler)
  .openapi(passwordResetConfirmRoute, passwordResetConfirmHandler)
  .openapi(acceptInviteRoute, acceptInviteHandler);
