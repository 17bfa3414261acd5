CREATE TABLE "activity_active_counts" (
	"tenant_id" text NOT NULL,
	"grain" text NOT NULL,
	"period" date NOT NULL,
	"tier_key" text NOT NULL,
	"members" integer NOT NULL,
	CONSTRAINT "activity_active_counts_pkey" PRIMARY KEY("tenant_id","grain","period","tier_key")
);
--> statement-breakpoint
ALTER TABLE "activity_active_counts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "activity_cohort_counts" (
	"tenant_id" text NOT NULL,
	"grain" text NOT NULL,
	"cohort" date NOT NULL,
	"period" date NOT NULL,
	"join_tier_key" text NOT NULL,
	"members" integer NOT NULL,
	CONSTRAINT "activity_cohort_counts_pkey" PRIMARY KEY("tenant_id","grain","cohort","period","join_tier_key")
);
--> statement-breakpoint
ALTER TABLE "activity_cohort_counts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "activity_daily_counts" (
	"tenant_id" text NOT NULL,
	"day" date NOT NULL,
	"type" text NOT NULL,
	"tier_key" text NOT NULL,
	"events" bigint NOT NULL,
	CONSTRAINT "activity_daily_counts_pkey" PRIMARY KEY("tenant_id","day","type","tier_key")
);
--> statement-breakpoint
ALTER TABLE "activity_daily_counts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "activity_events" (
	"tenant_id" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"id" text NOT NULL,
	"member_id" text NOT NULL,
	"type" text NOT NULL,
	"properties" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tier_key" text DEFAULT '' NOT NULL,
	"source" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_events_pkey" PRIMARY KEY("tenant_id","occurred_at","id")
) PARTITION BY RANGE ("occurred_at");
--> statement-breakpoint
ALTER TABLE "activity_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "activity_ingest_keys" (
	"tenant_id" text NOT NULL,
	"event_id" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_ingest_keys_pkey" PRIMARY KEY("tenant_id","event_id")
);
--> statement-breakpoint
ALTER TABLE "activity_ingest_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "activity_member_day_types" (
	"tenant_id" text NOT NULL,
	"day" date NOT NULL,
	"type" text NOT NULL,
	"member_id" text NOT NULL,
	"tier_key" text NOT NULL,
	"events" integer NOT NULL,
	CONSTRAINT "activity_member_day_types_pkey" PRIMARY KEY("tenant_id","day","type","member_id","tier_key")
);
--> statement-breakpoint
ALTER TABLE "activity_member_day_types" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "activity_member_days" (
	"tenant_id" text NOT NULL,
	"day" date NOT NULL,
	"member_id" text NOT NULL,
	"tier_key" text NOT NULL,
	"events" integer NOT NULL,
	CONSTRAINT "activity_member_days_pkey" PRIMARY KEY("tenant_id","day","member_id","tier_key")
);
--> statement-breakpoint
ALTER TABLE "activity_member_days" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "activity_member_periods" (
	"tenant_id" text NOT NULL,
	"grain" text NOT NULL,
	"period" date NOT NULL,
	"member_id" text NOT NULL,
	"tier_key" text NOT NULL,
	"events" integer NOT NULL,
	CONSTRAINT "activity_member_periods_pkey" PRIMARY KEY("tenant_id","grain","period","member_id","tier_key")
);
--> statement-breakpoint
ALTER TABLE "activity_member_periods" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "activity_rollup_queue" (
	"tenant_id" text NOT NULL,
	"id" bigserial NOT NULL,
	"delta" jsonb NOT NULL,
	"events" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_rollup_queue_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "activity_rollup_queue" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "membership_daily" (
	"tenant_id" text NOT NULL,
	"day" date NOT NULL,
	"tier_key" text NOT NULL,
	"source" text NOT NULL,
	"joined" integer DEFAULT 0 NOT NULL,
	"churned" integer DEFAULT 0 NOT NULL,
	"reactivated" integer DEFAULT 0 NOT NULL,
	"pending" integer DEFAULT 0 NOT NULL,
	"active" integer DEFAULT 0 NOT NULL,
	"inactive" integer DEFAULT 0 NOT NULL,
	"suspended" integer DEFAULT 0 NOT NULL,
	"deleted" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "membership_daily_pkey" PRIMARY KEY("tenant_id","day","tier_key","source")
);
--> statement-breakpoint
ALTER TABLE "membership_daily" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "saved_reports" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"spec" jsonb NOT NULL,
	"schedule" text,
	"recipients" text[] DEFAULT '{}'::text[] NOT NULL,
	"next_run_at" timestamp with time zone,
	"last_run_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_reports_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "saved_reports" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "activity_retention_months" integer DEFAULT 13 NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "engagement_high_min" integer DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "engagement_moderate_min" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "source" text DEFAULT 'staff' NOT NULL;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "join_tier_id" text;--> statement-breakpoint
ALTER TABLE "saved_reports" ADD CONSTRAINT "saved_reports_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activity_events_member_idx" ON "activity_events" USING btree ("tenant_id","member_id","occurred_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "activity_ingest_keys_created_idx" ON "activity_ingest_keys" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "activity_member_day_types_member_idx" ON "activity_member_day_types" USING btree ("tenant_id","member_id","day");--> statement-breakpoint
CREATE INDEX "activity_member_days_member_idx" ON "activity_member_days" USING btree ("tenant_id","member_id","day");--> statement-breakpoint
CREATE INDEX "activity_member_periods_member_idx" ON "activity_member_periods" USING btree ("tenant_id","member_id","grain","period");--> statement-breakpoint
CREATE INDEX "activity_rollup_queue_created_idx" ON "activity_rollup_queue" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "saved_reports_created_idx" ON "saved_reports" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "saved_reports_due_idx" ON "saved_reports" USING btree ("tenant_id","next_run_at");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "activity_active_counts" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("activity_active_counts"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("activity_active_counts"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "activity_cohort_counts" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("activity_cohort_counts"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("activity_cohort_counts"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "activity_daily_counts" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("activity_daily_counts"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("activity_daily_counts"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "activity_events" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("activity_events"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("activity_events"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "activity_ingest_keys" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("activity_ingest_keys"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("activity_ingest_keys"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "activity_member_day_types" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("activity_member_day_types"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("activity_member_day_types"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "activity_member_days" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("activity_member_days"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("activity_member_days"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "activity_member_periods" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("activity_member_periods"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("activity_member_periods"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "activity_rollup_queue" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("activity_rollup_queue"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("activity_rollup_queue"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "rollup_worker" ON "activity_rollup_queue" AS PERMISSIVE FOR ALL TO "memberkit_platform" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "membership_daily" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("membership_daily"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("membership_daily"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "saved_reports" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("saved_reports"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("saved_reports"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "report_scheduler" ON "saved_reports" AS PERMISSIVE FOR ALL TO "memberkit_platform" USING (true) WITH CHECK (true);--> statement-breakpoint
-- Custom part (drizzle-kit knows neither partitions, forced RLS nor grants).
-- activity_events is partitioned by month of occurred_at (UTC bounds: storage, not
-- analytics); memberkit_ensure_activity_partitions adds months as ingest needs them.
ALTER TABLE "activity_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "activity_ingest_keys" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "activity_rollup_queue" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "activity_daily_counts" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "activity_member_days" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "activity_member_day_types" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "activity_member_periods" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "activity_active_counts" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "activity_cohort_counts" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "membership_daily" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "saved_reports" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "activity_events", "activity_ingest_keys", "activity_rollup_queue", "activity_daily_counts", "activity_member_days", "activity_member_day_types", "activity_member_periods", "activity_active_counts", "activity_cohort_counts", "membership_daily", "saved_reports" TO memberkit_app;--> statement-breakpoint
GRANT USAGE ON SEQUENCE "activity_rollup_queue_id_seq" TO memberkit_app;--> statement-breakpoint
REVOKE ALL ON "activity_events", "activity_ingest_keys", "activity_daily_counts", "activity_member_days", "activity_member_day_types", "activity_member_periods", "activity_active_counts", "activity_cohort_counts", "membership_daily" FROM memberkit_platform;--> statement-breakpoint
-- The rollup worker and the report scheduler claim work of every tenant as the platform role.
REVOKE ALL ON "activity_rollup_queue", "saved_reports" FROM memberkit_platform;--> statement-breakpoint
GRANT SELECT, DELETE ON "activity_rollup_queue" TO memberkit_platform;--> statement-breakpoint
GRANT SELECT, UPDATE ON "saved_reports" TO memberkit_platform;--> statement-breakpoint
CREATE OR REPLACE FUNCTION memberkit_ensure_activity_partitions(p_from timestamptz, p_to timestamptz) RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
  v_month timestamptz := date_trunc('month', p_from AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  v_name text;
  v_created integer := 0;
BEGIN
  IF p_to < p_from OR p_to - p_from > interval '40 months' THEN
    RAISE EXCEPTION 'activity partitions: range % to % refused', p_from, p_to USING ERRCODE = 'invalid_parameter_value';
  END IF;
  WHILE v_month <= p_to LOOP
    v_name := 'activity_events_' || to_char(v_month AT TIME ZONE 'UTC', 'YYYYMM');
    IF to_regclass('public.' || v_name) IS NULL THEN
      -- Two ingests needing the same new month: one creates it, the other finds it.
      PERFORM pg_advisory_xact_lock(hashtext('memberkit_activity_partitions'));
      IF to_regclass('public.' || v_name) IS NULL THEN
        EXECUTE format('CREATE TABLE public.%I PARTITION OF public.activity_events FOR VALUES FROM (%L) TO (%L)',
          v_name, v_month, v_month + interval '1 month');
        -- Reached through the parent, the parent's policy applies; reached directly, this one does.
        EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', v_name);
        EXECUTE format('ALTER TABLE public.%I FORCE ROW LEVEL SECURITY', v_name);
        EXECUTE format('CREATE POLICY tenant_isolation ON public.%I AS PERMISSIVE FOR ALL TO memberkit_app '
          'USING (tenant_id = current_setting(''app.tenant_id'')) WITH CHECK (tenant_id = current_setting(''app.tenant_id''))', v_name);
        EXECUTE format('REVOKE ALL ON public.%I FROM memberkit_platform', v_name);
        v_created := v_created + 1;
      END IF;
    END IF;
    v_month := v_month + interval '1 month';
  END LOOP;
  RETURN v_created;
END
$$;--> statement-breakpoint
-- Drops whole months that every tenant's retention has passed (rows of shorter
-- retentions are deleted tenant by tenant before). Returns the partitions dropped.
CREATE OR REPLACE FUNCTION memberkit_drop_activity_partitions_before(p_before timestamptz) RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, public
AS $$
DECLARE
  v_part record;
  v_dropped integer := 0;
BEGIN
  FOR v_part IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'public.activity_events'::regclass AND c.relname ~ '^activity_events_[0-9]{6}$'
  LOOP
    IF to_timestamp(substr(v_part.relname, 17), 'YYYYMM') AT TIME ZONE 'UTC' + interval '1 month'
       <= p_before AT TIME ZONE 'UTC' THEN
      EXECUTE format('DROP TABLE public.%I', v_part.relname);
      v_dropped := v_dropped + 1;
    END IF;
  END LOOP;
  RETURN v_dropped;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION memberkit_ensure_activity_partitions(timestamptz, timestamptz) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION memberkit_ensure_activity_partitions(timestamptz, timestamptz) TO memberkit_app, memberkit_platform;--> statement-breakpoint
REVOKE ALL ON FUNCTION memberkit_drop_activity_partitions_before(timestamptz) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION memberkit_drop_activity_partitions_before(timestamptz) TO memberkit_platform;--> statement-breakpoint
SELECT memberkit_ensure_activity_partitions(now() - interval '1 month', now() + interval '2 months');--> statement-breakpoint
-- Existing members: how they came, from their creation event (imports and sign-ups
-- are told apart by it; the rest were created by staff or keys, not recorded apart
-- before: staff). The tier they joined with: the first tier change's old tier, or the current one.
UPDATE "members" m SET "source" = CASE
    WHEN EXISTS (SELECT 1 FROM "member_events" e WHERE e.tenant_id = m.tenant_id AND e.member_id = m.id AND e.type = 'imported') THEN 'import'
    WHEN EXISTS (SELECT 1 FROM "member_events" e WHERE e.tenant_id = m.tenant_id AND e.member_id = m.id AND e.type = 'created' AND e.actor_type = 'member') THEN 'signup'
    WHEN EXISTS (SELECT 1 FROM "member_events" e WHERE e.tenant_id = m.tenant_id AND e.member_id = m.id AND e.type = 'created' AND e.actor_type = 'api_key') THEN 'api'
    ELSE 'staff' END,
  "join_tier_id" = COALESCE((SELECT e.from_value FROM "member_events" e WHERE e.tenant_id = m.tenant_id AND e.member_id = m.id
    AND e.type = 'tier_changed' ORDER BY e.occurred_at LIMIT 1), m.tier_id);--> statement-breakpoint
-- The growth rollup of existing members, from their present state: each joined on its
-- creation day in its present status (earlier status changes were not dated per tier).
INSERT INTO "membership_daily" ("tenant_id", "day", "tier_key", "source", "joined", "pending", "active", "inactive", "suspended", "deleted")
SELECT m.tenant_id, (m.created_at AT TIME ZONE t.time_zone)::date, COALESCE(m.tier_id, ''), m.source, count(*),
  count(*) FILTER (WHERE m.deleted_at IS NULL AND m.status = 'pending'),
  count(*) FILTER (WHERE m.deleted_at IS NULL AND m.status = 'active'),
  count(*) FILTER (WHERE m.deleted_at IS NULL AND m.status = 'inactive'),
  count(*) FILTER (WHERE m.deleted_at IS NULL AND m.status = 'suspended'),
  count(*) FILTER (WHERE m.deleted_at IS NOT NULL)
FROM "members" m JOIN "tenants" t ON t.id = m.tenant_id
GROUP BY 1, 2, 3, 4;