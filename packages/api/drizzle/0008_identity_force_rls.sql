-- Custom migration: force RLS on the identity tables; the platform role may
-- claim and update pending mail of every tenant (the delivery worker).
ALTER TABLE "member_credentials" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "sessions" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "refresh_token_uses" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "one_time_tokens" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "signing_keys" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "staff_users" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "oidc_providers" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "oidc_identities" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
REVOKE ALL ON "member_credentials", "sessions", "refresh_token_uses", "one_time_tokens", "signing_keys", "staff_users", "oidc_providers", "oidc_identities" FROM memberkit_platform;--> statement-breakpoint
GRANT SELECT, UPDATE ON "mail_outbox" TO memberkit_platform;
