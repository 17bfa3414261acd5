import { sql } from 'drizzle-orm';
import { boolean, foreignKey, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tenantIdColumn, tenantIsolationPolicy } from './roles.js';
import { tenants } from './tenants.js';
import { timestamptz } from './timestamps.js';

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'boolean', 'date', 'select', 'multi_select'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];
export const FIELD_VISIBILITIES = ['public', 'members', 'staff'] as const;
export type FieldVisibility = (typeof FIELD_VISIBILITIES)[number];

/** Labels per locale: `{ "en": "Company", "de": "Firma" }`. */
export type LocalizedText = Record<string, string>;
export interface SelectOption {
  value: string;
  label: LocalizedText;
}

/** The typed custom fields a tenant defines for its members. */
export const customFields = pgTable(
  'custom_fields',
  {
    tenantId: tenantIdColumn(),
    key: text('key').notNull(),
    label: jsonb('label').$type<LocalizedText>().notNull(),
    type: text('type', { enum: CUSTOM_FIELD_TYPES }).notNull(),
    options: jsonb('options').$type<SelectOption[]>().notNull().default([]),
    required: boolean('required').notNull().default(false),
    visibility: text('visibility', { enum: FIELD_VISIBILITIES }).notNull().default('staff'),
    memberEditable: boolean('member_editable').notNull().default(false),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamptz('created_at').notNull().default(sql`now()`),
    updatedAt: timestamptz('updated_at').notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ name: 'custom_fields_pkey', columns: [t.tenantId, t.key] }),
    foreignKey({ name: 'custom_fields_tenant_fk', columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
      'cascade',
    ),
    tenantIsolationPolicy(t.tenantId),
  ],
).enableRLS();

export type CustomFieldRow = typeof customFields.$inferSelect;
