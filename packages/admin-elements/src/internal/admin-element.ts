import { consume } from '@lit/context';
import { MemberkitElement } from '@memberkit/elements-core';
import type { Permission } from '@memberkit/sdk';
import { state } from 'lit/decorators.js';
import { en, type AdminStrings } from '../i18n/en.js';
import { adminContext, type AdminContextValue } from './context.js';

/**
 * Base of the admin elements: the shared widgets base plus the admin context
 * (client, role, strings) from the nearest `<member-admin-provider>`.
 */
export class MemberAdminElement extends MemberkitElement {
  /** Session, role and strings from the provider; undefined outside one or before sign-in. */
  @consume({ context: adminContext, subscribe: true })
  @state()
  protected admin: AdminContextValue | undefined;

  /** Strings in the provider's locale (English without a provider). */
  protected get strings(): AdminStrings {
    return this.admin?.strings ?? en;
  }

  /**
   * Whether the signed-in staff user may perform `permission`, as the API says with
   * the session; false when not signed in or not yet known.
   */
  protected can(permission: Permission): boolean {
    return this.admin?.permissions.includes(permission) ?? false;
  }

  /** A date (ISO string) in the provider's locale, or `fallback` for null. */
  protected formatDate(value: string | null | undefined, fallback = '—'): string {
    if (!value) return fallback;
    return dateFormatter(this.admin?.locale ?? 'en').format(new Date(value));
  }

  /** A date and time (ISO string) in the provider's locale. */
  protected formatDateTime(value: string | null | undefined, fallback = '—'): string {
    if (!value) return fallback;
    return dateTimeFormatter(this.admin?.locale ?? 'en').format(new Date(value));
  }
}

// Intl formatters are costly to build; one per locale serves every row.
const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const dateTimeFormatters = new Map<string, Intl.DateTimeFormat>();
function dateFormatter(locale: string): Intl.DateTimeFormat {
  let f = dateFormatters.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    dateFormatters.set(locale, f);
  }
  return f;
}
function dateTimeFormatter(locale: string): Intl.DateTimeFormat {
  let f = dateTimeFormatters.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    dateTimeFormatters.set(locale, f);
  }
  return f;
}

/** Message of an error for people: the API's detail, else a generic line. */
export function errorMessage(error: unknown, strings: AdminStrings): string {
  if (error && typeof error === 'object' && 'status' in error && (error as { status: number }).status === 403)
    return strings.forbidden;
  if (error instanceof Error && error.message) return error.message;
  return strings.genericError;
}
