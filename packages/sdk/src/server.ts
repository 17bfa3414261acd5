/** @memberkit/sdk/server: helpers for customer backends (Node, Deno, edge). */
export {
  InvalidTokenError,
  MEMBER_AUDIENCE,
  verifyMemberToken,
  type MemberTokenClaims,
  type VerifyMemberTokenOptions,
} from './server/verify-member-token.js';
