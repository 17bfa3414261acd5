import { z } from '@hono/zod-openapi';
import { CUSTOM_FIELD_TYPES, FIELD_VISIBILITIES, type CustomFieldRow } from '../../services/custom-fields.js';
import { LocaleTag, Timestamp } from '../../lib/schemas.js';
import { customFieldProblems, MAX_CUSTOM_FIELDS } from '../../services/custom-fields.js';

const MAX_LOCALES = 20;
const MAX_OPTIONS = 200;

const Key = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,39}$/,
    'Must start with a lower-case letter, then up to 39 lower-case letters, digits or underscores.',
  )
  .openapi({
    description: "Stable identifier: the property name in a member's `custom_fields`.",
    example: 'company_size',
  });

/** Text per locale, for field and option labels (`CustomFieldLabel` component). */
export const LocalizedLabelSchema = z
  .record(LocaleTag, z.string().trim().min(1).max(200))
  .refine((labels) => Object.keys(labels).length > 0, 'Needs a label in at least one locale.')
  .refine((labels) => Object.keys(labels).length <= MAX_LOCALES, `At most ${MAX_LOCALES} locales.`)
  .openapi('CustomFieldLabel', {
    description:
      "Text per locale (BCP 47 tags such as `en`, `de`, `de-AT`); widgets pick the visitor's locale, then the tenant's default.",
    example: { en: 'Company size', de: 'Unternehmensgröße' },
    minProperties: 1,
    maxProperties: MAX_LOCALES,
  });

const Type = z.enum(CUSTOM_FIELD_TYPES).openapi({
  description:
    'Value type: `text` (string), `number`, `boolean`, `date` (YYYY-MM-DD), `select` (one option value), `multi_select` (list of option values).',
  example: 'select',
});
const Visibility = z.enum(FIELD_VISIBILITIES).openapi({
  description:
    'Who sees the value: `public` (anyone, e.g. a member directory), `members` (the member and other members), `staff` (staff only).',
  example: 'members',
});

/** One choice of a select or multi_select field. */
export const CustomFieldOptionSchema = z
  .strictObject({
    value: z
      .string()
      .min(1)
      .max(100)
      .openapi({ description: 'Stored value; unique within the field.', example: '11-50' }),
    label: LocalizedLabelSchema,
  })
  .openapi('CustomFieldOption', {
    example: { value: '11-50', label: { en: '11 to 50 people', de: '11 bis 50 Personen' } },
  });

/** A custom field definition as the API returns it (`CustomField` component). */
export const CustomFieldSchema = z
  .object({
    object: z.literal('custom_field'),
    key: Key,
    label: LocalizedLabelSchema,
    type: Type,
    options: z
      .array(CustomFieldOptionSchema)
      .openapi({ description: 'Choices of a select or multi_select field; empty for other types.' }),
    required: z.boolean().openapi({ description: 'Whether every new member must have a value.', example: false }),
    visibility: Visibility,
    member_editable: z.boolean().openapi({ description: 'Whether members may change their own value.', example: true }),
    sort_order: z.number().int().min(0).openapi({ description: 'Position in the set, from 0.', example: 0 }),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('CustomField', {
    description: 'A typed field the tenant defines for its members.',
    example: {
      object: 'custom_field',
      key: 'company_size',
      label: { en: 'Company size', de: 'Unternehmensgröße' },
      type: 'select',
      options: [
        { value: '1-10', label: { en: '1 to 10 people', de: '1 bis 10 Personen' } },
        { value: '11-50', label: { en: '11 to 50 people', de: '11 bis 50 Personen' } },
      ],
      required: true,
      visibility: 'members',
      member_editable: true,
      sort_order: 0,
      created_at: '2026-11-27T09:30:00.000Z',
      updated_at: '2026-11-27T09:30:00.000Z',
    },
  });

/** The whole field set: small and bounded, so not paginated. */
export const CustomFieldListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(CustomFieldSchema).openapi({ description: 'Every field, in `sort_order`.' }),
  })
  .openapi('CustomFieldList', {
    example: {
      object: 'list',
      data: [
        {
          object: 'custom_field',
          key: 'company',
          label: { en: 'Company', de: 'Firma' },
          type: 'text',
          options: [],
          required: false,
          visibility: 'members',
          member_editable: true,
          sort_order: 0,
          created_at: '2026-11-27T09:30:00.000Z',
          updated_at: '2026-11-27T09:30:00.000Z',
        },
      ],
    },
  });

const CustomFieldInput = z
  .strictObject({
    key: Key,
    label: LocalizedLabelSchema,
    type: Type,
    options: z
      .array(CustomFieldOptionSchema)
      .max(MAX_OPTIONS)
      .optional()
      .openapi({
        description: `Required and non-empty for select and multi_select (at most ${MAX_OPTIONS}); absent or empty otherwise.`,
      }),
    required: z
      .boolean()
      .default(false)
      .openapi({ description: 'Whether every new member must have a value.', example: false }),
    visibility: Visibility.default('staff'),
    member_editable: z.boolean().default(false).openapi({
      description: 'Whether members may change their own value; needs visibility `members` or `public`.',
      example: false,
    }),
    // What GET adds to a field, accepted (and ignored) so its output can be sent back unchanged.
    object: z.literal('custom_field').optional().openapi({ description: 'Read-only; ignored.' }),
    sort_order: z.number().int().min(0).optional().openapi({
      description: 'Read-only; ignored: the position in the list is the order.',
    }),
    created_at: Timestamp.optional().openapi({ description: 'Read-only; ignored.' }),
    updated_at: Timestamp.optional().openapi({ description: 'Read-only; ignored.' }),
  })
  .openapi('CustomFieldInput', {
    description:
      'One field of the set; its position in the list becomes its `sort_order`. A field as `GET /v1/tenant/fields` lists it is accepted as it is: its read-only properties are ignored.',
  });

/** The set of `PUT /v1/tenant/fields`; set-wide rules are reported at `<list>.<i>.<field>`. */
const CustomFieldSet = z
  .array(CustomFieldInput)
  .max(MAX_CUSTOM_FIELDS)
  .superRefine((fields, ctx) => {
    const problems = customFieldProblems(
      fields.map((f) => ({
        key: f.key,
        type: f.type,
        options: f.options ?? [],
        visibility: f.visibility,
        memberEditable: f.member_editable,
      })),
    );
    for (const problem of problems) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
  });

/**
 * Body of `PUT /v1/tenant/fields`: the set as `fields`, or the body `GET` answers
 * (`{ object: 'list', data }`) unchanged, so a set can be read, edited and written back.
 */
export const ReplaceCustomFieldsBody = z
  .strictObject({
    fields: CustomFieldSet.optional().openapi({
      description: `The complete new set, in display order; at most ${MAX_CUSTOM_FIELDS}. Keys must be unique. Send this or \`data\`.`,
    }),
    object: z.literal('list').optional().openapi({ description: 'As `GET` answers it; ignored.' }),
    data: CustomFieldSet.optional().openapi({
      description: 'The same as `fields`, under the name `GET /v1/tenant/fields` lists the set with.',
    }),
  })
  .superRefine((body, ctx) => {
    if ((body.fields === undefined) === (body.data === undefined))
      ctx.addIssue({
        code: 'custom',
        path: body.fields === undefined ? ['fields'] : ['data'],
        message: 'Send the set as either `fields` or `data` (as GET lists it), not both.',
      });
  })
  .transform(({ fields, data }) => ({ fields: fields ?? data ?? [] }))
  .openapi('ReplaceCustomFieldsBody', {
    example: {
      fields: [
        {
          key: 'company',
          label: { en: 'Company', de: 'Firma' },
          type: 'text',
          visibility: 'members',
          member_editable: true,
        },
        {
          key: 'company_size',
          label: { en: 'Company size' },
          type: 'select',
          options: [
            { value: '1-10', label: { en: '1 to 10 people' } },
            { value: '11-50', label: { en: '11 to 50 people' } },
          ],
          required: true,
        },
      ],
    },
  });

/** The API representation of a custom field definition. */
export function toCustomFieldDto(row: CustomFieldRow): z.infer<typeof CustomFieldSchema> {
  return {
    object: 'custom_field',
    key: row.key,
    label: row.label,
    type: row.type,
    options: row.options.map((o) => ({ value: o.value, label: o.label })),
    required: row.required,
    visibility: row.visibility,
    member_editable: row.memberEditable,
    sort_order: row.sortOrder,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
