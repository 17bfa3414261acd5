import type { ListPromise } from '../core/pagination.js';
import { Resource, toQuery } from '../core/resource.js';
import type { CallOptions } from '../core/transport.js';
import type { QueryOf, Schema } from '../core/types.js';

/** One audit log entry. */
export type AuditEntry = Schema<'AuditEntry'>;
/** One page of audit log entries. */
export type AuditEntryList = Schema<'AuditEntryList'>;
/** Result of {@link AuditLogResource.verify}. */
export type AuditVerification = Schema<'AuditVerification'>;
/** Query of {@link AuditLogResource.list}. */
export type ListAuditLogParams = Omit<QueryOf<'listAuditLog'>, 'cursor'>;

/** `mk.auditLog`: every change made with a secret key or staff token, hash-chained. */
export class AuditLogResource extends Resource {
  /**
   * Lists entries, newest first (`GET /v1/audit-log`).
   *
   * @example
   * for await (const entry of mk.auditLog.list({ action: 'member.updated' })) console.log(entry.action);
   */
  list(params?: ListAuditLogParams, options?: CallOptions): ListPromise<AuditEntryList> {
    return this.paginate({ path: '/v1/audit-log', query: toQuery(params) }, options);
  }

  /** Checks the hash chain for tampering (`GET /v1/audit-log/verify`). */
  verify(options?: CallOptions): Promise<AuditVerification> {
    return this.call({ method: 'GET', path: '/v1/audit-log/verify' }, options);
  }
}
