//! The solution fingerprint every miner reveals and every validator checks: **TOS-SimHash-256,
//! version 1**, computed from the solution's content so that anyone holding the content gets
//! the same 256 bits.
//!
//! The algorithm (the reference is [`simhash`]; an implementation in another language must
//! give the same bits):
//!
//! 1. **Tokens.** The content is read as bytes. ASCII letters are lowered; every maximal run
//!    of ASCII letters, digits and bytes ≥ 0x80 is a token; everything else separates.
//! 2. **Shingles.** Every window of [`SHINGLE`] consecutive tokens (one, in version 1: every
//!    token, so reordering does not hide a copy) is a shingle, its tokens joined by one space
//!    (content with fewer tokens has one shingle: all of them). No tokens: the fingerprint is
//!    all zeros.
//! 3. **Hash.** Each shingle `s` is hashed with BLAKE2b-256 of `"tos-fp-v1" ‖ s`.
//! 4. **Vote.** For each bit position `b` in 0..256 (bit `b % 8` of byte `b / 8`, least
//!    significant first), a counter adds 1 for every shingle whose hash has the bit set and
//!    subtracts 1 otherwise.
//! 5. **Fingerprint.** Bit `b` is set when its counter is positive.
//!
//! Similar content gives close fingerprints: changing a few tokens changes a few shingles,
//! which moves only the counters near zero. Solutions whose fingerprints differ in at most
//! [`NEAR_DUPLICATE_BITS`] bits are treated as near-duplicates by the chain's first filter
//! (the governance-set threshold starts there); unrelated content differs in about half the
//! bits. Validators compare the content itself as well (see `pallet-tos-validation-voting`).

use crate::mining::Fingerprint;
use alloc::vec::Vec;
use sp_runtime::traits::{BlakeTwo256, Hash as _};

/// BLAKE2b-256 of `data`.
fn blake2_256(data: &[u8]) -> [u8; 32] {
	BlakeTwo256::hash(data).0
}

/// Tokens per shingle.
pub const SHINGLE: usize = 1;

/// The domain separator hashed before each shingle.
pub const DOMAIN: &[u8] = b"tos-fp-v1";

/// At most this many differing bits make two solutions near-duplicates: eight standard
/// deviations below the ~128 bits of unrelated content, above the ~35 of a copy with a tenth
/// of its tokens changed and the ~55 of one with a quarter changed (this module's tests).
pub const NEAR_DUPLICATE_BITS: u16 = 64;

fn is_token_byte(b: u8) -> bool {
	b.is_ascii_alphanumeric() || b >= 0x80
}

/// The tokens of `content`, lowered (step 1).
pub fn tokens(content: &[u8]) -> Vec<Vec<u8>> {
	content
		.split(|b| !is_token_byte(*b))
		.filter(|t| !t.is_empty())
		.map(|t| t.iter().map(|b| b.to_ascii_lowercase()).collect())
		.collect()
}

/// TOS-SimHash-256 v1 of `content` (see the module docs).
pub fn simhash(content: &[u8]) -> Fingerprint {
	let tokens = tokens(content);
	if tokens.is_empty() {
		return Fingerprint([0u8; 32]);
	}
	let window = SHINGLE.min(tokens.len());
	let mut counters = [0i64; 256];
	let mut shingle = Vec::new();
	for start in 0..=tokens.len() - window {
		shingle.clear();
		shingle.extend_from_slice(DOMAIN);
		for (i, token) in tokens[start..start + window].iter().enumerate() {
			if i > 0 {
				shingle.push(b' ');
			}
			shingle.extend_from_slice(token);
		}
		let hash = blake2_256(&shingle);
		for (bit, counter) in counters.iter_mut().enumerate() {
			if hash[bit / 8] >> (bit % 8) & 1 == 1 {
				*counter += 1;
			} else {
				*counter -= 1;
			}
		}
	}
	let mut out = [0u8; 32];
	for (bit, counter) in counters.iter().enumerate() {
		if *counter > 0 {
			out[bit / 8] |= 1 << (bit % 8);
		}
	}
	Fingerprint(out)
}

#[cfg(test)]
mod tests {
	use super::*;

	/// A deterministic pseudo-random text of `n` words.
	fn text(seed: u64, n: usize) -> Vec<u8> {
		let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
		let mut words = Vec::new();
		for _ in 0..n {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			words.push(alloc::format!("w{}", x % 5_000));
		}
		words.join(" ").into_bytes()
	}

	#[test]
	fn the_fingerprint_is_fixed_by_the_algorithm() {
		// the reference vector other implementations check against
		assert_eq!(simhash(b""), Fingerprint([0; 32]));
		let one = simhash(b"Hello, World!");
		assert_eq!(one, simhash(b"hello, WORLD"), "case and punctuation do not matter");
		assert_eq!(one, simhash(b"world hello"), "nor the order of the tokens");
		// a single token: the fingerprint is its shingle's hash
		assert_eq!(simhash(b"Hello!").0, blake2_256(b"tos-fp-v1hello"));
	}

	/// The same vector is checked against the JavaScript implementation the end-to-end tests
	/// use (`tests/e2e/fingerprint.test.js`), so the two cannot drift apart.
	#[test]
	fn a_vector_shared_with_the_javascript_implementation() {
		let fp = simhash(
			"Write a sorting function: fn sort(v: &mut [u64]) { v.sort_unstable() } — in place, O(n log n)."
				.as_bytes(),
		);
		let hex: alloc::string::String = fp.0.iter().map(|b| alloc::format!("{b:02x}")).collect();
		assert_eq!(hex, "055ff646092ae26048f9139525ad59889ca5dbdf75ee7c8810a78622965cd766");
	}

	#[test]
	fn near_copies_are_close_and_unrelated_content_is_not() {
		let original = text(1, 200);
		let words: Vec<&[u8]> = original.split(|b| *b == b' ').collect();
		// a quarter of the words replaced
		let edited: Vec<u8> = words
			.iter()
			.enumerate()
			.map(|(i, w)| if i % 4 == 3 { alloc::format!("x{i}").into_bytes() } else { w.to_vec() })
			.collect::<Vec<_>>()
			.join(&b' ');
		let (a, b, c) = (simhash(&original), simhash(&edited), simhash(&text(2, 200)));
		let near = a.hamming_distance(&b);
		let far = a.hamming_distance(&c);
		assert!(near <= u32::from(NEAR_DUPLICATE_BITS), "near copy differs in {near} bits");
		assert!(far > 90, "unrelated texts differ in only {far} bits");
	}
}
