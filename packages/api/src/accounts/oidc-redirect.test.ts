import { describe, expect, it } from 'vitest';
import { returnAddressProblem, withFragment } from './oidc-redirect.js';
import { formatOidcState, parseOidcState } from './oidc-state.js';

const ORIGINS = ['https://site.example', 'http://localhost:5173'];

describe('returnAddressProblem', () => {
  it('accepts pages on an allowed origin, with a query', () => {
    expect(returnAddressProblem('https://site.example/members/callback?from=nav', ORIGINS)).toBeNull();
    expect(returnAddressProblem('http://localhost:5173/', ORIGINS)).toBeNull();
  });

  it.each([
    ['another origin', 'https://evil.example/callback'],
    ['another scheme of the same host', 'http://site.example/callback'],
    ['another port', 'https://site.example:8443/callback'],
    ['a look-alike subdomain', 'https://site.example.evil.example/'],
    ['user info hiding the real host', 'https://site.example@evil.example/'],
    ['a fragment', 'https://site.example/callback#tab'],
    ['an empty fragment', 'https://site.example/callback#'],
    ['a script URL', 'javascript:alert(document.domain)'],
    ['a data URL', 'data:text/html,hi'],
    ['a relative URL', '/callback'],
    ['a protocol-relative URL', '//evil.example/callback'],
  ])('refuses %s', (_, value) => {
    expect(returnAddressProblem(value, ORIGINS)).toEqual(expect.any(String));
  });
});

describe('withFragment', () => {
  it('puts the parameters in the fragment and keeps the query', () => {
    const url = new URL(withFragment('https://site.example/cb?x=1', { access_token: 'a.b.c', state: 'one two&three' }));
    expect(url.search).toBe('?x=1');
    expect(Object.fromEntries(new URLSearchParams(url.hash.slice(1)))).toEqual({
      access_token: 'a.b.c',
      state: 'one two&three',
    });
  });
});

describe('OIDC state', () => {
  it('round-trips the tenant and the token', () => {
    const token = 'A'.repeat(20) + 'z'.repeat(20);
    const state = formatOidcState('tnt_01jdx3v4k7m9q2w8e5r6t0y1zc', token);
    expect(parseOidcState(state)).toEqual({ tenantId: 'tnt_01jdx3v4k7m9q2w8e5r6t0y1zc', token });
  });

  it('refuses other shapes', () => {
    expect(parseOidcState('')).toBeNull();
    expect(parseOidcState(`st_01jdx3v4k7m9q2w8e5r6t0y1zc${'A'.repeat(39)}`)).toBeNull();
    expect(parseOidcState(`st_01jdx3v4k7m9q2w8e5r6t0y1zc${'A'.repeat(39)}-`)).toBeNull();
    expect(parseOidcState(`st_01JDX3V4K7M9Q2W8E5R6T0Y1ZC${'A'.repeat(40)}`)).toBeNull();
  });
});
