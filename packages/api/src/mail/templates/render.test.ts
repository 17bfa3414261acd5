import { describe, expect, it } from 'vitest';
import type { TenantBranding } from '../../db/schema/index.js';
import {
  MAIL_TEMPLATE_NAMES,
  MailRenderError,
  renderMail,
  type MailTemplateData,
  type MailTemplateName,
} from './render.js';

const LINK = 'https://members.example.org/auth/verify-email?token=tok123&tenant=tnt_1';
const EXPIRES = '2026-12-04T09:30:00.000Z';
const brand = (name = 'Ruderclub Nord', branding: TenantBranding = {}) => ({ name, branding });

/** Benign data for every template. */
const SAMPLES: { [K in MailTemplateName]: MailTemplateData[K] } = {
  verify_email: { link: LINK, code: '482913', expires_at: EXPIRES },
  magic_link: { link: LINK, expires_at: EXPIRES },
  password_reset: { link: LINK, expires_at: EXPIRES },
  invite: {
    accept_url: LINK,
    expires_at: EXPIRES,
    tier_name: 'Gold',
    message: 'Welcome aboard!\nSee you on the water.',
  },
  staff_invite: { accept_url: LINK, role: 'manager', name: 'Grace', expires_at: EXPIRES },
  new_device: {
    signed_in_at: EXPIRES,
    device: 'Firefox on macOS',
    ip: '203.0.113.7',
    location: 'Hamburg, DE',
    manage_url: 'https://members.example.org/account',
  },
  scheduled_report: {
    report_name: 'Members by tier',
    from: '2026-11-16',
    to: '2026-11-22',
    schedule: 'weekly',
    columns: ['Tier', 'Members'],
    rows: [
      ['Gold', '12'],
      ['Silver', '7'],
    ],
    total_rows: 2,
  },
  billing_payment_failed: {
    first_name: 'Ada',
    tier_name: 'Gold',
    amount: 1200,
    currency: 'eur',
    invoice_url: 'https://invoice.stripe.test/i/in_1',
    next_attempt_at: EXPIRES,
  },
  billing_card_expiring: {
    first_name: 'Ada',
    brand: 'visa',
    last4: '4242',
    exp_month: 1,
    exp_year: 2027,
    manage_url: 'https://members.example.org/billing',
  },
  billing_renewal_reminder: {
    first_name: 'Ada',
    tier_name: 'Gold',
    amount: 12000,
    currency: 'eur',
    renews_at: EXPIRES,
    manage_url: 'https://members.example.org/billing',
  },
  notification_digest: {
    first_name: 'Ada',
    frequency: 'weekly',
    count: 2,
    items: [{ type: 'message', title: 'New message from Grace', body: 'See you <b>Monday</b>', created_at: EXPIRES }],
    more: 1,
  },
};

function render<K extends MailTemplateName>(template: K, data: MailTemplateData[K], locale = 'en', b = brand()) {
  return renderMail(template, data, { locale, brand: b });
}

/** The markup with text and attribute values blanked: what hostile data must not be able to change. */
function skeleton(html: string): string {
  return html.replace(/"[^"]*"/g, '""').replace(/>[^<]*</g, '><');
}

describe('renderMail', () => {
  it.each([
    [
      'verify_email',
      'Confirm your email address for Ruderclub Nord',
      'Bestätigen Sie Ihre E-Mail-Adresse für Ruderclub Nord',
    ],
    ['magic_link', 'Your sign-in link for Ruderclub Nord', 'Ihr Anmeldelink für Ruderclub Nord'],
    ['password_reset', 'Reset your Ruderclub Nord password', 'Passwort für Ruderclub Nord zurücksetzen'],
    ['invite', 'You are invited to join Ruderclub Nord', 'Einladung zur Mitgliedschaft bei Ruderclub Nord'],
    ['staff_invite', 'You are invited to manage Ruderclub Nord', 'Einladung ins Team von Ruderclub Nord'],
    ['new_device', 'New sign-in to your Ruderclub Nord account', 'Neue Anmeldung bei Ihrem Konto bei Ruderclub Nord'],
    [
      'scheduled_report',
      'Members by tier: your report from Ruderclub Nord',
      'Members by tier: Ihr Bericht von Ruderclub Nord',
    ],
    [
      'billing_payment_failed',
      'Your Ruderclub Nord payment did not go through',
      'Ihre Zahlung an Ruderclub Nord ist fehlgeschlagen',
    ],
    [
      'billing_card_expiring',
      'Your card for Ruderclub Nord expires soon',
      'Ihre Karte für Ruderclub Nord läuft bald ab',
    ],
    [
      'billing_renewal_reminder',
      'Your Ruderclub Nord membership renews soon',
      'Ihre Mitgliedschaft bei Ruderclub Nord verlängert sich bald',
    ],
    [
      'notification_digest',
      '2 unread notifications at Ruderclub Nord this week',
      '2 ungelesene Benachrichtigungen bei Ruderclub Nord diese Woche',
    ],
  ] as const)('renders %s in English and German', (template, english, german) => {
    const en = render(template, SAMPLES[template], 'en');
    const de = render(template, SAMPLES[template], 'de');
    expect(en.subject).toBe(english);
    expect(de.subject).toBe(german);
    expect(en.language).toBe('en');
    expect(de.language).toBe('de');
    expect(en.html).toContain('<html lang="en">');
    expect(de.html).toContain('<html lang="de">');
    for (const mail of [en, de]) {
      expect(mail.html).toMatch(/^<!DOCTYPE html>/);
      expect(mail.text).toContain('Ruderclub Nord');
      expect(mail.html).not.toMatch(/<script|<style|<link/i);
    }
  });

  it("lists a digest's notifications as text, escaped, with how many more there are", () => {
    const en = render('notification_digest', SAMPLES.notification_digest, 'en');
    expect(en.text).toContain('New message from Grace: See you <b>Monday</b>');
    expect(en.html).toContain('See you &lt;b&gt;Monday&lt;/b&gt;');
    expect(en.text).toContain('And 1 more.');
  });

  it('shows dunning amounts as money in the mail language, JPY without decimals, and the hosted invoice link', () => {
    const en = render('billing_payment_failed', SAMPLES.billing_payment_failed, 'en');
    const de = render('billing_payment_failed', SAMPLES.billing_payment_failed, 'de');
    expect(en.text).toContain('€12.00');
    expect(de.text).toMatch(/12,00\s€/);
    expect(en.text).toContain('https://invoice.stripe.test/i/in_1');
    const yen = render('billing_renewal_reminder', {
      ...SAMPLES.billing_renewal_reminder,
      amount: 1200,
      currency: 'jpy',
    });
    expect(yen.text).toMatch(/¥1,200(?!\.\d)/);
  });

  it('puts the action link in both bodies, escaped in the HTML', () => {
    const mail = render('verify_email', SAMPLES.verify_email);
    expect(mail.text).toContain(LINK);
    expect(mail.html).toContain(`href="${LINK.replace('&', '&amp;')}"`);
    expect(mail.text).toContain('Or enter this code: 482913');
  });

  it("formats dates with Intl in the mail's language and says the time zone", () => {
    expect(render('invite', SAMPLES.invite, 'en').text).toContain('December 4, 2026 at 09:30 AM UTC');
    expect(render('invite', SAMPLES.invite, 'de').text).toContain('4. Dezember 2026 um 09:30 UTC');
    expect(render('invite', SAMPLES.invite, 'en-GB').text).toContain('4 December 2026 at 09:30 UTC');
    const berlin = renderMail('invite', SAMPLES.invite, { locale: 'de', brand: brand(), timeZone: 'Europe/Berlin' });
    expect(berlin.text).toContain('4. Dezember 2026 um 10:30 MEZ');
  });

  it('falls back to English for languages without strings, and reads regional German as German', () => {
    for (const locale of ['fr', 'pt-BR', 'not a locale', '']) {
      const mail = render('magic_link', SAMPLES.magic_link, locale);
      expect(mail.language).toBe('en');
      expect(mail.subject).toBe('Your sign-in link for Ruderclub Nord');
      expect(mail.text).toContain('December 4, 2026');
    }
    const austrian = render('magic_link', SAMPLES.magic_link, 'de-AT');
    expect(austrian.language).toBe('de');
    expect(austrian.html).toContain('<html lang="de">');
  });

  it('brands the mail: logo, primary color on the button, background and text colors, font and radius', () => {
    const mail = render(
      'invite',
      SAMPLES.invite,
      'en',
      brand('Ruderclub Nord', {
        color_primary: '#0E7490',
        color_background: '#0B1120',
        color_text: '#F8FAFC',
        font_family: 'Inter, "Helvetica Neue", sans-serif',
        radius: 4,
        logo_url: 'https://cdn.example.org/logo.png',
      }),
    );
    expect(mail.html).toContain('<img src="https://cdn.example.org/logo.png" alt="Ruderclub Nord"');
    expect(mail.html).toContain('bgcolor="#0e7490" style="background-color:#0e7490;border-radius:4px;"');
    expect(mail.html).toContain('<body style="margin:0;padding:0;background-color:#0b1120;">');
    expect(mail.html).toContain('color:#f8fafc;');
    expect(mail.html).toContain("font-family:Inter, 'Helvetica Neue', sans-serif;");
    // A dark primary gets white button text, a light one dark text.
    expect(mail.html).toMatch(/color:#ffffff;text-decoration:none/);
    const light = render('invite', SAMPLES.invite, 'en', brand('X', { color_primary: '#fde047' }));
    expect(light.html).toMatch(/color:#111111;text-decoration:none/);
  });

  it('shows the tenant name instead of a logo when there is none, and the defaults for missing branding', () => {
    const mail = render('password_reset', SAMPLES.password_reset, 'en', brand('Ruderclub Nord', {}));
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('font-weight:bold;">Ruderclub Nord</span>');
    expect(mail.html).toContain('background-color:#4f46e5');
  });

  it('ignores branding values that are not what the API would have accepted', () => {
    const hostile = render(
      'magic_link',
      SAMPLES.magic_link,
      'en',
      brand('X', {
        color_primary: 'red;background:url(https://evil.example/x)',
        color_text: '#000" onmouseover="alert(1)',
        font_family: 'x;} body{display:none',
        radius: 1e9,
        logo_url: 'javascript:alert(1)',
      }),
    );
    expect(hostile.html).not.toContain('evil.example');
    expect(hostile.html).not.toContain('onmouseover');
    expect(hostile.html).not.toContain('display:none}');
    expect(hostile.html).not.toContain('javascript:');
    expect(hostile.html).not.toContain('<img');
    expect(hostile.html).toContain('border-radius:24px');
    expect(skeleton(hostile.html)).toBe(skeleton(render('magic_link', SAMPLES.magic_link, 'en', brand('X')).html));
  });

  it('escapes every interpolated value: hostile tenant names, tiers, messages and device strings add no markup', () => {
    const evil = `<script>alert("x")</script>"><img src=x onerror=alert(1)>&amp;'`;
    const b = brand(`${evil} Club`);
    for (const template of MAIL_TEMPLATE_NAMES) {
      const data = {
        ...SAMPLES[template],
        ...(template === 'invite' ? { tier_name: evil, message: `${evil}\n</td></tr></table>` } : {}),
        ...(template === 'new_device' ? { device: evil, location: evil, ip: evil } : {}),
        ...(template === 'verify_email' ? { code: evil } : {}),
        ...(template === 'scheduled_report'
          ? {
              report_name: evil,
              columns: [evil, evil],
              rows: [
                [evil, evil],
                [evil, '7'],
              ],
            }
          : {}),
      } as MailTemplateData[typeof template];
      const hostile = renderMail(template, data, { locale: 'en', brand: b });
      const benign = renderMail(template, SAMPLES[template], { locale: 'en', brand: brand('Plain Club') });
      expect(skeleton(hostile.html), template).toBe(skeleton(benign.html));
      expect(hostile.html).not.toContain('<script');
      expect(hostile.html).toContain(
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;&#39; Club',
      );
      // The plain-text body is not HTML: it shows the name as written.
      expect(hostile.text).toContain(`${evil} Club`);
    }
  });

  it('keeps the subject on one line whatever the tenant name holds', () => {
    const mail = render('magic_link', SAMPLES.magic_link, 'en', brand('Evil\r\nBcc: everyone@example.org'));
    expect(mail.subject).toBe('Your sign-in link for Evil Bcc: everyone@example.org');
  });

  it('keeps the line breaks of an invitation message', () => {
    const mail = render('invite', SAMPLES.invite);
    expect(mail.html).toContain('Welcome aboard!<br>See you on the water.');
    expect(mail.text).toContain('> Welcome aboard!\n> See you on the water.');
  });

  it('greets the member by first name when it is known', () => {
    expect(render('magic_link', { ...SAMPLES.magic_link, first_name: 'Ada' }).text).toContain('\nHi Ada,\n');
    expect(render('password_reset', { ...SAMPLES.password_reset, first_name: ' Ada\n' }, 'de').text).toContain(
      '\nHallo Ada,\n',
    );
    expect(render('magic_link', { ...SAMPLES.magic_link, first_name: '<b>Ada</b>' }).html).toContain(
      'Hi &lt;b&gt;Ada&lt;/b&gt;,',
    );
    expect(render('magic_link', SAMPLES.magic_link).text).not.toMatch(/^Hi /m);
  });

  it('leaves out optional parts that are missing', () => {
    const mail = render('invite', { accept_url: LINK, expires_at: EXPIRES });
    expect(mail.text).toContain('You have been invited to become a member of Ruderclub Nord.');
    expect(mail.text).not.toContain('A personal message');
    const device = render('new_device', { signed_in_at: EXPIRES });
    expect(device.html).not.toContain('href=');
    expect(device.text).not.toContain('IP address');
  });

  it.each(['javascript:alert(1)', 'data:text/html,x', '/accept-invite?token=x', 'https://user:pw@example.org/'])(
    'refuses the link %j',
    (url) => {
      expect(() => render('invite', { ...SAMPLES.invite, accept_url: url })).toThrow(MailRenderError);
      expect(() => render('verify_email', { link: url })).toThrow(MailRenderError);
    },
  );

  it('refuses an invalid date', () => {
    expect(() => render('invite', { ...SAMPLES.invite, expires_at: 'next tuesday' })).toThrow(MailRenderError);
  });
});
