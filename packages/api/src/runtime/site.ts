import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../lib/crypto.js';
import { matchesEtag } from '../lib/etag.js';
import { negotiateCoding, type ContentCoding } from '../middleware/compression.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** Paths the API answers; the site never shadows them. */
const API_PATHS = /^\/(v1|docs|dev|health|openapi\.json)(\/|$)/;

/** A folder of static files served under a URL prefix. */
export interface StaticMount {
  prefix: string;
  dir: string;
  /** Cache-Control of files whose names carry a content hash (`chunk-ABC123.js`) and of the others. */
  cache: { hashed: string; other: string };
}

/** Options of {@link createSiteHandler}. */
export interface SiteOptions {
  /** Pages (`*.html`, served with and without the extension) and their assets at `/`. */
  pagesDir: string | null;
  /** Static bundles, e.g. the widgets' script-tag build at `/widgets/v1/`. */
  mounts: StaticMount[];
  /** `{{NAME}}` placeholders filled into HTML pages, per request. */
  placeholders: (request: Request) => Promise<Record<string, string>> | Record<string, string>;
  /** Extra pages rendered from a file with their own placeholders (the staff console at `/admin`). */
  pages?: { path: string; file: string; placeholders: (request: Request) => Promise<Record<string, string>> }[];
  /**
   * The Content-Security-Policy of an HTML page, given the hashes of its inline
   * scripts and styles (`'sha256-…'` sources), so a page's own inline code runs
   * and nothing else inline does. Without it pages carry no policy.
   */
  contentSecurityPolicy?: (request: Request, inline: InlineHashes) => string;
}

/** CSP hash sources (`'sha256-…'`) of a page's inline `<script>` and `<style>` elements. */
export interface InlineHashes {
  scripts: string[];
  styles: string[];
}

/**
 * The hashes of the inline `<script>` (without `src`) and `<style>` elements of
 * `html`, as CSP sources. For our own pages: the regular expressions read the
 * markup they are written in, not arbitrary HTML.
 */
export function inlineHashes(html: string): InlineHashes {
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)]
    .filter((m) => !/\bsrc\s*=/i.test(m[1]!))
    .map((m) => hash(m[2]!));
  const styles = [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi)].map((m) => hash(m[1]!));
  return { scripts: [...new Set(scripts)], styles: [...new Set(styles)] };
}

/** Escapes a value for an HTML text or attribute position. */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function fillPlaceholders(html: string, values: Record<string, string>): string {
  return html.replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) =>
    name in values ? escapeHtml(values[name]!) : whole,
  );
}

/** A file found by {@link fileWithin}, with what tells whether it changed. */
interface FoundFile {
  path: string;
  mtimeMs: number;
  size: number;
}

/** The file under `root` that `relative` names, or null when it would leave `root` or does not exist. */
async function fileWithin(root: string, relative: string): Promise<FoundFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const full = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  if (full !== root && !full.startsWith(root + path.sep)) return null;
  try {
    const info = await stat(full);
    return info.isFile() ? { path: full, mtimeMs: info.mtimeMs, size: info.size } : null;
  } catch {
    return null;
  }
}

const HASHED_NAME = /[-.][A-Z0-9]{8,}\.(js|css|mjs)$/i;

/** Pre-compressed copies a bundle build writes beside each file (scripts/precompress.mjs), most preferred first. */
const PRECOMPRESSED: { coding: ContentCoding; suffix: string }[] = [
  { coding: 'br', suffix: '.br' },
  { coding: 'gzip', suffix: '.gz' },
];

/**
 * Serves static files beside the API: the widgets' and admin elements' script-tag
 * bundles (always), and in development the example member site with the demo
 * tenant's keys filled in and the staff console. Returns null for anything it does
 * not serve, so the caller hands the request to the API.
 */
export function createSiteHandler(options: SiteOptions): (request: Request) => Promise<Response | null> {
  const pagesDir = options.pagesDir ? path.resolve(options.pagesDir) : null;
  const mounts = options.mounts.map((m) => ({ ...m, dir: path.resolve(m.dir) }));

  // Bundles are served on every page view of every customer site: read and hash a
  // file once, again only when it changed on disk (a rebuild while the server runs).
  const loaded = new Map<string, { mtimeMs: number; size: number; body: Uint8Array; etag: string }>();
  async function load(file: FoundFile): Promise<{ body: Uint8Array; etag: string }> {
    const hit = loaded.get(file.path);
    if (hit && hit.mtimeMs === file.mtimeMs && hit.size === file.size) return hit;
    const body = new Uint8Array(await readFile(file.path));
    const etag = `"${(await sha256Hex(Buffer.from(body).toString('latin1'))).slice(0, 32)}"`;
    loaded.set(file.path, { mtimeMs: file.mtimeMs, size: file.size, body, etag });
    return { body, etag };
  }

  /**
   * The pre-compressed copy of `file` the request accepts best, if any: one that
   * exists and is not older than the file (a copy left from an earlier build is
   * never served in place of a newer file).
   */
  async function precompressedCopy(
    request: Request,
    file: FoundFile,
  ): Promise<{ coding: ContentCoding; file: FoundFile } | null> {
    const copies: { coding: ContentCoding; file: FoundFile }[] = [];
    for (const { coding, suffix } of PRECOMPRESSED) {
      const info = await stat(file.path + suffix).catch(() => null);
      if (info?.isFile() && info.mtimeMs >= file.mtimeMs)
        copies.push({ coding, file: { path: file.path + suffix, mtimeMs: info.mtimeMs, size: info.size } });
    }
    const coding = negotiateCoding(
      request.headers.get('accept-encoding') ?? undefined,
      copies.map((c) => c.coding),
    );
    return copies.find((c) => c.coding === coding) ?? null;
  }

  async function serveFile(request: Request, file: FoundFile, cacheControl: string, bundle = false): Promise<Response> {
    // Bundles are served in the coding the browser prefers, from the copies the build wrote.
    const copy = bundle ? await precompressedCopy(request, file) : null;
    // Each coding is its own representation with its own bytes, so its own (strong) ETag.
    const { body, etag } = await load(copy?.file ?? file);
    const headers: Record<string, string> = {
      'Content-Type': TYPES[path.extname(file.path)] ?? 'application/octet-stream',
      'Cache-Control': cacheControl,
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
      ...(copy ? { 'Content-Encoding': copy.coding } : {}),
      // Caches keep the codings apart.
      ...(bundle ? { Vary: 'Accept-Encoding' } : {}),
      // Bundles are loaded by other sites' pages: `<script type="module">` and its chunk
      // imports are CORS requests. Public code, no credentials: any origin may read it,
      // and pages isolated with COEP may embed it.
      ...(bundle ? { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' } : {}),
    };
    if (matchesEtag(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
  }

  async function serveHtml(request: Request, file: string, values: Record<string, string>): Promise<Response> {
    const html = fillPlaceholders(await readFile(file, 'utf8'), values);
    const csp = options.contentSecurityPolicy?.(request, inlineHashes(html));
    return new Response(request.method === 'HEAD' ? null : html, {
      status: 200,
      headers: {
        'Content-Type': TYPES['.html']!,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        ...(csp ? { 'Content-Security-Policy': csp } : {}),
      },
    });
  }

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return null;
    const { pathname } = new URL(request.url);
    if (API_PATHS.test(pathname)) return null;

    for (const mount of mounts) {
      if (!pathname.startsWith(mount.prefix)) continue;
      // The copies are served in place of their file, never as files of their own.
      if (PRECOMPRESSED.some(({ suffix }) => pathname.endsWith(suffix))) return null;
      const file = await fileWithin(mount.dir, pathname.slice(mount.prefix.length));
      if (!file) return null;
      return serveFile(request, file, HASHED_NAME.test(file.path) ? mount.cache.hashed : mount.cache.other, true);
    }

    for (const page of options.pages ?? []) {
      if (pathname === page.path || pathname === `${page.path}/`)
        return serveHtml(request, page.file, await page.placeholders(request));
    }

    if (!pagesDir) return null;
    const relative = pathname.endsWith('/') ? `${pathname}index.html` : pathname;
    const file =
      (await fileWithin(pagesDir, relative)) ??
      (path.extname(relative) === '' ? await fileWithin(pagesDir, `${relative}.html`) : null);
    if (!file) return null;
    if (file.path.endsWith('.html')) return serveHtml(request, file.path, await options.placeholders(request));
    return serveFile(request, file, 'no-cache');
  };
}
