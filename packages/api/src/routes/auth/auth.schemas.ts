import { z } from '@hono/zod-openapi';
import type { MemberRow } from '../../services/members.js';
import type { MemberSession } from '../../accounts/member-auth.js';
import { exampleOf, named } from '../../lib/openapi.js';
import { LocaleTag, Timestamp } from '../../lib/schemas.js';

const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'Must be an email address.' }))
  .openapi({ example: 'ada@example.org' });
/** Length and the common-password check happen in the service, which names the field. */
const Password = z
  .string()
  .min(1)
  .max(1024)
  .openapi({ format: 'password', description: '8–128 characters; the most common passwords are refused.' });

export const SignupBody = z
  .strictObject({
    email: Email,
    password: Password,
    first_name: z.string().trim().min(1).max(100),
    last_name: z.string().trim().min(1).max(100),
    custom_fields: z.record(z.string(), z.unknown()).optional(),
    tier_id: z.string().max(64).nullable().optional().openapi({
      description:
        'A free tier is joined at once. A monthly or yearly tier is paid for first: the member is created without it and the answer says `next: { action: "checkout", … }` (continue with `POST /v1/me/billing/checkout` once signed in).',
    }),
    locale: LocaleTag.optional(),
    consent: z.boolean().optional().openapi({
      description:
        "The member accepts the tenant's terms; required (true) when the tenant asks for consent (`consent.required` in the public config).",
    }),
  })
  .openapi('SignupBody', {
    example: {
      email: 'ada@example.org',
      password: 'analytical-engine-1843',
      first_name: 'Ada',
      last_name: 'Lovelace',
      custom_fields: { company: 'Analytical Engines Ltd' },
      locale: 'en',
      consent: true,
    },
  });

export const LoginBody = z
  .strictObject({ email: Email, password: Password })
  .openapi('LoginBody', { example: { email: 'ada@example.org', password: 'analytical-engine-1843' } });
export const RefreshBody = z
  .strictObject({ refresh_token: z.string().min(1).max(200) })
  .openapi('RefreshBody', { example: { refresh_token: 'rt_9fK2mQ7vX4pL8sT3wZ6bN1cH5jR0dG2yA7eU4iO' } });
export const LogoutBody = z
  .strictObject({ refresh_token: z.string().min(1).max(200).optional() })
  .openapi('LogoutBody', { example: { refresh_token: 'rt_9fK2mQ7vX4pL8sT3wZ6bN1cH5jR0dG2yA7eU4iO' } });
export const VerifyEmailBody = z
  .strictObject({ token: z.string().min(1).max(200) })
  .openapi('VerifyEmailBody', { example: { token: 'pQ7vX2mK9rT4wZ8bN3cF6hJ1sL5dG0yA' } });

/** The member as the member sees themself: no staff-only fields or tags. */
export const MeSchema = named(
  z.object({
    id: z.string(),
    object: z.literal('member'),
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    status: z.string(),
    tier_id: z.string().nullable(),
    custom_fields: z.record(z.string(), z.unknown()),
    created_at: Timestamp,
  }),
  'Me',
  {
    id: 'mem_01jdx3v4k7m9q2w8e5r6t0y1zc',
    object: 'member',
    email: 'ada@example.org',
    first_name: 'Ada',
    last_name: 'Lovelace',
    status: 'active',
    tier_id: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc',
    custom_fields: { company: 'Analytical Engines Ltd' },
    created_at: '2026-11-27T09:30:00.000Z',
  },
);

export const SessionTokensSchema = z
  .object({
    object: z.literal('session'),
    session_id: z.string(),
    token_type: z.literal('Bearer'),
    access_token: z.string().openapi({ description: "ES256 JWT, valid 10 minutes; verify it with the tenant's JWKS." }),
    expires_in: z.number().int().openapi({ example: 600 }),
    refresh_token: z
      .string()
      .openapi({ description: 'Opaque, single use: each refresh returns a new one. Valid 30 days.' }),
    refresh_token_expires_at: Timestamp,
    member: MeSchema,
  })
  .openapi('SessionTokens', {
    example: {
      object: 'session',
      session_id: 'ses_01jdx3v4k7m9q2w8e5r6t0y1zc',
      token_type: 'Bearer',
      access_token:
        'eyJhbGciOiJFUzI1NiIsImtpZCI6IjIwMjYtMTEtMjctWGszdlE5cEwybSIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2FwaS5tZW1iZXJraXQuZGV2L3YxL3RlbmFudHMvdG50XzAxamR4M3Y0azdtOXEydzhlNXI2dDB5MXpjIiwic3ViIjoibWVtXzAxamR4M3Y0azdtOXEydzhlNXI2dDB5MXpjIiwiYXVkIjoibWVtYmVya2l0Om1lbWJlciIsImlhdCI6MTc5NjM3NjYwMCwiZXhwIjoxNzk2Mzc3MjAwfQ.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-Pw',
      expires_in: 600,
      refresh_token: 'rt_9fK2mQ7vX4pL8sT3wZ6bN1cH5jR0dG2yA7eU4iO',
      refresh_token_expires_at: '2026-12-31T09:30:00.000Z',
      member: exampleOf(MeSchema)!,
    },
  });

/** What a client does after sign-up: pay for the chosen tier (it is granted once paid). */
export const SignupNextSchema = z
  .object({
    action: z.literal('checkout'),
    tier_id: z.string(),
    interval: z.enum(['month', 'year']),
  })
  .openapi('SignupNext', {
    description:
      'The tier chosen at sign-up costs money: once signed in, start `POST /v1/me/billing/checkout` with this tier and interval.',
    example: { action: 'checkout', tier_id: 'tier_01jdx3v4k7m9q2w8e5r6t0y1zc', interval: 'month' },
  });

/** The session of a member who just signed up, with what to do next when they chose a paid tier. */
export const SignupSessionSchema = SessionTokensSchema.extend({ next: SignupNextSchema.optional() }).openapi(
  'SignupSession',
);

export const VerificationRequiredSchema = z
  .object({
    object: z.literal('signup'),
    status: z.literal('verification_required'),
    detail: z.string(),
    next: SignupNextSchema.optional(),
  })
  .openapi('VerificationRequired', {
    example: {
      object: 'signup',
      status: 'verification_required',
      detail: 'We sent a confirmation link to ada@example.org; the account is active once it is opened.',
    },
  });

export function toMeDto(member: MemberRow, visible: Record<string, unknown>): z.infer<typeof MeSchema> {
  return {
    id: member.id,
    object: 'member',
    email: member.email,
    first_name: member.firstName,
    last_name: member.lastName,
    status: member.status,
    tier_id: member.tierId,
    custom_fields: visible,
    created_at: member.createdAt.toISOString(),
  };
}

export function toSessionDto(s: MemberSession, visible: Record<string, unknown>): z.infer<typeof SessionTokensSchema> {
  return {
    object: 'session',
    session_id: s.session.id,
    token_type: 'Bearer',
    access_token: s.accessToken,
    expires_in: s.expiresIn,
    refresh_token: s.refreshToken,
    refresh_token_expires_at: s.refreshTokenExpiresAt.toISOString(),
    member: toMeDto(s.member, visible),
  };
}

export const EmailOnlyBody = z
  .strictObject({ email: Email })
  .openapi('EmailOnlyBody', { example: { email: 'ada@example.org' } });
export const PasswordResetConfirmBody = z
  .strictObject({ token: z.string().min(1).max(200), password: Password })
  .openapi('PasswordResetConfirmBody', {
    example: { token: 'pQ7vX2mK9rT4wZ8bN3cF6hJ1sL5dG0yA', password: 'difference-engine-1822' },
  });
export const AcceptedSchema = z
  .object({ object: z.literal('request'), status: z.literal('accepted'), detail: z.string() })
  .openapi('Accepted', {
    example: {
      object: 'request',
      status: 'accepted',
      detail: 'If ada@example.org belongs to a member, a link is on its way.',
    },
  });
export const UpdateMeBody = z
  .strictObject({
    first_name: z.string().trim().min(1).max(100).optional(),
    last_name: z.string().trim().min(1).max(100).optional(),
    locale: LocaleTag.optional(),
    custom_fields: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: 'Only fields the tenant marks member-editable.' }),
  })
  .openapi('UpdateMeBody', {
    example: { first_name: 'Augusta Ada', locale: 'de', custom_fields: { company: 'Analytical Engines Ltd' } },
  });
export const ChangePasswordBody = z
  .strictObject({ current_password: Password, new_password: Password })
  .openapi('ChangePasswordBody', {
    example: { current_password: 'analytical-engine-1843', new_password: 'difference-engine-1822' },
  });

export const AcceptInviteBody = z
  .strictObject({
    token: z.string().min(1).max(200),
    password: Password,
    first_name: z.string().trim().min(1).max(100),
    last_name: z.string().trim().min(1).max(100),
  })
  .openapi('AcceptInviteBody', {
    example: {
      token: 'pQ7vX2mK9rT4wZ8bN3cF6hJ1sL5dG0yA',
      password: 'analytical-engine-1843',
      first_name: 'Ada',
      last_name: 'Lovelace',
    },
  });
