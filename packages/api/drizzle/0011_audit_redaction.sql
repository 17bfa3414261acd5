ALTER TABLE "audit_log" ADD COLUMN "hash_version" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "diff_commitment" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "diff_salt" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "ip_commitment" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "ip_salt" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "redacted_at" timestamp with time zone;--> statement-breakpoint
CREATE POLICY "members_redactor_read" ON "members" AS PERMISSIVE FOR SELECT TO "memberkit_redactor" USING ("members"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "invites_redactor_read" ON "invites" AS PERMISSIVE FOR SELECT TO "memberkit_redactor" USING ("invites"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "audit_log_redactor_read" ON "audit_log" AS PERMISSIVE FOR SELECT TO "memberkit_redactor" USING ("audit_log"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "audit_log_redactor_update" ON "audit_log" AS PERMISSIVE FOR UPDATE TO "memberkit_redactor" USING ("audit_log"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("audit_log"."tenant_id" = current_setting('app.tenant_id'));