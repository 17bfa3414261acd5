import { isSessionActive } from '../accounts/sessions.js';
import { mintStaffSession } from '../accounts/staff.js';
import type { AppDeps } from '../deps.js';
import type { DemoOwner } from './demo-owner.js';

/** The tokens the staff console page is served with. */
export interface ConsoleTokens {
  accessToken: string;
  refreshToken: string;
}

/**
 * Reuse a minted session only while its access token has at least this long to live.
 * `<member-admin-provider>` spends the refresh token one minute before the access token
 * expires (REFRESH_EARLY_MS); until then the refresh token a previous load was given is
 * still the session's current one, so a new load can be given the same pair. Past this
 * point the previous page may have rotated it, and a spent token would be a reuse.
 */
const REUSE_MIN_REMAINING_MS = 3 * 60 * 1000;

/**
 * The demo owner's session for the staff console at `/admin`. Minting writes a
 * `staff.session_minted` audit entry, so minting on every page load filled the
 * demo tenant's audit log with one entry per reload: the session is minted once
 * and handed to the following loads while it is live and not about to expire.
 * Two tabs opened from one reuse share a session; both renew it at the same moment
 * (same expiry), which the refresh grace window allows from the same browser.
 */
export function createConsoleSession(deps: AppDeps, owner: DemoOwner) {
  let current: (ConsoleTokens & { sessionId: string; expiresAt: number }) | null = null;
  // Loads that arrive together wait for one mint instead of minting one each.
  let minting: Promise<ConsoleTokens> | null = null;

  const reusable = async (): Promise<ConsoleTokens | null> => {
    if (!current || current.expiresAt - deps.clock.now().getTime() < REUSE_MIN_REMAINING_MS) return null;
    const { sessionId } = current;
    // Signed out from the console (or revoked elsewhere): a new load needs a new session.
    const live = await deps.db.withTenant(owner.tenantId, (tx) =>
      isSessionActive(tx, owner.tenantId, sessionId, deps.clock.now()),
    );
    return live ? current : null;
  };

  const mint = async (userAgent: string | null): Promise<ConsoleTokens> => {
    const session = await mintStaffSession(
      deps,
      owner.tenantId,
      { actorType: 'system', actorId: 'npm-start', requestId: null, ip: null },
      { type: 'system' },
      owner.staffId,
      { userAgent, ip: null },
    );
    current = {
      accessToken: session.accessToken,
      refreshToken: session.refreshToken,
      sessionId: session.session.id,
      expiresAt: deps.clock.now().getTime() + session.expiresIn * 1000,
    };
    return current;
  };

  return async function consoleTokens(request: Request): Promise<ConsoleTokens> {
    const reused = await reusable();
    if (reused) return reused;
    minting ??= mint(request.headers.get('user-agent')).finally(() => {
      minting = null;
    });
    return minting;
  };
}
