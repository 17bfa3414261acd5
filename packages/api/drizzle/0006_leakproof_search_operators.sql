-- Custom migration: let row-level security and indexes work together.
-- Under RLS, Postgres evaluates a query's own conditions after the policy's and
-- so uses them as index conditions only when their operator functions are
-- LEAKPROOF. LIKE (trigram search) and @> (tags, custom fields) are not marked
-- so, which would turn every search into a filter over all of a tenant's rows.
-- They reveal nothing about rows beyond their result; the database has no SQL
-- users besides the app. Marking needs a superuser: elsewhere (managed
-- Postgres) this is skipped and searches stay correct but scan the tenant.
DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    ALTER FUNCTION textlike(text, text) LEAKPROOF;
    ALTER FUNCTION jsonb_contains(jsonb, jsonb) LEAKPROOF;
    ALTER FUNCTION arraycontains(anyarray, anyarray) LEAKPROOF;
  ELSE
    RAISE NOTICE 'memberkit: not a superuser; search operators stay non-leakproof (searches will not use the trigram index under RLS)';
  END IF;
END
$$;
