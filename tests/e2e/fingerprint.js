// TOS-SimHash-256 v1, the documented fingerprint of a solution's content
// (tos_primitives::fingerprint), in JavaScript: what a miner declares at reveal and a
// validator checks against the content. A unit test checks it against the Rust vectors.
import { blake2AsU8a } from '@polkadot/util-crypto';

const DOMAIN = new TextEncoder().encode('tos-fp-v1');

/** Lower-cased runs of ASCII letters and digits (bytes ≥ 0x80 count as letters). */
export function tokens (content) {
  const out = [];
  let current = [];
  for (const b of content) {
    const isToken = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b >= 0x80;
    if (isToken) {
      current.push(b >= 0x41 && b <= 0x5a ? b + 32 : b);
    } else if (current.length) {
      out.push(Uint8Array.from(current));
      current = [];
    }
  }
  if (current.length) out.push(Uint8Array.from(current));
  return out;
}

/** The 32-byte fingerprint of `content` (bytes or a string). */
export function simhash (content) {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  const counters = new Array(256).fill(0);
  const all = tokens(bytes);
  if (all.length === 0) return new Uint8Array(32);
  for (const token of all) {
    const shingle = new Uint8Array(DOMAIN.length + token.length);
    shingle.set(DOMAIN);
    shingle.set(token, DOMAIN.length);
    const hash = blake2AsU8a(shingle, 256);
    for (let bit = 0; bit < 256; bit++) counters[bit] += (hash[bit >> 3] >> (bit & 7)) & 1 ? 1 : -1;
  }
  const out = new Uint8Array(32);
  for (let bit = 0; bit < 256; bit++) if (counters[bit] > 0) out[bit >> 3] |= 1 << (bit & 7);
  return out;
}

/** Bits in which two fingerprints differ. */
export function hamming (a, b) {
  let n = 0;
  for (let i = 0; i < 32; i++) {
    let x = a[i] ^ b[i];
    while (x) { n += x & 1; x >>= 1; }
  }
  return n;
}

/** Near duplicates, by the chain's threshold (NEAR_DUPLICATE_BITS). */
export const NEAR_DUPLICATE_BITS = 64;
