CREATE TABLE "realtime_events" (
	"tenant_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"topic" text NOT NULL,
	"type" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "realtime_events_pkey" PRIMARY KEY("tenant_id","seq")
);
--> statement-breakpoint
ALTER TABLE "realtime_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "realtime_sequences" (
	"tenant_id" text NOT NULL,
	"epoch" text NOT NULL,
	"last_seq" bigint DEFAULT 0 NOT NULL,
	"pruned_through" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "realtime_sequences_pkey" PRIMARY KEY("tenant_id")
);
--> statement-breakpoint
ALTER TABLE "realtime_sequences" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "realtime_tickets" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"secret_hash" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"session_id" text,
	"origin" text,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "realtime_tickets_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "realtime_tickets" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "community_settings" (
	"tenant_id" text NOT NULL,
	"presence_visibility" text DEFAULT 'staff' NOT NULL,
	"member_posts" boolean DEFAULT false NOT NULL,
	"member_comments" boolean DEFAULT true NOT NULL,
	"reactions" boolean DEFAULT true NOT NULL,
	"member_messaging" boolean DEFAULT false NOT NULL,
	"support_inbox" boolean DEFAULT true NOT NULL,
	"message_rate_per_minute" integer DEFAULT 30 NOT NULL,
	"post_rate_per_hour" integer DEFAULT 20 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "community_settings_pkey" PRIMARY KEY("tenant_id"),
	CONSTRAINT "community_settings_message_rate" CHECK ("community_settings"."message_rate_per_minute" between 1 and 600),
	CONSTRAINT "community_settings_post_rate" CHECK ("community_settings"."post_rate_per_hour" between 1 and 600)
);
--> statement-breakpoint
ALTER TABLE "community_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "member_blocks" (
	"tenant_id" text NOT NULL,
	"member_id" text NOT NULL,
	"blocked_member_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "member_blocks_pkey" PRIMARY KEY("tenant_id","member_id","blocked_member_id"),
	CONSTRAINT "member_blocks_not_self" CHECK ("member_blocks"."member_id" <> "member_blocks"."blocked_member_id")
);
--> statement-breakpoint
ALTER TABLE "member_blocks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "member_community_prefs" (
	"tenant_id" text NOT NULL,
	"member_id" text NOT NULL,
	"share_milestones" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "member_community_prefs_pkey" PRIMARY KEY("tenant_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "member_community_prefs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "member_presence" (
	"tenant_id" text NOT NULL,
	"member_id" text NOT NULL,
	"status" text NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "member_presence_pkey" PRIMARY KEY("tenant_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "member_presence" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "notification_batches" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"audience" jsonb NOT NULL,
	"type" text NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"url" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"total" integer,
	"delivered" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"cursor" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"created_by_type" text NOT NULL,
	"created_by_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	CONSTRAINT "notification_batches_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "notification_batches" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "notification_preferences" (
	"tenant_id" text NOT NULL,
	"member_id" text NOT NULL,
	"type" text NOT NULL,
	"in_app" boolean DEFAULT true NOT NULL,
	"email_digest" text DEFAULT 'off' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_preferences_pkey" PRIMARY KEY("tenant_id","member_id","type")
);
--> statement-breakpoint
ALTER TABLE "notification_preferences" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "notifications" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"member_id" text NOT NULL,
	"type" text NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"url" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"batch_id" text,
	"read_at" timestamp with time zone,
	"digested_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "notifications" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "content_reports" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text NOT NULL,
	"reporter_member_id" text NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"resolved_by_staff_id" text,
	"resolution" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "content_reports_pkey" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "content_reports_reason_length" CHECK (char_length("content_reports"."reason") between 1 and 1000)
);
--> statement-breakpoint
ALTER TABLE "content_reports" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "feed_comments" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"post_id" text NOT NULL,
	"author_type" text NOT NULL,
	"author_id" text NOT NULL,
	"body" text NOT NULL,
	"hidden_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "feed_comments_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "feed_comments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "feed_posts" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"kind" text NOT NULL,
	"author_type" text NOT NULL,
	"author_id" text NOT NULL,
	"title" text,
	"body" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"audience_tier_ids" text[],
	"pinned" boolean DEFAULT false NOT NULL,
	"locked" boolean DEFAULT false NOT NULL,
	"hidden_at" timestamp with time zone,
	"publish_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"comment_count" integer DEFAULT 0 NOT NULL,
	"reaction_counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "feed_posts_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "feed_posts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "feed_reactions" (
	"tenant_id" text NOT NULL,
	"post_id" text NOT NULL,
	"actor_type" text NOT NULL,
	"actor_id" text NOT NULL,
	"reaction" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feed_reactions_pkey" PRIMARY KEY("tenant_id","post_id","actor_type","actor_id","reaction")
);
--> statement-breakpoint
ALTER TABLE "feed_reactions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "conversation_participants" (
	"tenant_id" text NOT NULL,
	"conversation_id" text NOT NULL,
	"participant_type" text NOT NULL,
	"participant_id" text NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"last_read_message_id" text,
	"last_read_at" timestamp with time zone,
	"unread_count" integer DEFAULT 0 NOT NULL,
	"muted" boolean DEFAULT false NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	"left_at" timestamp with time zone,
	CONSTRAINT "conversation_participants_pkey" PRIMARY KEY("tenant_id","conversation_id","participant_type","participant_id")
);
--> statement-breakpoint
ALTER TABLE "conversation_participants" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "conversations" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"kind" text NOT NULL,
	"title" text,
	"direct_key" text,
	"status" text DEFAULT 'open' NOT NULL,
	"assigned_staff_id" text,
	"locked" boolean DEFAULT false NOT NULL,
	"created_by_type" text NOT NULL,
	"created_by_id" text NOT NULL,
	"last_message_at" timestamp with time zone,
	"last_message_preview" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversations_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "conversations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "messages" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"conversation_id" text NOT NULL,
	"sender_type" text NOT NULL,
	"sender_id" text NOT NULL,
	"body" text NOT NULL,
	"client_id" text,
	"edited_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"deleted_by_type" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "messages_pkey" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "messages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "realtime_events" ADD CONSTRAINT "realtime_events_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "realtime_sequences" ADD CONSTRAINT "realtime_sequences_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "community_settings" ADD CONSTRAINT "community_settings_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_blocks" ADD CONSTRAINT "member_blocks_member_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_blocks" ADD CONSTRAINT "member_blocks_blocked_fk" FOREIGN KEY ("tenant_id","blocked_member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_community_prefs" ADD CONSTRAINT "member_community_prefs_member_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_presence" ADD CONSTRAINT "member_presence_member_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_batches" ADD CONSTRAINT "notification_batches_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_member_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_member_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feed_comments" ADD CONSTRAINT "feed_comments_post_fk" FOREIGN KEY ("tenant_id","post_id") REFERENCES "public"."feed_posts"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feed_posts" ADD CONSTRAINT "feed_posts_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feed_reactions" ADD CONSTRAINT "feed_reactions_post_fk" FOREIGN KEY ("tenant_id","post_id") REFERENCES "public"."feed_posts"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_participants" ADD CONSTRAINT "conversation_participants_conversation_fk" FOREIGN KEY ("tenant_id","conversation_id") REFERENCES "public"."conversations"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_fk" FOREIGN KEY ("tenant_id","conversation_id") REFERENCES "public"."conversations"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "realtime_events_created_idx" ON "realtime_events" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "realtime_tickets_secret_key" ON "realtime_tickets" USING btree ("tenant_id","secret_hash");--> statement-breakpoint
CREATE INDEX "realtime_tickets_expires_idx" ON "realtime_tickets" USING btree ("tenant_id","expires_at");--> statement-breakpoint
CREATE INDEX "member_blocks_blocked_idx" ON "member_blocks" USING btree ("tenant_id","blocked_member_id");--> statement-breakpoint
CREATE INDEX "member_presence_seen_idx" ON "member_presence" USING btree ("tenant_id","last_seen_at");--> statement-breakpoint
CREATE INDEX "notification_batches_pending_idx" ON "notification_batches" USING btree ("tenant_id","next_attempt_at") WHERE "notification_batches"."status" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "notification_batches_created_idx" ON "notification_batches" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "notification_preferences_digest_idx" ON "notification_preferences" USING btree ("tenant_id","email_digest");--> statement-breakpoint
CREATE INDEX "notifications_member_idx" ON "notifications" USING btree ("tenant_id","member_id","created_at","id");--> statement-breakpoint
CREATE INDEX "notifications_unread_idx" ON "notifications" USING btree ("tenant_id","member_id") WHERE "notifications"."read_at" is null;--> statement-breakpoint
CREATE INDEX "notifications_batch_idx" ON "notifications" USING btree ("tenant_id","batch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "content_reports_one_open_key" ON "content_reports" USING btree ("tenant_id","target_type","target_id","reporter_member_id") WHERE "content_reports"."status" = 'open';--> statement-breakpoint
CREATE INDEX "content_reports_status_idx" ON "content_reports" USING btree ("tenant_id","status","created_at");--> statement-breakpoint
CREATE INDEX "feed_comments_post_idx" ON "feed_comments" USING btree ("tenant_id","post_id","created_at","id");--> statement-breakpoint
CREATE INDEX "feed_posts_timeline_idx" ON "feed_posts" USING btree ("tenant_id","publish_at","id");--> statement-breakpoint
CREATE INDEX "feed_posts_author_idx" ON "feed_posts" USING btree ("tenant_id","author_type","author_id","created_at");--> statement-breakpoint
CREATE INDEX "feed_posts_scheduled_idx" ON "feed_posts" USING btree ("tenant_id","publish_at") WHERE "feed_posts"."published_at" is null and "feed_posts"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "conversation_participants_inbox_idx" ON "conversation_participants" USING btree ("tenant_id","participant_type","participant_id","conversation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_direct_key" ON "conversations" USING btree ("tenant_id","direct_key") WHERE "conversations"."direct_key" is not null;--> statement-breakpoint
CREATE INDEX "conversations_inbox_idx" ON "conversations" USING btree ("tenant_id","kind","status","last_message_at");--> statement-breakpoint
CREATE INDEX "conversations_assigned_idx" ON "conversations" USING btree ("tenant_id","assigned_staff_id");--> statement-breakpoint
CREATE INDEX "messages_thread_idx" ON "messages" USING btree ("tenant_id","conversation_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_client_id_key" ON "messages" USING btree ("tenant_id","conversation_id","sender_type","sender_id","client_id") WHERE "messages"."client_id" is not null;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "realtime_events" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("realtime_events"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("realtime_events"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "realtime_worker" ON "realtime_events" AS PERMISSIVE FOR ALL TO "memberkit_platform" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "realtime_sequences" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("realtime_sequences"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("realtime_sequences"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "realtime_worker" ON "realtime_sequences" AS PERMISSIVE FOR ALL TO "memberkit_platform" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "realtime_tickets" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("realtime_tickets"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("realtime_tickets"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "realtime_worker" ON "realtime_tickets" AS PERMISSIVE FOR ALL TO "memberkit_platform" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "community_settings" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("community_settings"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("community_settings"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "member_blocks" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("member_blocks"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("member_blocks"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "member_community_prefs" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("member_community_prefs"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("member_community_prefs"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "member_presence" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("member_presence"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("member_presence"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "presence_sweeper" ON "member_presence" AS PERMISSIVE FOR ALL TO "memberkit_platform" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "notification_batches" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("notification_batches"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("notification_batches"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "notification_worker" ON "notification_batches" AS PERMISSIVE FOR ALL TO "memberkit_platform" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "notification_preferences" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("notification_preferences"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("notification_preferences"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "notification_worker" ON "notification_preferences" AS PERMISSIVE FOR ALL TO "memberkit_platform" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "notifications" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("notifications"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("notifications"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "notification_worker" ON "notifications" AS PERMISSIVE FOR ALL TO "memberkit_platform" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "content_reports" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("content_reports"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("content_reports"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "feed_comments" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("feed_comments"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("feed_comments"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "feed_posts" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("feed_posts"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("feed_posts"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "feed_scheduler" ON "feed_posts" AS PERMISSIVE FOR ALL TO "memberkit_platform" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "feed_reactions" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("feed_reactions"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("feed_reactions"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "conversation_participants" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("conversation_participants"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("conversation_participants"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "conversations" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("conversations"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("conversations"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "messages" AS PERMISSIVE FOR ALL TO "memberkit_app" USING ("messages"."tenant_id" = current_setting('app.tenant_id')) WITH CHECK ("messages"."tenant_id" = current_setting('app.tenant_id'));--> statement-breakpoint
-- Custom part (drizzle-kit knows neither forced RLS nor grants).
ALTER TABLE "realtime_sequences" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "realtime_events" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "realtime_tickets" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "community_settings" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "member_presence" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "member_community_prefs" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "member_blocks" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "notifications" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "notification_preferences" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "notification_batches" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "feed_posts" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "feed_comments" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "feed_reactions" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "content_reports" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "conversations" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "conversation_participants" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "messages" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "realtime_sequences", "realtime_events", "realtime_tickets", "community_settings", "member_presence", "member_community_prefs", "member_blocks", "notifications", "notification_preferences", "notification_batches", "feed_posts", "feed_comments", "feed_reactions", "content_reports", "conversations", "conversation_participants", "messages" TO memberkit_app;--> statement-breakpoint
-- Background jobs (log pruning, cross-process dispatch, presence sweeps, notification fan-out and digests, scheduled posts) work across tenants as the platform role.
REVOKE ALL ON "realtime_sequences", "realtime_events", "realtime_tickets", "community_settings", "member_presence", "member_community_prefs", "member_blocks", "notifications", "notification_preferences", "notification_batches", "feed_posts", "feed_comments", "feed_reactions", "content_reports", "conversations", "conversation_participants", "messages" FROM memberkit_platform;--> statement-breakpoint
GRANT SELECT, UPDATE ON "realtime_sequences", "member_presence", "notifications", "notification_batches", "feed_posts" TO memberkit_platform;--> statement-breakpoint
GRANT SELECT ON "notification_preferences" TO memberkit_platform;--> statement-breakpoint
GRANT SELECT, DELETE ON "realtime_events", "realtime_tickets" TO memberkit_platform;
