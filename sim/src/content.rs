//! Solutions as content: synthetic token streams, their hash, and the fingerprint computed
//! from them, so that copies, near-copies and false fingerprints behave as they would with
//! real files.

use crate::rng::Rng;
use sp_core::H256;
use tos_primitives::Fingerprint;

/// Tokens in a synthetic solution.
pub const TOKENS: usize = 96;

/// A solution: its content and what the chain sees of it, with its true worth.
#[derive(Clone, Debug)]
pub struct Solution {
	/// The content (what validators would download).
	pub content: Vec<u8>,
	/// The hash the miner reveals (the content's, unless it lies).
	pub hash: H256,
	/// The fingerprint the miner reveals.
	pub fingerprint: Fingerprint,
	/// The fingerprint of the content itself (what a validator who looks recomputes).
	pub content_fingerprint: Fingerprint,
	/// The commitment's salt.
	pub salt: H256,
	/// Its true quality, 0–100.
	pub quality: u8,
	/// Its true innovation, 0–100.
	pub innovation: u8,
}

impl Solution {
	/// Whether the revealed fingerprint is the content's.
	pub fn fingerprint_is_honest(&self) -> bool {
		self.fingerprint == self.content_fingerprint
	}
}

/// The fingerprint of `content` under the documented algorithm.
pub fn fingerprint(content: &[u8]) -> Fingerprint {
	tos_primitives::fingerprint::simhash(content)
}

/// Fresh content of the given worth.
pub fn original(rng: &mut Rng, quality: u8, innovation: u8) -> Solution {
	let content: Vec<u8> =
		(0..TOKENS).flat_map(|_| format!("t{:x} ", rng.below(1 << 20)).into_bytes()).collect();
	finish(rng, content, quality, innovation)
}

fn finish(rng: &mut Rng, content: Vec<u8>, quality: u8, innovation: u8) -> Solution {
	let content_fingerprint = fingerprint(&content);
	Solution {
		hash: H256(sp_io::hashing::blake2_256(&content)),
		fingerprint: content_fingerprint,
		content_fingerprint,
		salt: H256(rng.bytes32()),
		content,
		quality,
		innovation,
	}
}

/// `original` with `changes` of its tokens replaced: a near-duplicate, as good as the original.
pub fn near_copy(rng: &mut Rng, original: &Solution, changes: usize) -> Solution {
	let text = String::from_utf8_lossy(&original.content).to_string();
	let mut tokens: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
	for _ in 0..changes {
		let at = rng.below(tokens.len() as u64) as usize;
		tokens[at] = format!("t{:x}", rng.below(1 << 20));
	}
	let content = tokens.join(" ").into_bytes();
	finish(rng, content, original.quality, original.innovation)
}

/// `original` word for word, with a fresh salt.
pub fn exact_copy(rng: &mut Rng, original: &Solution) -> Solution {
	Solution { salt: H256(rng.bytes32()), ..original.clone() }
}

/// `solution` revealed with a fingerprint that is not its content's (far from it).
pub fn with_false_fingerprint(rng: &mut Rng, mut solution: Solution) -> Solution {
	solution.fingerprint = Fingerprint(rng.bytes32());
	solution
}
