import { describe, expect, it } from 'vitest';
import { createManualClock } from '../lib/clock.js';
import { createDevMailTransport, type DevMail } from './dev-transport.js';
import type { MailMessage } from './transport.js';

const message = (n: number, extra: Partial<MailMessage> = {}): MailMessage => ({
  to: `member${n}@example.org`,
  from: { name: 'Ruderclub Nord', address: 'no-reply@mail.example.org' },
  subject: `Mail ${n}`,
  text: `Text ${n}`,
  html: `<p>HTML ${n}</p>`,
  ...extra,
});

describe('createDevMailTransport', () => {
  it('keeps sent mails, newest first, and finds them by id', async () => {
    const clock = createManualClock(new Date('2026-01-01T00:00:00Z'));
    const seen: DevMail[] = [];
    const transport = createDevMailTransport({ clock, onSend: (mail) => seen.push(mail) });
    const first = await transport.send(message(1));
    clock.advance(1000);
    await transport.send(message(2, { headers: { 'Message-ID': '<fixed@example.org>' } }));

    const [newest, oldest] = transport.list();
    expect(newest).toMatchObject({
      id: '2',
      subject: 'Mail 2',
      messageId: '<fixed@example.org>',
      sentAt: new Date('2026-01-01T00:00:01Z'),
    });
    expect(oldest).toMatchObject({
      id: '1',
      to: 'member1@example.org',
      from: 'Ruderclub Nord <no-reply@mail.example.org>',
      text: 'Text 1',
      html: '<p>HTML 1</p>',
      messageId: first.messageId,
    });
    expect(first.messageId).toBe('<dev-1@mail.example.org>');
    expect(transport.get('1')).toBe(oldest);
    expect(transport.get('3')).toBeUndefined();
    expect(seen.map((m) => m.id)).toEqual(['1', '2']);
  });

  it('keeps only the last `capacity` mails', async () => {
    const transport = createDevMailTransport({ capacity: 3 });
    for (let n = 1; n <= 5; n++) await transport.send(message(n));
    expect(transport.list().map((m) => m.subject)).toEqual(['Mail 5', 'Mail 4', 'Mail 3']);
    expect(transport.get('1')).toBeUndefined();
    expect(transport.get('5')?.subject).toBe('Mail 5');
  });

  it('clears', async () => {
    const transport = createDevMailTransport();
    await transport.send(message(1));
    transport.clear();
    expect(transport.list()).toEqual([]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => createDevMailTransport({ capacity: 0 })).toThrow(/capacity/);
  });
});
