/**
 * Which proxies in front of the API may say who the client is (`X-Forwarded-For`):
 * none (the socket's peer is the client), a fixed number of hops, or the proxies
 * whose addresses lie in given ranges.
 */
export type TrustedProxies =
  | { kind: 'none' }
  | { kind: 'hops'; hops: number }
  | { kind: 'ranges'; ranges: readonly IpRange[] };

/** An address range: `bits` leading bits of `network` (IPv4 held as IPv4-mapped IPv6). */
export interface IpRange {
  network: Uint8Array;
  bits: number;
}

/** One address as 16 bytes; IPv4 as `::ffff:a.b.c.d`, so both families compare alike. */
type Address = Uint8Array;

function parseIpv4(text: string): Address | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    // Decimal only, no leading zeros: "010" is octal to some parsers, so it is refused rather than guessed.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) return null;
    out[12 + i] = Number(part);
  }
  return out;
}

function parseIpv6(text: string): Address | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (half: string): number[] | null => {
    if (half === '') return [];
    const groups: number[] = [];
    const pieces = half.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return null;
        groups.push((v4[12]! << 8) | v4[13]!, (v4[14]! << 8) | v4[15]!);
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) {
        groups.push(parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return groups;
  };
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

const isMappedIpv4 = (a: Address) => a.slice(0, 10).every((b) => b === 0) && a[10] === 0xff && a[11] === 0xff;

/**
 * Parses an address as it appears in `X-Forwarded-For` or from a socket: IPv4,
 * IPv6 (a zone `%eth0` is dropped), either with a port (`1.2.3.4:80`, `[::1]:80`).
 */
function parseAddress(raw: string): Address | null {
  let text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  else if (/^[0-9.]+:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(':'));
  text = text.replace(/%[^%]*$/, '');
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/** The conventional text of an address: dotted IPv4 (also for IPv4-mapped IPv6), compressed lower-case IPv6. */
function formatAddress(a: Address): string {
  if (isMappedIpv4(a)) return `${a[12]}.${a[13]}.${a[14]}.${a[15]}`;
  const groups = Array.from({ length: 8 }, (_, i) => (a[2 * i]! << 8) | a[2 * i + 1]!);
  // RFC 5952: the longest run of two or more zero groups becomes "::".
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.length).join(':')}`;
}

function inRange(a: Address, range: IpRange): boolean {
  const whole = range.bits >> 3;
  for (let i = 0; i < whole; i++) if (a[i] !== range.network[i]) return false;
  const rest = range.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (a[whole]! & mask) === (range.network[whole]! & mask);
}

/** Parses `10.0.0.0/8`, `fd00::/8`, or a bare address (a range of one); null when it is neither. */
export function parseIpRange(text: string): IpRange | null {
  const [address, prefix, extra] = text.trim().split('/');
  if (extra !== undefined || !address) return null;
  const network = address.includes(':') ? parseIpv6(address) : parseIpv4(address);
  if (!network) return null;
  const v4 = !address.includes(':');
  const max = v4 ? 32 : 128;
  if (prefix !== undefined && !/^(0|[1-9][0-9]{0,2})$/.test(prefix)) return null;
  const bits = prefix === undefined ? max : Number(prefix);
  if (bits > max) return null;
  return { network, bits: v4 ? bits + 96 : bits };
}

/**
 * Reads the `MEMBERKIT_TRUSTED_PROXIES` setting: unset, empty or `0` (trust no
 * proxy), a number of proxy hops (`1`: one load balancer in front), or a
 * comma-separated list of the proxies' address ranges. Throws a message naming
 * the bad part.
 * @example
 * parseTrustedProxies('10.0.0.0/8, fd00::/8') // { kind: 'ranges', ranges: [...] }
 */
export function parseTrustedProxies(value: string | undefined, name = 'MEMBERKIT_TRUSTED_PROXIES'): TrustedProxies {
  const text = value?.trim() ?? '';
  if (text === '' || text === '0') return { kind: 'none' };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 32)
      throw new Error(`${name} must be a number of proxy hops up to 32 or a list of address ranges, got ${hops} hops.`);
    return { kind: 'hops', hops };
  }
  const ranges = text.split(',').map((part) => {
    const range = parseIpRange(part);
    if (!range) {
      throw new Error(
        `${name} must be a number of proxy hops (e.g. 1) or a comma-separated list of IPv4/IPv6 addresses or CIDR ranges (e.g. 10.0.0.0/8, fd00::/8); "${part.trim()}" is neither.`,
      );
    }
    return range;
  });
  return { kind: 'ranges', ranges };
}

/**
 * The client's address for a request that arrived from `peer` (the socket's
 * remote address) with the given `X-Forwarded-For` value(s):
 *
 * - no trusted proxies: `peer`; the header is ignored, as anyone can send it;
 * - `hops: n`: the n-th entry from the right (each of the n proxies appended the
 *   address it received from; entries further left are the client's to invent);
 * - `ranges`: walking from `peer` leftwards through the header, the first address
 *   not in a trusted range.
 *
 * Returned in conventional form (IPv4-mapped IPv6 as dotted IPv4); undefined when
 * no usable address is known.
 */
export function resolveClientIp(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: TrustedProxies,
): string | undefined {
  const peerAddress = peer ? parseAddress(peer) : null;
  const own = peerAddress ? formatAddress(peerAddress) : undefined;
  if (trusted.kind === 'none') return own;
  const chain = (forwardedFor ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (trusted.kind === 'hops') {
    if (chain.length === 0) return own;
    // Fewer entries than hops: every entry was written by a trusted proxy; the first one saw the client.
    const entry = chain[Math.max(0, chain.length - trusted.hops)]!;
    const address = parseAddress(entry);
    return address ? formatAddress(address) : undefined;
  }
  const isTrusted = (a: Address) => trusted.ranges.some((range) => inRange(a, range));
  if (!peerAddress || !isTrusted(peerAddress)) return own;
  let last = peerAddress;
  for (let i = chain.length - 1; i >= 0; i--) {
    const address = parseAddress(chain[i]!);
    // A trusted proxy wrote this entry; one it could not have written means a misconfigured chain: stop at what is known.
    if (!address) return formatAddress(last);
    if (!isTrusted(address)) return formatAddress(address);
    last = address;
  }
  return formatAddress(last);
}
