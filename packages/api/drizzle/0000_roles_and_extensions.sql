-- Custom migration: roles and extensions, which drizzle-kit does not generate.
-- Roles are cluster-wide, so they are created only when missing: a second database
-- in the same cluster must migrate too.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'memberkit_app') THEN
    CREATE ROLE memberkit_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'memberkit_platform') THEN
    CREATE ROLE memberkit_platform NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
  END IF;
END
$$;
--> statement-breakpoint
-- The connecting user switches into these roles per transaction (SET LOCAL ROLE),
-- which needs membership when it is not a superuser.
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT memberkit_app TO %I', current_user);
    EXECUTE format('GRANT memberkit_platform TO %I', current_user);
  END IF;
END
$$;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
