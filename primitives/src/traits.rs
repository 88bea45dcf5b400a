//! How the AI-mining pallets talk to each other: small traits, each with a `()` implementation
//! so a pallet can be tested alone, connected to the real pallets in the runtime's `configs/`.
//!
//! - [`MinerRegistry`]: may this account mine this task? (implemented by miner-reputation,
//!   asked by tasks);
//! - [`ReputationLedger`]: record what an account did (implemented by miner-reputation, told
//!   by tasks, validation, rewards and fraud);
//! - [`TaskValidation`]: a task's reveal window closed with solutions; judge them
//!   (implemented by validation-voting, told by tasks).

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::mining::{BasisPoints, MinerLevel, Score, TaskId, TaskType};

/// The dimensions of reputation, with their weights in basis points (they add up to 10 000).
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub enum ReputationDimension {
	/// Finishing the tasks taken: 40 %.
	Completion,
	/// The quality validators saw in the solutions: 30 %.
	Quality,
	/// How close the account's scores as a validator were to consensus: 15 %.
	ValidationAccuracy,
	/// Publishers' ratings of the account's solutions: 10 %.
	PeerReview,
	/// Innovation validators saw in the solutions: 5 %.
	Innovation,
}

impl ReputationDimension {
	/// Every dimension, in the order of [`OutcomeScores::get`]'s index.
	pub const ALL: [Self; 5] = [
		Self::Completion,
		Self::Quality,
		Self::ValidationAccuracy,
		Self::PeerReview,
		Self::Innovation,
	];

	/// The dimension's weight in basis points.
	pub const fn weight(self) -> BasisPoints {
		match self {
			Self::Completion => 4_000,
			Self::Quality => 3_000,
			Self::ValidationAccuracy => 1_500,
			Self::PeerReview => 1_000,
			Self::Innovation => 500,
		}
	}

	/// The dimension's position in [`ReputationDimension::ALL`].
	pub const fn index(self) -> usize {
		self as usize
	}
}

/// What one outcome says about an account, per dimension: `None` where it says nothing (a
/// publisher's rating speaks only to peer review, say).
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct OutcomeScores(pub [Option<Score>; 5]);

impl OutcomeScores {
	/// An outcome with one dimension scored.
	pub fn only(dimension: ReputationDimension, score: Score) -> Self {
		let mut scores = [None; 5];
		scores[dimension.index()] = Some(score);
		Self(scores)
	}

	/// Adds `dimension`'s score.
	pub fn with(mut self, dimension: ReputationDimension, score: Score) -> Self {
		self.0[dimension.index()] = Some(score);
		self
	}

	/// The score of `dimension`, if the outcome has one.
	pub fn get(&self, dimension: ReputationDimension) -> Option<Score> {
		self.0[dimension.index()]
	}
}

/// Why an account may not take a task.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ineligible {
	/// Not a registered miner (or its bond is being withdrawn).
	NotRegistered,
	/// Banned for fraud, for now.
	Banned,
	/// Its specializations do not include the task's type.
	WrongSpecialization,
	/// Its level is below the task's minimum.
	LevelTooLow,
}

/// Who may mine a task.
pub trait MinerRegistry<AccountId> {
	/// Whether `who` may take a task of `task_type` that asks for at least `min_level`.
	fn check_eligible(
		who: &AccountId,
		task_type: TaskType,
		min_level: MinerLevel,
	) -> Result<(), Ineligible>;
}

/// Everyone may mine (for testing a pallet alone).
impl<AccountId> MinerRegistry<AccountId> for () {
	fn check_eligible(_: &AccountId, _: TaskType, _: MinerLevel) -> Result<(), Ineligible> {
		Ok(())
	}
}

/// Records what accounts did in their reputation.
pub trait ReputationLedger<AccountId> {
	/// Records `scores` for `who`'s work in `specialization`.
	fn record(who: &AccountId, specialization: TaskType, scores: OutcomeScores);
	/// Records a confirmed fraud against `who`: its fraud multiplier drops.
	fn record_fraud(who: &AccountId);
}

/// Remembers nothing (for testing a pallet alone).
impl<AccountId> ReputationLedger<AccountId> for () {
	fn record(_: &AccountId, _: TaskType, _: OutcomeScores) {}
	fn record_fraud(_: &AccountId) {}
}

/// Reads an account's reputation (for weighting validators).
pub trait ReputationView<AccountId> {
	/// `who`'s weighted reputation score now.
	fn score(who: &AccountId) -> sp_arithmetic::Perbill;
}

/// Everyone has full reputation (for testing a pallet alone).
impl<AccountId> ReputationView<AccountId> for () {
	fn score(_: &AccountId) -> sp_arithmetic::Perbill {
		sp_arithmetic::Perbill::one()
	}
}

/// Judges the solutions of a task whose reveal window has closed.
pub trait TaskValidation<AccountId> {
	/// Task `task_id` of `task_type` has `solvers` with revealed solutions and wants a panel of
	/// `panel_size` validators.
	fn begin_validation(
		task_id: TaskId,
		task_type: TaskType,
		panel_size: u32,
		solvers: &[AccountId],
	);
}

/// Nobody judges (the task stays in validation until something settles it).
impl<AccountId> TaskValidation<AccountId> for () {
	fn begin_validation(_: TaskId, _: TaskType, _: u32, _: &[AccountId]) {}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_weights_add_up_to_the_whole() {
		let total: u32 = ReputationDimension::ALL.iter().map(|d| u32::from(d.weight())).sum();
		assert_eq!(total, u32::from(crate::mining::BASIS_POINTS_WHOLE));
		for (i, d) in ReputationDimension::ALL.iter().enumerate() {
			assert_eq!(d.index(), i);
		}
	}
}
