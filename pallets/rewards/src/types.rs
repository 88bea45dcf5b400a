//! The pallet's stored types: the split of an escrow, and the emission's eras.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use tos_primitives::{BasisPoints, Score, BASIS_POINTS_WHOLE};

/// How many replaced splits are remembered for the tasks published under them: a task lives
/// for hundreds of blocks, a change of split takes a referendum, so eight is plenty; past it
/// the oldest is forgotten (its tasks would be paid by the next one).
pub const SPLIT_HISTORY: u32 = 8;

/// An era's number: `block / EraLength`.
pub type EraIndex = u32;

/// How a settled task's escrow is shared, in basis points (they add up to 10 000).
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
pub struct RewardSplit {
	/// Winners, by consensus quality.
	pub quality: BasisPoints,
	/// Winners, by consensus innovation.
	pub innovation: BasisPoints,
	/// Winners, by how early they committed.
	pub time: BasisPoints,
	/// Other solutions at or above `participant_min`, by quality.
	pub participants: BasisPoints,
	/// Validators who revealed, by accuracy × weight.
	pub validators: BasisPoints,
	/// The treasury.
	pub network: BasisPoints,
	/// The least consensus quality a non-winning solution needs to share the participants'
	/// part (and to earn emission points).
	pub participant_min: Score,
}

impl Default for RewardSplit {
	/// 40 / 20 / 10 to winners, 12.5 % to participants scoring at least 30, 12.5 % to
	/// validators, 5 % to the network.
	fn default() -> Self {
		Self {
			quality: 4_000,
			innovation: 2_000,
			time: 1_000,
			participants: 1_250,
			validators: 1_250,
			network: 500,
			participant_min: Score::new(30).unwrap_or_default(),
		}
	}
}

impl RewardSplit {
	/// Whether the parts are within their bounds and add up to the whole.
	pub fn is_valid(&self) -> bool {
		let winners = u32::from(self.quality) + u32::from(self.innovation) + u32::from(self.time);
		let total = winners
			+ u32::from(self.participants)
			+ u32::from(self.validators)
			+ u32::from(self.network);
		(6_000..=7_000).contains(&winners)
			&& (1_000..=1_500).contains(&self.participants)
			&& (1_000..=1_500).contains(&self.validators)
			&& (500..=1_000).contains(&self.network)
			&& total == u32::from(BASIS_POINTS_WHOLE)
			&& self.participant_min.is_valid()
	}
}

/// An era's emission and the points that share it. While the era runs, `miners` and
/// `validators` are the schedule's offer so far (with what earlier eras left unminted); once it
/// is over, what was minted — each side the smaller of its offer and its points. (An era of a
/// chain upgraded from the rules before, earlier than `ValueErasFrom`, minted as it went.)
#[derive(Clone, Copy, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct EraPool<Balance> {
	/// Offered to (then minted for) miners.
	pub miners: Balance,
	/// Offered to (then minted for) validators.
	pub validators: Balance,
	/// Miners' points earned in the era: balance units, what their tasks burned.
	pub miner_points: u128,
	/// Validators' points earned in the era: balance units, what their tasks burned.
	pub validator_points: u128,
}

/// An account's points in an era: (as a miner, as a validator), in balance units.
pub type Points = (u128, u128);
