import { describe, expect, it } from 'vitest';
import {
  actionLink,
  composeOutboxMail,
  OutboxDataError,
  scrubSecrets,
  type MailTenant,
  type OutboxMail,
} from './outbox-mail.js';

const tenant: MailTenant = {
  id: 'tnt_1',
  slug: 'rc-nord',
  name: 'Ruderclub Nord',
  branding: { color_primary: '#0e7490' },
  defaultLocale: 'de',
};
const row = (template: string, data: Record<string, unknown>, locale = 'en'): OutboxMail => ({
  tenantId: 'tnt_1',
  id: 'mail_01',
  template,
  toAddress: 'ada@example.org',
  locale,
  data,
});
const options = { from: 'no-reply@mail.example.org', linkBaseUrl: 'http://127.0.0.1:8787/' };

describe('actionLink', () => {
  it.each([
    ['verify_email', 'http://127.0.0.1:8787/auth/verify-email?token=a%2Bb&tenant=tnt_1'],
    ['magic_link', 'http://127.0.0.1:8787/auth/magic-link?token=a%2Bb&tenant=tnt_1'],
    ['password_reset', 'http://127.0.0.1:8787/auth/reset-password?token=a%2Bb&tenant=tnt_1'],
    ['invite', 'http://127.0.0.1:8787/accept-invite?token=a%2Bb&tenant=tnt_1'],
  ] as const)('builds the %s link with token and tenant, encoded', (template, expected) => {
    expect(actionLink('http://127.0.0.1:8787/', template, 'a+b', 'tnt_1')).toBe(expected);
  });

  it('keeps a path prefix of the base', () => {
    expect(actionLink('https://example.org/members', 'invite', 't', 'tnt_1')).toBe(
      'https://example.org/members/accept-invite?token=t&tenant=tnt_1',
    );
  });
});

describe('composeOutboxMail', () => {
  it('renders an invite row in its locale with the link to accept it and traceable headers', () => {
    const message = composeOutboxMail(
      row(
        'invite',
        {
          invite_id: 'inv_1',
          token: 'TOKEN123',
          tenant_name: 'Old Name',
          tier_name: null,
          message: 'Hallo!',
          expires_at: '2026-12-04T09:30:00Z',
        },
        'de',
      ),
      tenant,
      { ...options, from: (t) => ({ name: t.name, address: 'no-reply@mail.example.org' }) },
    );
    expect(message.to).toBe('ada@example.org');
    expect(message.from).toEqual({ name: 'Ruderclub Nord', address: 'no-reply@mail.example.org' });
    expect(message.subject).toBe('Einladung zur Mitgliedschaft bei Ruderclub Nord');
    expect(message.text).toContain('http://127.0.0.1:8787/accept-invite?token=TOKEN123&tenant=tnt_1');
    expect(message.headers).toEqual({
      'Message-ID': '<mail_01.tnt_1@mail.example.org>',
      'Auto-Submitted': 'auto-generated',
      'X-Memberkit-Template': 'invite',
      'X-Memberkit-Mail-Id': 'mail_01',
    });
  });

  it('takes the link base per tenant', () => {
    const message = composeOutboxMail(row('magic_link', { token: 'T' }), tenant, {
      ...options,
      linkBaseUrl: (t) => `https://${t.slug}.example.org`,
    });
    expect(message.text).toContain('https://rc-nord.example.org/auth/magic-link?token=T&tenant=tnt_1');
  });

  it.each([
    ['an unknown template', row('newsletter', { token: 'T' }), /unknown template/],
    ['a missing token', row('password_reset', {}), /invalid data \(token\)/],
    ['a bad date', row('invite', { token: 'T', expires_at: 'soon' }), /invalid data \(expires_at\)/],
  ])('refuses %s as data no retry can fix', (_, bad, message) => {
    expect(() => composeOutboxMail(bad, tenant, options)).toThrow(OutboxDataError);
    expect(() => composeOutboxMail(bad, tenant, options)).toThrow(message);
  });

  it('refuses a link base that does not make http(s) links', () => {
    expect(() =>
      composeOutboxMail(row('magic_link', { token: 'T' }), tenant, {
        ...options,
        linkBaseUrl: 'javascript:alert(1)//',
      }),
    ).toThrow(OutboxDataError);
  });

  it('never puts the token in an error message', () => {
    try {
      composeOutboxMail(row('invite', { token: 'SECRET-TOKEN', expires_at: 'soon' }), tenant, options);
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain('SECRET-TOKEN');
    }
  });
});

describe('scrubSecrets', () => {
  it('removes token, secret and password keys at any depth and keeps the rest', () => {
    expect(
      scrubSecrets({
        invite_id: 'inv_1',
        token: 'x',
        reset_token: 'x',
        Client_Secret: 'x',
        new_password: 'x',
        tenant_name: 'Ruderclub',
        nested: { refreshToken: 'x', keep: 1, list: [{ api_secret: 'x', ok: true }] },
      }),
    ).toEqual({ invite_id: 'inv_1', tenant_name: 'Ruderclub', nested: { keep: 1, list: [{ ok: true }] } });
  });
});
