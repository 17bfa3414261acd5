import { describe, expect, it } from 'vitest';
import { parseIpRange, parseTrustedProxies, resolveClientIp } from './client-ip.js';

describe('resolveClientIp', () => {
  it('ignores a spoofed X-Forwarded-For when no proxy is trusted', () => {
    const none = parseTrustedProxies(undefined);
    expect(resolveClientIp('203.0.113.9', '1.2.3.4', none)).toBe('203.0.113.9');
    expect(resolveClientIp('::ffff:203.0.113.9', '1.2.3.4, 5.6.7.8', none)).toBe('203.0.113.9');
    expect(resolveClientIp(undefined, '1.2.3.4', none)).toBeUndefined();
    expect(resolveClientIp('203.0.113.9', '1.2.3.4', parseTrustedProxies('0'))).toBe('203.0.113.9');
  });

  it('takes the entry the trusted hops wrote: the last one for one hop, whatever the client put before it', () => {
    const one = parseTrustedProxies('1');
    expect(resolveClientIp('10.0.0.2', '198.51.100.7', one)).toBe('198.51.100.7');
    expect(resolveClientIp('10.0.0.2', 'spoofed, 1.2.3.4, 198.51.100.7', one)).toBe('198.51.100.7');
    const two = parseTrustedProxies('2');
    expect(resolveClientIp('10.0.0.2', '6.6.6.6, 198.51.100.7, 10.0.0.1', two)).toBe('198.51.100.7');
    // Fewer entries than hops: the first proxy's entry is the client.
    expect(resolveClientIp('10.0.0.2', '198.51.100.7', two)).toBe('198.51.100.7');
    // No header: the request came straight to us.
    expect(resolveClientIp('198.51.100.7', undefined, one)).toBe('198.51.100.7');
    // Ports and brackets as some proxies write them.
    expect(resolveClientIp('10.0.0.2', '198.51.100.7:51234', one)).toBe('198.51.100.7');
    expect(resolveClientIp('10.0.0.2', '[2001:db8::7]:443', one)).toBe('2001:db8::7');
    expect(resolveClientIp('10.0.0.2', 'not-an-ip', one)).toBeUndefined();
  });

  it('with ranges, takes the right-most address that is not a trusted proxy', () => {
    const ranges = parseTrustedProxies('10.0.0.0/8, fd00::/8');
    expect(resolveClientIp('10.1.2.3', '6.6.6.6, 198.51.100.7, 10.0.0.1', ranges)).toBe('198.51.100.7');
    expect(resolveClientIp('fd00::1', '6.6.6.6, 2001:db8::42, fd12::9', ranges)).toBe('2001:db8::42');
    expect(resolveClientIp('::ffff:10.1.2.3', '198.51.100.7', ranges)).toBe('198.51.100.7');
    // The peer is not a trusted proxy: whatever it says is ignored.
    expect(resolveClientIp('203.0.113.9', '1.2.3.4', ranges)).toBe('203.0.113.9');
    // Every hop trusted: the left-most is as far as we can see.
    expect(resolveClientIp('10.1.2.3', '10.9.9.9, 10.0.0.1', ranges)).toBe('10.9.9.9');
    expect(resolveClientIp('10.1.2.3', undefined, ranges)).toBe('10.1.2.3');
    // A proxy could not have written garbage: stop at the last known address.
    expect(resolveClientIp('10.1.2.3', '1.2.3.4, garbage', ranges)).toBe('10.1.2.3');
  });
});

describe('parseTrustedProxies', () => {
  it('reads hops, ranges and bare addresses', () => {
    expect(parseTrustedProxies('')).toEqual({ kind: 'none' });
    expect(parseTrustedProxies(' 2 ')).toEqual({ kind: 'hops', hops: 2 });
    const parsed = parseTrustedProxies('192.168.0.0/16,2001:db8::/32, 127.0.0.1, ::1');
    expect(parsed.kind).toBe('ranges');
    expect(parsed.kind === 'ranges' && parsed.ranges.map((r) => r.bits)).toEqual([112, 32, 128, 128]);
  });

  it('says which part of a bad value is wrong', () => {
    for (const bad of [
      '10.0.0.0/33',
      '10.0.0/8',
      'fd00::/129',
      'fd00:::1/8',
      '1.2.3.4/8/1',
      'localhost',
      '256.0.0.1',
      '10.0.0.1/08',
      '-1',
      '1.5',
    ]) {
      expect(() => parseTrustedProxies(`127.0.0.1, ${bad}`), bad).toThrow(`"${bad}" is neither`);
    }
    expect(() => parseTrustedProxies('100')).toThrow('up to 32');
  });

  it('matches addresses by prefix, IPv4-mapped IPv6 like IPv4', () => {
    const range = parseIpRange('10.128.0.0/9')!;
    const ranges = { kind: 'ranges' as const, ranges: [range] };
    expect(resolveClientIp('10.200.0.1', '198.51.100.7', ranges)).toBe('198.51.100.7');
    expect(resolveClientIp('10.127.255.255', '198.51.100.7', ranges)).toBe('10.127.255.255');
    expect(resolveClientIp('::ffff:10.200.0.1', '198.51.100.7', ranges)).toBe('198.51.100.7');
  });
});
