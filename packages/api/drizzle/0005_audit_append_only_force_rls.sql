-- Custom migration: force RLS on the new tables; the audit log is append-only
-- for the application roles (insert and read, never update or delete).
ALTER TABLE "member_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "custom_fields" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "invites" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "mail_outbox" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "audit_log" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "audit_chain_heads" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "member_events", "custom_fields", "invites", "mail_outbox", "audit_chain_heads" TO memberkit_app;--> statement-breakpoint
REVOKE ALL ON "audit_log" FROM memberkit_app, memberkit_platform;--> statement-breakpoint
GRANT SELECT, INSERT ON "audit_log" TO memberkit_app;--> statement-breakpoint
REVOKE ALL ON "member_events", "custom_fields", "invites", "mail_outbox", "audit_log", "audit_chain_heads" FROM memberkit_platform;
