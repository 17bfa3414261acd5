import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpTransport, smtpOptionsFromUrl } from './smtp-transport.js';
import type { MailMessage } from './transport.js';

interface Received {
  mailFrom: string | false;
  rcptTo: string[];
  raw: string;
  user: unknown;
}

const USER = 'memberkit';
const PASS = 'p@ss:word';

let server: SMTPServer;
let port: number;
const received: Received[] = [];

beforeAll(async () => {
  server = new SMTPServer({
    // Plain SMTP on loopback: no STARTTLS to negotiate, AUTH allowed in clear text.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASS) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : false, // false: the client sent no MAIL FROM
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: session.user,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const message: MailMessage = {
  to: 'ada@example.org',
  from: { name: 'Ruderclub "Nord", e.V.', address: 'no-reply@mail.example.org' },
  subject: 'You are invited to join Ruderclub Nord',
  text: 'Accept invitation:\nhttp://127.0.0.1:8787/accept-invite?token=abc&tenant=tnt_1\n',
  html: '<p>Accept invitation</p>',
  headers: { 'Message-ID': '<mail_01.tnt_1@mail.example.org>', 'X-Memberkit-Template': 'invite' },
};

describe('createSmtpTransport', () => {
  it('delivers to a real SMTP server: recipient, subject, sender, both bodies and our headers', async () => {
    const transport = createSmtpTransport({ host: '127.0.0.1', port, secure: false, auth: { user: USER, pass: PASS } });
    try {
      await transport.verify();
      const { messageId } = await transport.send(message);
      expect(messageId).toBe('<mail_01.tnt_1@mail.example.org>');
    } finally {
      transport.close();
    }
    const mail = received.at(-1)!;
    expect(mail.rcptTo).toEqual(['ada@example.org']);
    expect(mail.mailFrom).toBe('no-reply@mail.example.org');
    expect(mail.user).toBe(USER);
    expect(mail.raw).toMatch(/^Subject: You are invited to join Ruderclub Nord\r$/m);
    expect(mail.raw).toMatch(/^To: ada@example.org\r$/m);
    // The display name is quoted by nodemailer, so its comma and quotes cannot split the address.
    expect(mail.raw).toMatch(/^From: "Ruderclub \\"Nord\\", e.V." <no-reply@mail.example.org>\r$/m);
    expect(mail.raw).toMatch(/^Message-ID: <mail_01.tnt_1@mail.example.org>\r$/m);
    expect(mail.raw).toMatch(/^X-Memberkit-Template: invite\r$/m);
    expect(mail.raw).toContain('Content-Type: text/plain');
    expect(mail.raw).toContain('Content-Type: text/html');
  });

  it('uses the configured envelope sender for bounces', async () => {
    const transport = createSmtpTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      auth: { user: USER, pass: PASS },
      from: 'bounces@mail.example.org',
    });
    try {
      await transport.send({ ...message, to: { name: 'Ada', address: 'ada@example.org' } });
    } finally {
      transport.close();
    }
    const mail = received.at(-1)!;
    expect(mail.mailFrom).toBe('bounces@mail.example.org');
    expect(mail.rcptTo).toEqual(['ada@example.org']);
    expect(mail.raw).toMatch(/^From: "Ruderclub \\"Nord\\", e.V." <no-reply@mail.example.org>\r$/m);
  });

  it('rejects when the server refuses the credentials, so the worker can retry', async () => {
    const count = received.length;
    const transport = createSmtpTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      auth: { user: USER, pass: 'wrong' },
    });
    try {
      await expect(transport.send(message)).rejects.toThrow(/Invalid username or password|EAUTH/);
    } finally {
      transport.close();
    }
    expect(received.length).toBe(count);
  });

  it('rejects when nothing listens', async () => {
    const transport = createSmtpTransport({ host: '127.0.0.1', port: 1, secure: false, timeoutMs: 2000 });
    try {
      await expect(transport.send(message)).rejects.toThrow();
    } finally {
      transport.close();
    }
  });
});

describe('smtpOptionsFromUrl', () => {
  it('reads smtp:// with STARTTLS on 587 by default and decodes the credentials', () => {
    expect(smtpOptionsFromUrl('smtp://user%40example.org:p%40ss%3Aword@smtp.example.org')).toEqual({
      host: 'smtp.example.org',
      port: 587,
      secure: false,
      auth: { user: 'user@example.org', pass: 'p@ss:word' },
    });
  });

  it('reads smtps:// as TLS on 465, a port, require_tls and no credentials', () => {
    expect(smtpOptionsFromUrl('smtps://smtp.example.org')).toEqual({
      host: 'smtp.example.org',
      port: 465,
      secure: true,
    });
    expect(smtpOptionsFromUrl('smtp://127.0.0.1:1025?require_tls=1')).toEqual({
      host: '127.0.0.1',
      port: 1025,
      secure: false,
      requireTLS: true,
    });
    expect(smtpOptionsFromUrl('smtp://[::1]:25').host).toBe('::1');
  });

  it.each(['http://smtp.example.org', 'smtp.example.org:587', 'smtp://'])('refuses %j', (url) => {
    expect(() => smtpOptionsFromUrl(url)).toThrow(/smtp:\/\/user:pass@host:587/);
  });
});
