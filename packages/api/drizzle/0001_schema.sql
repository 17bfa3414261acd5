CREATE TABLE "tenants" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"branding" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"default_locale" text DEFAULT 'en' NOT NULL,
	"locales" text[] DEFAULT '{en}'::text[] NOT NULL,
	"allowed_origins" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_slug_format" CHECK ("tenants"."slug" ~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$')
);
--> statement-breakpoint
ALTER TABLE "tenants" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "api_keys" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"kind" text NOT NULL,
	"role" text,
	"name" text,
	"secret_hash" text NOT NULL,
	"last4" text NOT NULL,
	"allowed_origins" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "api_keys_role_by_kind" CHECK (("api_keys"."kind" = 'secret') = ("api_keys"."role" is not null))
);
--> statement-breakpoint
ALTER TABLE "api_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tiers" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"features" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"price_amount" integer DEFAULT 0 NOT NULL,
	"currency" text DEFAULT 'eur' NOT NULL,
	"interval" text NOT NULL,
	"capacity" integer,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tiers_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "tiers_price_nonnegative" CHECK ("tiers"."price_amount" >= 0),
	CONSTRAINT "tiers_capacity_positive" CHECK ("tiers"."capacity" is null or "tiers"."capacity" > 0)
);
--> statement-breakpoint
ALTER TABLE "tiers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "members" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"email" text NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"tier_id" text,
	"custom_fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"last_active_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "members_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "members" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"tenant_id" text NOT NULL,
	"key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"response_status" integer,
	"response_body" text,
	"response_headers" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY("tenant_id","key")
);
--> statement-breakpoint
ALTER TABLE "idempotency_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "platform_idempotency_keys" (
	"key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"response_status" integer,
	"response_body" text,
	"response_headers" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "platform_idempotency_keys_pkey" PRIMARY KEY("key")
);
--> statement-breakpoint
ALTER TABLE "platform_idempotency_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tiers" ADD CONSTRAINT "tiers_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_tier_fk" FOREIGN KEY ("tenant_id","tier_id") REFERENCES "public"."tiers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "tenants_slug_key" ON "tenants" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "tenants_created_at_id_idx" ON "tenants" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "tiers_tenant_sort_idx" ON "tiers" USING btree ("tenant_id","sort_order","id");--> statement-breakpoint
CREATE UNIQUE INDEX "members_tenant_email_key" ON "members" USING btree ("tenant_id",lower("email"));--> statement-breakpoint
CREATE INDEX "members_tenant_created_idx" ON "members" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "members_tenant_status_idx" ON "members" USING btree ("tenant_id","status","created_at","id");--> statement-breakpoint
CREATE POLICY "tenant_self" ON "tenants" AS PERMISSIVE FOR SELECT TO "memberkit_app" USING ("tenants"."id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_self_update" ON "tenants" AS PERMISSIVE FOR UPDATE TO "memberkit_app" USING ("tenants"."id" = current_setting('app.tenant_id')) WITH CHECK ("tenants"."id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "platform_all" ON "tenants" AS PERMISSIVE FOR ALL TO "memberkit_platform" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "api_keys" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("api_keys"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("api_keys"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "tiers" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("tiers"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("tiers"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "members" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("members"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("members"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "idempotency_keys" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("idempotency_keys"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("idempotency_keys"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "platform_all" ON "platform_idempotency_keys" AS PERMISSIVE FOR ALL TO "memberkit_platform" USING (true) WITH CHECK (true);