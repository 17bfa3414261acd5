/** Who did something, and in which request: carried from routes into services for audit entries. */
export interface AuditContext {
  /** `api_key` for secret keys; `staff` and `member` come with the identity work. */
  actorType: 'api_key' | 'staff' | 'member' | 'platform' | 'system';
  actorId: string;
  requestId: string | null;
  ip: string | null;
}
