CREATE TABLE "login_throttles" (
	"tenant_id" text NOT NULL,
	"subject_type" text NOT NULL,
	"account_digest" text NOT NULL,
	"client_digest" text NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"last_failure_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	CONSTRAINT "login_throttles_pkey" PRIMARY KEY("tenant_id","subject_type","account_digest","client_digest")
);
--> statement-breakpoint
ALTER TABLE "login_throttles" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "refresh_token_uses" ADD COLUMN "client_digest" text;--> statement-breakpoint
ALTER TABLE "login_throttles" ADD CONSTRAINT "login_throttles_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_credentials" DROP COLUMN "failed_logins";--> statement-breakpoint
ALTER TABLE "member_credentials" DROP COLUMN "failed_window_start";--> statement-breakpoint
ALTER TABLE "member_credentials" DROP COLUMN "locked_until";--> statement-breakpoint
ALTER TABLE "staff_users" DROP COLUMN "failed_logins";--> statement-breakpoint
ALTER TABLE "staff_users" DROP COLUMN "failed_window_start";--> statement-breakpoint
ALTER TABLE "staff_users" DROP COLUMN "locked_until";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "login_throttles" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("login_throttles"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("login_throttles"."tenant_id" = current_setting('app.tenant_id'));