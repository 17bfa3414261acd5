import { createContext } from '@lit/context';
import type { Memberkit, Permission } from '@memberkit/sdk';
import type { AdminStrings } from '../i18n/index.js';
import type { AdminRole } from '../provider/admin-role.js';

/** What `<member-admin-provider>` hands to the admin elements inside it. */
export interface AdminContextValue {
  /** The SDK client, authenticated with the staff access token: every API call goes through it. */
  client: Memberkit;
  /** Role of the signed-in staff user (shown; the actions offered follow `permissions`). */
  role: AdminRole;
  /** Id of the signed-in staff user (`stf_…`), when known. */
  staffId: string | undefined;
  /**
   * What the signed-in staff user may do, as the API serves it with the session (or
   * `GET /v1/staff/me`); empty until known. Decides which actions are offered.
   */
  permissions: readonly Permission[];
  /** Strings in the provider's locale, tenant overrides applied. */
  strings: AdminStrings;
  /** BCP 47 locale the strings and dates are in. */
  locale: string;
}

/** Context through which the provider supplies {@link AdminContextValue}. */
export const adminContext = createContext<AdminContextValue | undefined>(Symbol.for('memberkit.admin'));
