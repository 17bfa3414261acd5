import { createContext } from '@lit/context';
import type { Memberkit } from '@memberkit/sdk';
import type { AdminStrings } from '../i18n/index.js';
import type { AdminRole } from '../provider/admin-role.js';

/** What `<member-admin-provider>` hands to the admin elements inside it. */
export interface AdminContextValue {
  /** The SDK client, authenticated with the staff access token: every API call goes through it. */
  client: Memberkit;
  /** Role of the signed-in staff user: decides which actions are offered. */
  role: AdminRole;
  /** Id of the signed-in staff user (`stf_…`), when known. */
  staffId: string | undefined;
  /** Strings in the provider's locale, tenant overrides applied. */
  strings: AdminStrings;
  /** BCP 47 locale the strings and dates are in. */
  locale: string;
}

/** Context through which the provider supplies {@link AdminContextValue}. */
export const adminContext = createContext<AdminContextValue | undefined>(Symbol.for('memberkit.admin'));
