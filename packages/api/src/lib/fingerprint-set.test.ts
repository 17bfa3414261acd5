import { describe, expect, it } from 'vitest';
import { FingerprintSet } from './fingerprint-set.js';

describe('FingerprintSet', () => {
  it('adds each string once and tells a second add apart, across growth', () => {
    const set = new FingerprintSet();
    for (let i = 0; i < 200_000; i++) expect(set.add(`member${i}@example.org`)).toBe(true);
    expect(set.size).toBe(200_000);
    for (let i = 0; i < 200_000; i += 997) expect(set.add(`member${i}@example.org`)).toBe(false);
    expect(set.add('')).toBe(true);
    expect(set.add('')).toBe(false);
    expect(set.add('ä@example.org')).toBe(true);
    expect(set.add('a@example.org')).toBe(true);
    expect(set.size).toBe(200_003);
  });
});
