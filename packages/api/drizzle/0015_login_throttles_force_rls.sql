-- Custom migration: force RLS on login_throttles (drizzle-kit only enables it); the
-- platform role has no business with sign-in failures.
ALTER TABLE "login_throttles" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
REVOKE ALL ON "login_throttles" FROM memberkit_platform;
