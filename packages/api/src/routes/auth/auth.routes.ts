import { createRoute } from '@hono/zod-openapi';
import { requireCredential } from '../../access/require-credential.js';
import { errorResponses, jsonBody, jsonResponse } from '../../lib/openapi.js';
import {
  AcceptInviteBody,
  AcceptedSchema,
  EmailOnlyBody,
  LoginBody,
  LogoutBody,
  PasswordResetConfirmBody,
  RefreshBody,
  SessionTokensSchema,
  SignupBody,
  SignupSessionSchema,
  VerificationRequiredSchema,
  VerifyEmailBody,
} from './auth.schemas.js';

const PUBLISHABLE = [{ publishableKey: [] }];
const errors = {
  400: errorResponses[400],
  401: errorResponses[401],
  403: errorResponses[403],
  409: errorResponses[409],
  415: errorResponses[415],
  422: errorResponses[422],
  429: errorResponses[429],
} as const;

export const signupRoute = createRoute({
  method: 'post',
  path: '/v1/auth/signup',
  operationId: 'signup',
  middleware: [requireCredential(['publishable_key'])] as const,
  tags: ['Auth'],
  summary: 'Sign a member up',
  description:
    'Creates the member with a password. When the tenant requires email verification (the default) the answer is 202 whether or not the email was already registered, and a verification mail is queued; otherwise the member is active at once and gets a session (201). A paid `tier_id` is not granted at sign-up: both answers carry `next` (continue to checkout), and the tier comes with the payment.',
  security: PUBLISHABLE,
  request: { body: jsonBody(SignupBody) },
  responses: {
    201: jsonResponse(SignupSessionSchema, 'Signed up and signed in.'),
    202: jsonResponse(VerificationRequiredSchema, 'Check your email to finish signing up.'),
    ...errors,
  },
});

export const verifyEmailRoute = createRoute({
  method: 'post',
  path: '/v1/auth/verify-email',
  operationId: 'verifyEmail',
  middleware: [requireCredential(['publishable_key'])] as const,
  tags: ['Auth'],
  summary: 'Confirm an email address',
  description:
    'Takes the single-use code from the verification mail (valid 10 minutes), activates a pending member and signs them in.',
  security: PUBLISHABLE,
  request: { body: jsonBody(VerifyEmailBody) },
  responses: { 200: jsonResponse(SessionTokensSchema, 'Verified and signed in.'), ...errors },
});

export const loginRoute = createRoute({
  method: 'post',
  path: '/v1/auth/login',
  operationId: 'login',
  middleware: [requireCredential(['publishable_key'])] as const,
  tags: ['Auth'],
  summary: 'Sign in with email and password',
  description:
    'Unknown emails, wrong passwords and a locked client get the same 401. Attempts are limited per IP and per email; failures are counted per (email, client IP): after 5 the client must wait 1 s, 2 s, … up to 60 s between attempts (429 with Retry-After), after 20 in an hour that client is locked out of that email for an hour (the same 401 even for the right password). A client that signed in to the account before is never locked; sign-in links always work.',
  security: PUBLISHABLE,
  request: { body: jsonBody(LoginBody) },
  responses: { 200: jsonResponse(SessionTokensSchema, 'Signed in.'), ...errors },
});

export const refreshRoute = createRoute({
  method: 'post',
  path: '/v1/auth/refresh',
  operationId: 'refreshSession',
  middleware: [requireCredential(['publishable_key'])] as const,
  tags: ['Auth'],
  summary: 'Refresh a session',
  description:
    'Exchanges the refresh token for a new access token and a new refresh token. A refresh token used twice ends its session (theft detection), except when the client that used it (same user agent and IP) presents it again within 10 seconds, as two tabs refreshing at once do: it then gets the same new refresh token. A token of another tenant or of a staff session is refused without being spent.',
  security: PUBLISHABLE,
  request: { body: jsonBody(RefreshBody) },
  responses: { 200: jsonResponse(SessionTokensSchema, 'New tokens.'), ...errors },
});

export const logoutRoute = createRoute({
  method: 'post',
  path: '/v1/auth/logout',
  operationId: 'logout',
  middleware: [requireCredential(['publishable_key'])] as const,
  tags: ['Auth'],
  summary: 'Sign out',
  description: 'Ends the session of the refresh token. Answers 204 whether or not the token was valid.',
  security: PUBLISHABLE,
  request: { body: jsonBody(LogoutBody) },
  responses: { 204: { description: 'Signed out.' }, ...errors },
});

const accepted = jsonResponse(
  AcceptedSchema,
  'Accepted. A mail is sent if the address belongs to a member; the answer is the same either way.',
);

export const magicLinkRoute = createRoute({
  method: 'post',
  path: '/v1/auth/magic-link',
  operationId: 'requestMagicLink',
  middleware: [requireCredential(['publishable_key'])] as const,
  tags: ['Auth'],
  summary: 'Mail a sign-in link',
  security: PUBLISHABLE,
  request: { body: jsonBody(EmailOnlyBody) },
  responses: { 202: accepted, ...errors },
});

export const magicLinkVerifyRoute = createRoute({
  method: 'post',
  path: '/v1/auth/magic-link/verify',
  operationId: 'verifyMagicLink',
  middleware: [requireCredential(['publishable_key'])] as const,
  tags: ['Auth'],
  summary: 'Sign in with a magic link',
  description: 'Takes the single-use code from the mail (valid 10 minutes). Also confirms the email address.',
  security: PUBLISHABLE,
  request: { body: jsonBody(VerifyEmailBody) },
  responses: { 200: jsonResponse(SessionTokensSchema, 'Signed in.'), ...errors },
});

export const passwordResetRoute = createRoute({
  method: 'post',
  path: '/v1/auth/password-reset',
  operationId: 'requestPasswordReset',
  middleware: [requireCredential(['publishable_key'])] as const,
  tags: ['Auth'],
  summary: 'Mail a password-reset link',
  security: PUBLISHABLE,
  request: { body: jsonBody(EmailOnlyBody) },
  responses: { 202: accepted, ...errors },
});

export const passwordResetConfirmRoute = createRoute({
  method: 'post',
  path: '/v1/auth/password-reset/confirm',
  operationId: 'confirmPasswordReset',
  middleware: [requireCredential(['publishable_key'])] as const,
  tags: ['Auth'],
  summary: 'Set a new password with a reset code',
  description: 'The code is single use and valid 10 minutes. Every session of the member ends.',
  security: PUBLISHABLE,
  request: { body: jsonBody(PasswordResetConfirmBody) },
  responses: { 204: { description: 'Password changed.' }, ...errors },
});

export const acceptInviteRoute = createRoute({
  method: 'post',
  path: '/v1/invites/accept',
  operationId: 'acceptInvite',
  middleware: [requireCredential(['publishable_key'])] as const,
  tags: ['Auth'],
  summary: 'Accept an invitation',
  description:
    'Takes the token from the invite mail, sets a password and creates the active member with the invited tier; signs them in.',
  security: PUBLISHABLE,
  request: { body: jsonBody(AcceptInviteBody) },
  responses: { 201: jsonResponse(SessionTokensSchema, 'Joined and signed in.'), ...errors },
});
