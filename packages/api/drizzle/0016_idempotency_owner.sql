ALTER TABLE "idempotency_keys" ADD COLUMN "owner" text;--> statement-breakpoint
ALTER TABLE "platform_idempotency_keys" ADD COLUMN "owner" text;