import { describe, expect, it } from 'vitest';
import { escapeHtml, hexColor, safeHttpUrl } from './escape.js';

describe('escapeHtml', () => {
  it('escapes the five characters that can start markup or end an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('leaves other text, including non-ASCII, unchanged', () => {
    expect(escapeHtml('Grüße, Zoë — 100 % ✓')).toBe('Grüße, Zoë — 100 % ✓');
  });

  it('escapes every occurrence, not just the first', () => {
    expect(escapeHtml('<<>>')).toBe('&lt;&lt;&gt;&gt;');
  });
});

describe('safeHttpUrl', () => {
  it.each([
    'https://example.org/accept-invite?token=abc&tenant=tnt_1',
    'http://127.0.0.1:8787/auth/magic-link?token=x',
  ])('accepts %s', (url) => {
    expect(safeHttpUrl(url)).toBe(url);
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'mailto:ada@example.org',
    '/relative/path',
    '//example.org/protocol-relative',
    'not a url',
    'https://bank.example@evil.example/',
    '',
  ])('refuses %j', (url) => {
    expect(safeHttpUrl(url)).toBeNull();
  });

  it('normalizes what it accepts, so the HTML shows exactly what is linked', () => {
    expect(safeHttpUrl('HTTPS://Example.ORG/a b')).toBe('https://example.org/a%20b');
  });
});

describe('hexColor', () => {
  it.each([
    ['#4F46E5', '#4f46e5'],
    ['#abc', '#aabbcc'],
    ['#11223344', '#112233'],
  ])('reads %s as %s', (input, expected) => {
    expect(hexColor(input)).toBe(expected);
  });

  it.each([
    'red',
    'rgb(0,0,0)',
    '#12345',
    '#4f46e5;background:url(https://evil.example/)',
    '#4f46e5" onmouseover="x',
    42,
    null,
  ])('refuses %j', (input) => {
    expect(hexColor(input)).toBeNull();
  });
});
