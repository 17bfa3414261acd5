import type { Role, SecretKeyRole } from './permissions.js';

/** A verified credential. The tenant of a request comes only from here, never from client input. */
export type Credential =
  | { type: 'platform'; id: 'platform' }
  | { type: 'secret_key'; id: string; tenantId: string; role: SecretKeyRole }
  | { type: 'publishable_key'; id: string; tenantId: string; allowedOrigins: string[] }
  /**
   * A member's access token; `id` is the session id (rate limits count per session).
   * `allowedOrigins`: the tenant's and those of the publishable key the session signed in through.
   */
  | { type: 'member'; id: string; tenantId: string; memberId: string; sessionId: string; allowedOrigins: string[] }
  /** A staff user's access token; `id` is the session id, the role is read fresh on every request. */
  | {
      type: 'staff';
      id: string;
      tenantId: string;
      staffId: string;
      sessionId: string;
      role: Role;
      allowedOrigins: string[];
    };

/** Credentials that act for one tenant. */
export type TenantCredential = Exclude<Credential, { type: 'platform' }>;
