//! The pallet's stored types and the reputation arithmetic (fixed point, never floats).

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use sp_runtime::{traits::Saturating, Perbill};
use tos_primitives::{MinerLevel, OutcomeScores, ReputationDimension, SpecializationSet};

/// A task of full value on the record: [`Reputation::record`] counts in thousandths of one.
pub const RECORD_UNIT: u32 = 1_000;

/// Bond being withdrawn: `value` becomes free at block `unlock_at`.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct UnlockChunk<Balance, BlockNumber> {
	/// The amount.
	pub value: Balance,
	/// The block from which it may be withdrawn.
	pub unlock_at: BlockNumber,
}

/// The most bond withdrawals a miner may have in flight.
pub type MaxUnlockingChunks = ConstU32<16>;

/// A registered miner.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct MinerInfo<Balance, BlockNumber> {
	/// The task types it takes.
	pub specializations: SpecializationSet,
	/// Bond at stake (held), not being withdrawn.
	pub bond: Balance,
	/// Bond being withdrawn (still held until withdrawn).
	pub unlocking: BoundedVec<UnlockChunk<Balance, BlockNumber>, MaxUnlockingChunks>,
	/// When it registered.
	pub registered_at: BlockNumber,
	/// Until when it may not take tasks (set by the fraud layer), if banned.
	pub banned_until: Option<BlockNumber>,
}

/// The reputation of an account, overall or in one specialization.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Reputation<BlockNumber> {
	/// Each dimension (completion, quality, validation accuracy, peer review, innovation), in
	/// the order of [`ReputationDimension::ALL`].
	pub dimensions: [Perbill; 5],
	/// The weighted score that levels follow.
	pub score: Perbill,
	/// The last block with a recorded outcome; decay counts from here.
	pub last_active: BlockNumber,
	/// Confirmed frauds still counted: each lowers the fraud multiplier. One is forgiven per
	/// `fraud_recovery` blocks of clean record.
	pub fraud_flags: u32,
	/// Tasks on record, in thousandths of a task of full value ([`RECORD_UNIT`] a task):
	/// every completion counts (accepted work, junk or nothing delivered), each by its task's
	/// reward's share of [`Config::RecordValue`](crate::Config::RecordValue), at most one.
	pub record: u32,
	/// The last confirmed fraud, or the last forgiveness; recovery counts from here.
	pub last_fraud: BlockNumber,
}

impl<BlockNumber: Copy> Reputation<BlockNumber> {
	/// A new account's reputation: every dimension at `initial`.
	pub fn new(initial: Perbill, now: BlockNumber) -> Self {
		Self {
			dimensions: [initial; 5],
			score: initial,
			last_active: now,
			fraud_flags: 0,
			record: 0,
			last_fraud: now,
		}
	}
}

/// The reputation rules, changeable by governance within [`ReputationParams::validate`]'s bounds.
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
pub struct ReputationParams<Balance, BlockNumber> {
	/// The least bond a miner must keep at stake.
	pub min_bond: Balance,
	/// Blocks between `unbond` and `withdraw_unbonded`.
	pub unbonding_delay: BlockNumber,
	/// How far one outcome moves a score towards the outcome's target.
	pub learning_rate: Perbill,
	/// Where new accounts start and inactive ones decay to.
	pub floor: Perbill,
	/// Inactive blocks per decay step (0: no decay).
	pub decay_period: BlockNumber,
	/// The share of the distance to the floor lost per decay step.
	pub decay_rate: Perbill,
	/// The fraud multiplier loses this share per confirmed fraud.
	pub fraud_penalty: Perbill,
	/// Blocks of clean record that forgive one confirmed fraud (0: never), so that
	/// reputation can recover from an old offence.
	pub fraud_recovery: BlockNumber,
	/// An innovation score of 100 raises an outcome's target by this share.
	pub innovation_bonus: Perbill,
	/// Scores from which an account is Skilled, Expert, Master (ascending).
	pub level_thresholds: [Perbill; 3],
}

/// Why parameters were refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum InvalidParams {
	/// Level thresholds must ascend strictly and sit above the floor.
	Thresholds,
	/// A zero learning rate would freeze reputation.
	LearningRate,
	/// The unbonding delay must be at least one block and at most the configured maximum.
	UnbondingDelay,
}

impl<Balance, BlockNumber: PartialOrd + Copy + sp_runtime::traits::Zero>
	ReputationParams<Balance, BlockNumber>
{
	/// Checks the rules' bounds.
	pub fn validate(&self, max_unbonding_delay: BlockNumber) -> Result<(), InvalidParams> {
		let [skilled, expert, master] = self.level_thresholds;
		if !(self.floor < skilled && skilled < expert && expert < master) {
			return Err(InvalidParams::Thresholds);
		}
		if self.learning_rate.is_zero() {
			return Err(InvalidParams::LearningRate);
		}
		if self.unbonding_delay.is_zero() || self.unbonding_delay > max_unbonding_delay {
			return Err(InvalidParams::UnbondingDelay);
		}
		Ok(())
	}

	/// The level a score reaches.
	pub fn level_of(&self, score: Perbill) -> MinerLevel {
		MinerLevel::reached(&score, &self.level_thresholds)
	}
}

/// `current` moved `rate` of the way to `target`.
pub fn move_towards(current: Perbill, target: Perbill, rate: Perbill) -> Perbill {
	if target >= current {
		current.saturating_add(rate * target.saturating_sub(current))
	} else {
		current.saturating_sub(rate * current.saturating_sub(target))
	}
}

/// `value` after `steps` decay steps of `rate` towards `floor` (values at or below the floor
/// do not move).
pub fn decayed(value: Perbill, floor: Perbill, rate: Perbill, steps: u32) -> Perbill {
	if value <= floor || steps == 0 {
		return value;
	}
	let keep = Perbill::one().saturating_sub(rate).saturating_pow(steps as usize);
	floor.saturating_add(keep * value.saturating_sub(floor))
}

/// The target an outcome sets for the weighted score: the weighted mean of the dimensions it
/// scores, times the fraud multiplier, times the innovation multiplier (capped at 100 %).
/// `None` if it scores no dimension.
pub fn outcome_target(
	scores: &OutcomeScores,
	fraud_flags: u32,
	fraud_penalty: Perbill,
	innovation_bonus: Perbill,
) -> Option<Perbill> {
	let (mut weighted, mut weights) = (0u32, 0u32);
	for dimension in ReputationDimension::ALL {
		if let Some(score) = scores.get(dimension) {
			weighted += u32::from(dimension.weight()) * u32::from(score.get().min(100));
			weights += u32::from(dimension.weight()) * 100;
		}
	}
	if weights == 0 {
		return None;
	}
	let mean = Perbill::from_rational(weighted, weights);
	let fraud = Perbill::one().saturating_sub(fraud_penalty).saturating_pow(fraud_flags as usize);
	let innovation = scores
		.get(ReputationDimension::Innovation)
		.map(|s| innovation_bonus * s.as_fraction())
		.unwrap_or_default();
	let target = fraud * mean;
	Some(target.saturating_add(innovation * target))
}

#[cfg(test)]
mod tests {
	use super::*;
	use tos_primitives::Score;

	fn score(n: u8) -> Score {
		Score::new(n).unwrap()
	}

	#[test]
	fn the_target_is_the_weighted_mean_of_the_scored_dimensions() {
		use ReputationDimension::*;
		let all = OutcomeScores::default()
			.with(Completion, score(100))
			.with(Quality, score(50))
			.with(ValidationAccuracy, score(0))
			.with(PeerReview, score(100))
			.with(Innovation, score(0));
		// 0.4×100 + 0.3×50 + 0.15×0 + 0.1×100 + 0.05×0 = 65 %
		let target = outcome_target(&all, 0, Perbill::from_percent(20), Perbill::zero());
		assert_eq!(target, Some(Perbill::from_percent(65)));
		// one dimension only: its own score
		let one = OutcomeScores::only(PeerReview, score(30));
		assert_eq!(
			outcome_target(&one, 0, Perbill::zero(), Perbill::zero()),
			Some(Perbill::from_percent(30))
		);
		assert_eq!(
			outcome_target(&OutcomeScores::default(), 0, Perbill::zero(), Perbill::zero()),
			None
		);
	}

	#[test]
	fn fraud_lowers_and_innovation_raises_the_target() {
		use ReputationDimension::*;
		let scores = OutcomeScores::only(Completion, score(100));
		// two frauds at 20 % each: 0.8² = 64 %
		let target = outcome_target(&scores, 2, Perbill::from_percent(20), Perbill::zero());
		assert_eq!(target, Some(Perbill::from_percent(64)));
		let innovative = scores.with(Innovation, score(100)).with(Completion, score(50));
		// mean = (0.4×50 + 0.05×100) / 0.45 = 55.5…%, × (1 + 10 %) = 61.1…%
		let target =
			outcome_target(&innovative, 0, Perbill::zero(), Perbill::from_percent(10)).unwrap();
		assert_eq!(target, Perbill::from_parts(611_111_110));
		// capped at 100 %
		let perfect = OutcomeScores::only(Innovation, score(100));
		let target = outcome_target(&perfect, 0, Perbill::zero(), Perbill::from_percent(50));
		assert_eq!(target, Some(Perbill::one()));
	}

	#[test]
	fn scores_move_part_way_and_decay_towards_the_floor() {
		let half = Perbill::from_percent(50);
		assert_eq!(
			move_towards(Perbill::from_percent(20), Perbill::from_percent(60), half),
			Perbill::from_percent(40)
		);
		assert_eq!(
			move_towards(Perbill::from_percent(60), Perbill::from_percent(20), half),
			Perbill::from_percent(40)
		);
		let floor = Perbill::from_percent(10);
		// 90 % → 10 % + 80 % × 0.9² = 74.8 %
		assert_eq!(
			decayed(Perbill::from_percent(90), floor, Perbill::from_percent(10), 2),
			Perbill::from_parts(748_000_000)
		);
		assert_eq!(
			decayed(Perbill::from_percent(5), floor, Perbill::from_percent(10), 9),
			Perbill::from_percent(5)
		);
		// after very many steps: the floor, not below it
		assert_eq!(
			decayed(Perbill::from_percent(90), floor, Perbill::from_percent(10), 100_000),
			floor
		);
	}
}
