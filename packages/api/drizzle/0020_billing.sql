CREATE TABLE "billing_checkouts" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"member_id" text NOT NULL,
	"mode" text NOT NULL,
	"stripe_session_id" text,
	"tier_price_id" text,
	"status" text DEFAULT 'open' NOT NULL,
	"url" text,
	"expires_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_checkouts_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "billing_checkouts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing_customers" (
	"tenant_id" text NOT NULL,
	"member_id" text NOT NULL,
	"stripe_customer_id" text NOT NULL,
	"default_payment_method_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_customers_pkey" PRIMARY KEY("tenant_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "billing_customers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing_payments" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"member_id" text NOT NULL,
	"outcome" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"failure_message" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"stripe_event_id" text NOT NULL,
	CONSTRAINT "billing_payments_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "billing_payments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing_previews" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"member_id" text NOT NULL,
	"subscription_id" text NOT NULL,
	"tier_price_id" text NOT NULL,
	"proration_date" timestamp with time zone NOT NULL,
	"amount_due" bigint NOT NULL,
	"currency" text NOT NULL,
	"lines" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_previews_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "billing_previews" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing_refunds" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"member_id" text NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"reason" text,
	"status" text NOT NULL,
	"stripe_created_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_refunds_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "billing_refunds_amount_positive" CHECK ("billing_refunds"."amount" > 0)
);
--> statement-breakpoint
ALTER TABLE "billing_refunds" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "invoices" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"member_id" text NOT NULL,
	"subscription_id" text,
	"status" text NOT NULL,
	"number" text,
	"billing_reason" text,
	"currency" text NOT NULL,
	"subtotal" bigint DEFAULT 0 NOT NULL,
	"tax" bigint DEFAULT 0 NOT NULL,
	"total" bigint DEFAULT 0 NOT NULL,
	"amount_due" bigint DEFAULT 0 NOT NULL,
	"amount_paid" bigint DEFAULT 0 NOT NULL,
	"amount_refunded" bigint DEFAULT 0 NOT NULL,
	"attempt_count" integer DEFAULT 0 NOT NULL,
	"period_start" timestamp with time zone,
	"period_end" timestamp with time zone,
	"hosted_invoice_url" text,
	"invoice_pdf" text,
	"lines" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"paid_at" timestamp with time zone,
	"next_payment_attempt_at" timestamp with time zone,
	"stripe_created_at" timestamp with time zone NOT NULL,
	"stripe_synced_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoices_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "invoices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "metered_features" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"unit_label" text,
	"event_name" text NOT NULL,
	"stripe_meter_id" text,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metered_features_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "metered_features" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "stripe_events" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"type" text NOT NULL,
	"object_id" text,
	"stripe_created_at" timestamp with time zone NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	CONSTRAINT "stripe_events_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "stripe_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "subscription_changes" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"subscription_id" text NOT NULL,
	"member_id" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"status_before" text,
	"status_after" text NOT NULL,
	"tier_before" text,
	"tier_after" text NOT NULL,
	"amount_before" bigint DEFAULT 0 NOT NULL,
	"interval_months_before" integer DEFAULT 1 NOT NULL,
	"amount_after" bigint DEFAULT 0 NOT NULL,
	"interval_months_after" integer DEFAULT 1 NOT NULL,
	"currency" text NOT NULL,
	"cause" text NOT NULL,
	CONSTRAINT "subscription_changes_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "subscription_changes_interval" CHECK ("subscription_changes"."interval_months_before" in (1, 12) and "subscription_changes"."interval_months_after" in (1, 12))
);
--> statement-breakpoint
ALTER TABLE "subscription_changes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"member_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"tier_id" text NOT NULL,
	"tier_price_id" text,
	"stripe_subscription_id" text,
	"stripe_customer_id" text,
	"stripe_price_id" text,
	"interval" text,
	"unit_amount" integer DEFAULT 0 NOT NULL,
	"quantity" integer DEFAULT 1 NOT NULL,
	"currency" text NOT NULL,
	"current_period_start" timestamp with time zone,
	"current_period_end" timestamp with time zone,
	"trial_start" timestamp with time zone,
	"trial_end" timestamp with time zone,
	"cancel_at_period_end" boolean DEFAULT false NOT NULL,
	"cancel_at" timestamp with time zone,
	"canceled_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"cancellation_reason" text,
	"cancellation_comment" text,
	"past_due_since" timestamp with time zone,
	"grace_lapsed_at" timestamp with time zone,
	"comp_ends_at" timestamp with time zone,
	"default_payment_method_id" text,
	"latest_invoice_id" text,
	"stripe_synced_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscriptions_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "subscriptions_stripe_has_id" CHECK ("subscriptions"."kind" <> 'stripe' or "subscriptions"."stripe_subscription_id" is not null),
	CONSTRAINT "subscriptions_amount_nonnegative" CHECK ("subscriptions"."unit_amount" >= 0 and "subscriptions"."quantity" >= 0)
);
--> statement-breakpoint
ALTER TABLE "subscriptions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tenant_billing" (
	"tenant_id" text NOT NULL,
	"mode" text NOT NULL,
	"stripe_account_id" text,
	"sealed_secret_key" text,
	"secret_key_hint" text,
	"webhook_endpoint_id" text,
	"sealed_webhook_secret" text,
	"currency" text DEFAULT 'eur' NOT NULL,
	"automatic_tax" boolean DEFAULT false NOT NULL,
	"tax_behavior" text DEFAULT 'exclusive' NOT NULL,
	"grace_period_days" integer DEFAULT 7 NOT NULL,
	"lapse_tier_id" text,
	"allow_cancel_now" boolean DEFAULT false NOT NULL,
	"allow_promotion_codes" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenant_billing_pkey" PRIMARY KEY("tenant_id"),
	CONSTRAINT "tenant_billing_grace_range" CHECK ("tenant_billing"."grace_period_days" between 0 and 90),
	CONSTRAINT "tenant_billing_direct_key" CHECK ("tenant_billing"."mode" <> 'direct' or ("tenant_billing"."sealed_secret_key" is not null and "tenant_billing"."secret_key_hint" is not null))
);
--> statement-breakpoint
ALTER TABLE "tenant_billing" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tier_metered_prices" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"tier_id" text NOT NULL,
	"feature_id" text NOT NULL,
	"interval" text NOT NULL,
	"included_units" integer DEFAULT 0 NOT NULL,
	"steps" jsonb NOT NULL,
	"currency" text NOT NULL,
	"stripe_price_id" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tier_metered_prices_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "tier_metered_prices_included" CHECK ("tier_metered_prices"."included_units" >= 0)
);
--> statement-breakpoint
ALTER TABLE "tier_metered_prices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tier_prices" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"tier_id" text NOT NULL,
	"interval" text NOT NULL,
	"amount" integer NOT NULL,
	"currency" text NOT NULL,
	"stripe_product_id" text,
	"stripe_price_id" text,
	"active" boolean DEFAULT true NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tier_prices_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "tier_prices_amount_positive" CHECK ("tier_prices"."amount" > 0)
);
--> statement-breakpoint
ALTER TABLE "tier_prices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "usage_records" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"member_id" text NOT NULL,
	"feature_id" text NOT NULL,
	"identifier" text NOT NULL,
	"quantity" integer NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"forward_status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"forwarded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_records_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "usage_records_quantity_positive" CHECK ("usage_records"."quantity" > 0)
);
--> statement-breakpoint
ALTER TABLE "usage_records" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "stripe_connect_account_id" text;--> statement-breakpoint
ALTER TABLE "tiers" ADD COLUMN "trial_days" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tiers" ADD COLUMN "stripe_product_id" text;--> statement-breakpoint
ALTER TABLE "billing_checkouts" ADD CONSTRAINT "billing_checkouts_member_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_customers" ADD CONSTRAINT "billing_customers_member_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_previews" ADD CONSTRAINT "billing_previews_member_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_member_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_member_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_tier_fk" FOREIGN KEY ("tenant_id","tier_id") REFERENCES "public"."tiers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_billing" ADD CONSTRAINT "tenant_billing_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_billing" ADD CONSTRAINT "tenant_billing_lapse_tier_fk" FOREIGN KEY ("tenant_id","lapse_tier_id") REFERENCES "public"."tiers"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tier_metered_prices" ADD CONSTRAINT "tier_metered_prices_tier_fk" FOREIGN KEY ("tenant_id","tier_id") REFERENCES "public"."tiers"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tier_metered_prices" ADD CONSTRAINT "tier_metered_prices_feature_fk" FOREIGN KEY ("tenant_id","feature_id") REFERENCES "public"."metered_features"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tier_prices" ADD CONSTRAINT "tier_prices_tier_fk" FOREIGN KEY ("tenant_id","tier_id") REFERENCES "public"."tiers"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_records" ADD CONSTRAINT "usage_records_member_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_records" ADD CONSTRAINT "usage_records_feature_fk" FOREIGN KEY ("tenant_id","feature_id") REFERENCES "public"."metered_features"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "billing_checkouts_stripe_key" ON "billing_checkouts" USING btree ("tenant_id","stripe_session_id");--> statement-breakpoint
CREATE INDEX "billing_checkouts_member_idx" ON "billing_checkouts" USING btree ("tenant_id","member_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_customers_stripe_key" ON "billing_customers" USING btree ("tenant_id","stripe_customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_payments_event_key" ON "billing_payments" USING btree ("tenant_id","stripe_event_id");--> statement-breakpoint
CREATE INDEX "billing_payments_invoice_idx" ON "billing_payments" USING btree ("tenant_id","invoice_id","occurred_at");--> statement-breakpoint
CREATE INDEX "billing_payments_time_idx" ON "billing_payments" USING btree ("tenant_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "billing_refunds_invoice_idx" ON "billing_refunds" USING btree ("tenant_id","invoice_id");--> statement-breakpoint
CREATE INDEX "billing_refunds_time_idx" ON "billing_refunds" USING btree ("tenant_id","stripe_created_at","id");--> statement-breakpoint
CREATE INDEX "invoices_member_idx" ON "invoices" USING btree ("tenant_id","member_id","stripe_created_at","id");--> statement-breakpoint
CREATE INDEX "invoices_time_idx" ON "invoices" USING btree ("tenant_id","stripe_created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "metered_features_key" ON "metered_features" USING btree ("tenant_id","key");--> statement-breakpoint
CREATE INDEX "stripe_events_pending_idx" ON "stripe_events" USING btree ("tenant_id","next_attempt_at") WHERE "stripe_events"."processed_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "subscription_changes_cause_key" ON "subscription_changes" USING btree ("tenant_id","subscription_id","cause");--> statement-breakpoint
CREATE INDEX "subscription_changes_time_idx" ON "subscription_changes" USING btree ("tenant_id","occurred_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_stripe_key" ON "subscriptions" USING btree ("tenant_id","stripe_subscription_id");--> statement-breakpoint
CREATE INDEX "subscriptions_member_idx" ON "subscriptions" USING btree ("tenant_id","member_id","created_at");--> statement-breakpoint
CREATE INDEX "subscriptions_status_idx" ON "subscriptions" USING btree ("tenant_id","status","id");--> statement-breakpoint
CREATE INDEX "subscriptions_tier_idx" ON "subscriptions" USING btree ("tenant_id","tier_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "tier_metered_prices_active_key" ON "tier_metered_prices" USING btree ("tenant_id","tier_id","feature_id","interval") WHERE "tier_metered_prices"."active";--> statement-breakpoint
CREATE UNIQUE INDEX "tier_prices_active_key" ON "tier_prices" USING btree ("tenant_id","tier_id","interval") WHERE "tier_prices"."active";--> statement-breakpoint
CREATE UNIQUE INDEX "tier_prices_stripe_key" ON "tier_prices" USING btree ("tenant_id","stripe_price_id");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_records_identifier_key" ON "usage_records" USING btree ("tenant_id","identifier");--> statement-breakpoint
CREATE INDEX "usage_records_member_idx" ON "usage_records" USING btree ("tenant_id","member_id","feature_id","occurred_at");--> statement-breakpoint
CREATE INDEX "usage_records_pending_idx" ON "usage_records" USING btree ("tenant_id","next_attempt_at") WHERE "usage_records"."forward_status" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "tenants_stripe_connect_account_key" ON "tenants" USING btree ("stripe_connect_account_id") WHERE "tenants"."stripe_connect_account_id" is not null;--> statement-breakpoint
ALTER TABLE "tiers" ADD CONSTRAINT "tiers_trial_days_range" CHECK ("tiers"."trial_days" between 0 and 730);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing_checkouts" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("billing_checkouts"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("billing_checkouts"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing_customers" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("billing_customers"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("billing_customers"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing_payments" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("billing_payments"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("billing_payments"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing_previews" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("billing_previews"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("billing_previews"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing_refunds" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("billing_refunds"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("billing_refunds"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "invoices" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("invoices"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("invoices"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "metered_features" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("metered_features"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("metered_features"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "stripe_events" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("stripe_events"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("stripe_events"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "billing_worker" ON "stripe_events" AS PERMISSIVE FOR ALL TO "memberkit_platform" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "subscription_changes" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("subscription_changes"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("subscription_changes"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "subscriptions" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("subscriptions"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("subscriptions"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "billing_worker_read" ON "subscriptions" AS PERMISSIVE FOR SELECT TO "memberkit_platform" USING (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "tenant_billing" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("tenant_billing"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("tenant_billing"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "billing_worker_read" ON "tenant_billing" AS PERMISSIVE FOR SELECT TO "memberkit_platform" USING (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "tier_metered_prices" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("tier_metered_prices"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("tier_metered_prices"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "tier_prices" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("tier_prices"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("tier_prices"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "usage_records" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("usage_records"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("usage_records"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "usage_forwarder" ON "usage_records" AS PERMISSIVE FOR ALL TO "memberkit_platform" USING (true) WITH CHECK (true);--> statement-breakpoint
-- Custom part (drizzle-kit knows neither forced RLS nor grants).
ALTER TABLE "tenant_billing" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tier_prices" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "billing_customers" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "billing_checkouts" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "subscriptions" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "subscription_changes" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "invoices" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "billing_payments" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "billing_refunds" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "billing_previews" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "metered_features" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tier_metered_prices" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "usage_records" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "stripe_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "tenant_billing", "tier_prices", "billing_customers", "billing_checkouts", "subscriptions", "subscription_changes", "invoices", "billing_payments", "billing_refunds", "billing_previews", "metered_features", "tier_metered_prices", "usage_records", "stripe_events" TO memberkit_app;--> statement-breakpoint
-- Background jobs (webhook inbox, usage forwarder, reconciliation, grace periods) claim work of every tenant as the platform role.
REVOKE ALL ON "tenant_billing", "tier_prices", "billing_customers", "billing_checkouts", "subscriptions", "subscription_changes", "invoices", "billing_payments", "billing_refunds", "billing_previews", "metered_features", "tier_metered_prices", "usage_records", "stripe_events" FROM memberkit_platform;--> statement-breakpoint
GRANT SELECT ON "tenant_billing", "subscriptions" TO memberkit_platform;--> statement-breakpoint
GRANT SELECT, UPDATE ON "usage_records", "stripe_events" TO memberkit_platform;
