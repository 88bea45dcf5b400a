//! Private sortition: who may sit on a panel, decided by each validator's own VRF, so that
//! nobody — a briber, a coercer, the other validators — knows a panel before its members
//! commit.
//!
//! A round of judging publishes a *seed* (the chain's randomness, fixed when the round opens)
//! and the total stake weight `W` of the validators who may sit. Every validator evaluates
//! the sr25519 VRF of its *seat key* on the round's [`message`]; the output, hashed, is its
//! *ticket*, a number uniform in `[0, 2^128)` that nobody can compute without the key and
//! nobody, the key's owner included, can choose. A validator of weight `w` holds a seat if
//! its ticket is under `seats × w / W` of the range ([`wins`]): the expected panel is `seats`
//! members, each validator's chance proportional to its weight (capped at certainty). It
//! shows its ticket only with its commitment, with the VRF proof ([`ticket`]), and the
//! runtime checks both against its registered key. This is Algorand's cryptographic
//! sortition (Gilad et al., SOSP 2017), one seat per validator.
//!
//! What it does not prevent: a validator may show its proof to a briber *before* it commits —
//! it can sell its seat. What it prevents is the cheap attack: a briber who wants to reach a
//! panel must now pay validators blind, most of whom will not sit.
//!
//! The VRF input is schnorrkel's signing-context transcript (context [`CONTEXT`], the
//! message as the signed bytes), so any sr25519 implementation's VRF signer produces proofs
//! the runtime accepts — `sr25519VrfSign(message, pair, "tos-seat-1")` of
//! `@polkadot/util-crypto`, for one (the tests check a vector it produced).

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::{
	crypto::VrfPublic,
	sr25519::{
		vrf::{VrfInput, VrfPreOutput, VrfSignData, VrfSignature},
		Public,
	},
	U256,
};
use sp_runtime::traits::{BlakeTwo256, Hash};

use crate::TaskId;

/// The signing context of a seat's VRF.
pub const CONTEXT: &[u8] = b"tos-seat-1";

/// The bytes a validator signs for draw `attempt` of the panel of `task_id` (`appeal` for an
/// appeal panel) with `seed`: `"tos/seat" ‖ seed ‖ task_id (u64, LE) ‖ appeal (1 byte) ‖
/// attempt (1 byte)`, the SCALE encoding of the tuple.
pub fn message(seed: &[u8; 32], task_id: TaskId, appeal: bool, attempt: u8) -> alloc::vec::Vec<u8> {
	(b"tos/seat", seed, task_id, appeal, attempt).encode()
}

/// The VRF input of `message`: schnorrkel's `signing_context(CONTEXT).bytes(message)`.
pub fn input(message: &[u8]) -> VrfInput {
	VrfInput::new(b"SigningContext", &[(b"", CONTEXT), (b"sign-bytes", message)])
}

/// What a seat key signs for `message`.
pub fn sign_data(message: &[u8]) -> VrfSignData {
	VrfSignData::new(input(message))
}

/// The ticket a VRF pre-output stands for: the first 16 bytes of
/// `BLAKE2-256("tos/ticket" ‖ pre-output)`, little-endian. The pre-output is fixed by the key
/// and the input, so the ticket is too.
pub fn ticket_of(pre_output: &VrfPreOutput) -> u128 {
	let hash = BlakeTwo256::hash_of(&(b"tos/ticket", pre_output));
	let mut bytes = [0u8; 16];
	bytes.copy_from_slice(&hash.as_bytes()[..16]);
	u128::from_le_bytes(bytes)
}

/// The ticket `key` drew on `message`, if `signature` is its VRF proof over it.
pub fn ticket(key: &Public, message: &[u8], signature: &VrfSignature) -> Option<u128> {
	key.vrf_verify(&sign_data(message), signature).then(|| ticket_of(&signature.pre_output))
}

/// A VRF proof as a call carries it: the 32-byte pre-output, then the 64-byte proof (how
/// `sr25519VrfSign` of `@polkadot/util-crypto` returns its 96 bytes).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct SeatProof {
	/// The VRF pre-output (a compressed Ristretto point).
	pub pre_output: [u8; 32],
	/// The proof that it is the key's on the message.
	pub proof: [u8; 64],
}

impl SeatProof {
	/// The signature these bytes encode, if the points and scalars are well formed.
	pub fn signature(&self) -> Option<VrfSignature> {
		VrfSignature::decode(&mut &self.encode()[..]).ok()
	}

	/// The bytes of `signature`.
	pub fn of(signature: &VrfSignature) -> Self {
		let bytes = signature.encode();
		let mut proof = Self { pre_output: [0; 32], proof: [0; 64] };
		proof.pre_output.copy_from_slice(&bytes[..32]);
		proof.proof.copy_from_slice(&bytes[32..96]);
		proof
	}

	/// The ticket `key` drew on `message`, if this is its VRF proof over it.
	pub fn ticket(&self, key: &[u8; 32], message: &[u8]) -> Option<u128> {
		ticket(&Public::from_raw(*key), message, &self.signature()?)
	}
}

/// Whether `ticket` wins a seat for a validator of `weight`, when the validators who may sit
/// weigh `total` and the draw expects `seats` members: whether `ticket / 2^128 < seats ×
/// weight / total`. Exact (256-bit arithmetic); nothing wins with no weight.
pub fn wins(ticket: u128, weight: u128, total: u128, seats: u32) -> bool {
	if weight == 0 || total == 0 {
		return false;
	}
	let chances = U256::from(seats) * U256::from(weight);
	// certain once the expected seats cover the whole weight (and the shift below would
	// overflow only then)
	chances >= U256::from(total) || U256::from(ticket) * U256::from(total) < chances << 128
}

/// What a validator's program does when a draw opens: evaluates its seat key `pair`'s VRF on
/// the draw's `message` in private and, if the ticket wins for its `weight` ([`wins`]),
/// returns the proof it takes the seat with. Nobody else can compute the ticket.
#[cfg(feature = "std")]
pub fn try_seat(
	pair: &sp_core::sr25519::Pair,
	message: &[u8],
	weight: u128,
	total: u128,
	seats: u32,
) -> Option<SeatProof> {
	use sp_core::{crypto::VrfSecret, Pair as _};
	let proof = SeatProof::of(&pair.vrf_sign(&sign_data(message)));
	let ticket = proof.ticket(&pair.public().0, message)?;
	wins(ticket, weight, total, seats).then_some(proof)
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::{crypto::VrfSecret, sr25519::Pair, Pair as _};

	fn hex(s: &str) -> alloc::vec::Vec<u8> {
		(0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
	}

	#[test]
	fn a_proof_from_polkadot_js_is_accepted() {
		// produced by @polkadot/util-crypto 13: sr25519PairFromSeed([7; 32]), then
		// sr25519VrfSign(message([0x11; 32], 42, false, 1), pair, "tos-seat-1")
		let key = Pair::from_seed(&[7; 32]).public();
		assert_eq!(
			key.0.to_vec(),
			hex("7c0f469d3bd340bae718203fa30ca071a5e37c751e891dbded837b213d45d91d")
		);
		let msg = message(&[0x11; 32], 42, false, 1);
		assert_eq!(
			msg,
			hex("746f732f7365617411111111111111111111111111111111111111111111111111111111111111112a000000000000000001")
		);
		let signature = VrfSignature::decode(&mut &hex("9e8262d126114d0832f2828a2233e8124f3db1f454b9e5d4501e168e4bb75972e6d6e71e23d9dfb243768cff8064b4a3274a31d336ae3d98010f8d206640010a3712573ec55fb2f881ec608f728ddf36c1324d5dd0deeee3f2270d0993765607")[..]).unwrap();
		assert!(ticket(&key, &msg, &signature).is_some());
		// the same key's proof from the Rust signer draws the same ticket: it is the key's
		let own = Pair::from_seed(&[7; 32]).vrf_sign(&sign_data(&msg));
		assert_eq!(ticket(&key, &msg, &own), ticket(&key, &msg, &signature));
	}

	#[test]
	fn a_call_carries_the_proof_as_96_bytes() {
		let pair = Pair::from_seed(&[5; 32]);
		let msg = message(&[6; 32], 1, true, 0);
		let signature = pair.vrf_sign(&sign_data(&msg));
		let proof = SeatProof::of(&signature);
		assert_eq!(proof.encode().len(), 96);
		assert_eq!(proof.ticket(&pair.public().0, &msg), ticket(&pair.public(), &msg, &signature));
		assert!(proof.ticket(&pair.public().0, &msg).is_some());
		// garbage bytes are no proof, and no panic
		let garbage = SeatProof { pre_output: [0xff; 32], proof: [0xff; 64] };
		assert_eq!(garbage.ticket(&pair.public().0, &msg), None);
		assert_eq!(proof.ticket(&[0xff; 32], &msg), None);
	}

	#[test]
	fn a_proof_of_another_key_or_message_is_refused() {
		let alice = Pair::from_seed(&[1; 32]);
		let bob = Pair::from_seed(&[2; 32]);
		let msg = message(&[3; 32], 7, false, 0);
		let signature = alice.vrf_sign(&sign_data(&msg));
		assert!(ticket(&alice.public(), &msg, &signature).is_some());
		assert_eq!(ticket(&bob.public(), &msg, &signature), None);
		assert_eq!(ticket(&alice.public(), &message(&[3; 32], 7, false, 1), &signature), None);
		assert_eq!(ticket(&alice.public(), &message(&[3; 32], 7, true, 0), &signature), None);
		// another round's ticket of the same key is another number
		let other = alice.vrf_sign(&sign_data(&message(&[4; 32], 7, false, 0)));
		assert_ne!(ticket_of(&other.pre_output), ticket_of(&signature.pre_output));
	}

	#[test]
	fn the_threshold_is_the_weights_share_of_the_expected_seats() {
		let half = 1u128 << 127;
		// one seat among two equal validators: a chance of one half
		assert!(wins(half - 1, 1, 2, 1));
		assert!(!wins(half, 1, 2, 1));
		// certainty past the whole range, never with no weight
		assert!(wins(u128::MAX, 10, 10, 1));
		assert!(wins(u128::MAX, 1, 10, 21));
		assert!(!wins(0, 0, 10, 21));
		assert!(!wins(0, 1, 0, 21));
		// the largest weights do not overflow
		assert!(
			wins(half - 1, u128::MAX, u128::MAX, 1)
				&& !wins(u128::MAX, u128::MAX / 3, u128::MAX, 1)
		);
	}

	#[test]
	fn panels_come_out_the_expected_size_on_average() {
		// twenty validators of weights 1..=20, five seats expected, 400 rounds
		let keys: alloc::vec::Vec<Pair> = (1..=20u8).map(|i| Pair::from_seed(&[i; 32])).collect();
		let total: u128 = (1..=20u128).sum();
		let mut seats = 0u32;
		let mut heaviest = 0u32;
		let mut lightest = 0u32;
		for round in 0..400u64 {
			let msg = message(&[9; 32], round, false, 0);
			for (i, key) in keys.iter().enumerate() {
				let t = ticket_of(&key.vrf_sign(&sign_data(&msg)).pre_output);
				if wins(t, i as u128 + 1, total, 5) {
					seats += 1;
					heaviest += u32::from(i == 19);
					lightest += u32::from(i == 0);
				}
			}
		}
		// 2 000 seats expected (σ ≈ 42); the heaviest sits 20/210 × 5 ≈ 48 % of rounds
		// (190 expected), the lightest 2.4 % (9.5 expected)
		assert!((1_850..=2_150).contains(&seats), "{seats}");
		assert!((150..=230).contains(&heaviest), "{heaviest}");
		assert!(lightest <= 25, "{lightest}");
	}
}
