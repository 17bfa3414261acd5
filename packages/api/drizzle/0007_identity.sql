CREATE TABLE "member_credentials" (
	"tenant_id" text NOT NULL,
	"member_id" text NOT NULL,
	"password_hash" text,
	"password_updated_at" timestamp with time zone,
	"email_verified_at" timestamp with time zone,
	"locale" text,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"failed_window_start" timestamp with time zone,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "member_credentials_pkey" PRIMARY KEY("tenant_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "member_credentials" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "oidc_identities" (
	"tenant_id" text NOT NULL,
	"provider_id" text NOT NULL,
	"subject" text NOT NULL,
	"member_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "oidc_identities_pkey" PRIMARY KEY("tenant_id","provider_id","subject")
);
--> statement-breakpoint
ALTER TABLE "oidc_identities" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "oidc_providers" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"issuer" text NOT NULL,
	"client_id" text NOT NULL,
	"client_secret_sealed" text,
	"scopes" text[] DEFAULT '{openid,email,profile}'::text[] NOT NULL,
	"auto_create_members" boolean DEFAULT true NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "oidc_providers_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "oidc_providers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "one_time_tokens" (
	"tenant_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"purpose" text NOT NULL,
	"subject_id" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "one_time_tokens_pkey" PRIMARY KEY("tenant_id","token_hash")
);
--> statement-breakpoint
ALTER TABLE "one_time_tokens" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "refresh_token_uses" (
	"tenant_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"session_id" text NOT NULL,
	"used_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refresh_token_uses_pkey" PRIMARY KEY("tenant_id","token_hash")
);
--> statement-breakpoint
ALTER TABLE "refresh_token_uses" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "sessions" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"refresh_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	"user_agent" text,
	"ip" text,
	CONSTRAINT "sessions_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "sessions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"tenant_id" text NOT NULL,
	"kid" text NOT NULL,
	"alg" text DEFAULT 'ES256' NOT NULL,
	"public_jwk" jsonb NOT NULL,
	"private_jwk_sealed" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "signing_keys_pkey" PRIMARY KEY("tenant_id","kid")
);
--> statement-breakpoint
ALTER TABLE "signing_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "staff_users" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"password_hash" text,
	"status" text DEFAULT 'invited' NOT NULL,
	"failed_logins" integer DEFAULT 0 NOT NULL,
	"failed_window_start" timestamp with time zone,
	"locked_until" timestamp with time zone,
	"last_login_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_users_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "staff_users" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "auth_settings" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "member_credentials" ADD CONSTRAINT "member_credentials_member_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oidc_identities" ADD CONSTRAINT "oidc_identities_member_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oidc_identities" ADD CONSTRAINT "oidc_identities_provider_fk" FOREIGN KEY ("tenant_id","provider_id") REFERENCES "public"."oidc_providers"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oidc_providers" ADD CONSTRAINT "oidc_providers_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "one_time_tokens" ADD CONSTRAINT "one_time_tokens_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refresh_token_uses" ADD CONSTRAINT "refresh_token_uses_session_fk" FOREIGN KEY ("tenant_id","session_id") REFERENCES "public"."sessions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signing_keys" ADD CONSTRAINT "signing_keys_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_users" ADD CONSTRAINT "staff_users_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "oidc_identities_member_idx" ON "oidc_identities" USING btree ("tenant_id","member_id");--> statement-breakpoint
CREATE INDEX "one_time_tokens_subject_idx" ON "one_time_tokens" USING btree ("tenant_id","subject_id","purpose");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_refresh_key" ON "sessions" USING btree ("tenant_id","refresh_hash");--> statement-breakpoint
CREATE INDEX "sessions_subject_idx" ON "sessions" USING btree ("tenant_id","subject_type","subject_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_users_email_key" ON "staff_users" USING btree ("tenant_id",lower("email"));--> statement-breakpoint
CREATE POLICY "mail_worker" ON "mail_outbox" AS PERMISSIVE FOR ALL TO "memberkit_platform" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "member_credentials" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("member_credentials"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("member_credentials"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "oidc_identities" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("oidc_identities"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("oidc_identities"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "oidc_providers" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("oidc_providers"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("oidc_providers"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "one_time_tokens" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("one_time_tokens"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("one_time_tokens"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "refresh_token_uses" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("refresh_token_uses"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("refresh_token_uses"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "sessions" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("sessions"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("sessions"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "signing_keys" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("signing_keys"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("signing_keys"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "staff_users" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("staff_users"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("staff_users"."tenant_id" = current_setting('app.tenant_id'));