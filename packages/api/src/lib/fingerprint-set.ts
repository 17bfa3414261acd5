/**
 * A set of strings kept as 64-bit fingerprints in typed arrays: 16 to 32 bytes an
 * entry whatever the string's length, against about 90 for a `Set<string>` of
 * emails, which keeps a big import's live memory (and with it the garbage
 * collector's heap target) small. Two different strings share a fingerprint with
 * probability about n²/2⁶⁵ (5 × 10⁻⁸ for 1.4 million), so `add` may, that rarely,
 * report as present a string never added. Not for anything an attacker gains by
 * colliding: the hash (cyrb53's two lanes) is fast, not cryptographic.
 */
export class FingerprintSet {
  #high = new Uint32Array(1024);
  #low = new Uint32Array(1024);
  #size = 0;

  /** Adds `text`; false if it (or, rarely, a string with the same fingerprint) was already there. */
  add(text: string): boolean {
    if (this.#size * 2 >= this.#high.length) this.#grow();
    let [high, low] = fingerprint(text);
    if (high === 0 && low === 0) low = 1; // (0, 0) marks an empty slot
    if (!this.#insert(high, low)) return false;
    this.#size += 1;
    return true;
  }

  get size(): number {
    return this.#size;
  }

  #insert(high: number, low: number): boolean {
    const mask = this.#high.length - 1;
    for (let slot = low & mask; ; slot = (slot + 1) & mask) {
      const h = this.#high[slot]!;
      const l = this.#low[slot]!;
      if (h === 0 && l === 0) {
        this.#high[slot] = high;
        this.#low[slot] = low;
        return true;
      }
      if (h === high && l === low) return false;
    }
  }

  #grow(): void {
    const [high, low] = [this.#high, this.#low];
    this.#high = new Uint32Array(high.length * 2);
    this.#low = new Uint32Array(low.length * 2);
    for (let i = 0; i < high.length; i++) if (high[i] !== 0 || low[i] !== 0) this.#insert(high[i]!, low[i]!);
  }
}

/** cyrb53's two 32-bit lanes (public domain, bryc), both kept: 64 bits. */
function fingerprint(text: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}
