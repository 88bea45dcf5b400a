//! How the AI-mining pallets talk to each other: small traits, each with a `()` implementation
//! so a pallet can be tested alone, connected to the real pallets in the runtime's `configs/`.
//!
//! - [`MinerRegistry`]: may this account mine this task? (implemented by miner-reputation,
//!   asked by tasks);
//! - [`ReputationLedger`]: record what an account did (implemented by miner-reputation, told
//!   by tasks, validation, rewards and fraud);
//! - [`TaskValidation`]: a task's reveal window closed with solutions; judge them
//!   (implemented by validation-voting, told by tasks);
//! - [`TaskPhases`]: the judging reached a provisional result, or a dispute (implemented by
//!   tasks, told by validation-voting);
//! - [`OnValidated`]: the judging is final; pay out (implemented by rewards, told by
//!   validation-voting);
//! - [`TaskSettlement`]: what a task's escrow is and who solved it, and paying it out
//!   (implemented by tasks, used by rewards);
//! - [`FraudOracle`]: the fraud detectors (implemented by fraud-flags, asked by tasks and
//!   validation-voting);
//! - [`Penalties`]: stake the fraud layer may slash and accounts it may ban (implemented by
//!   miner-reputation and validation-voting, used by fraud-flags).

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::Perbill;
use sp_runtime::{DispatchError, Weight};

use crate::mining::{BasisPoints, Fingerprint, MinerLevel, Score, SolutionScore, TaskId, TaskType};
use sp_core::H256;

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
	/// `who` committed to a task: its stake must stay until the reveal window closes.
	fn commitment_opened(who: &AccountId);
	/// The reveal window of one of `who`'s commitments closed.
	fn commitment_closed(who: &AccountId);
}

/// Everyone may mine (for testing a pallet alone).
impl<AccountId> MinerRegistry<AccountId> for () {
	fn check_eligible(_: &AccountId, _: TaskType, _: MinerLevel) -> Result<(), Ineligible> {
		Ok(())
	}
	fn commitment_opened(_: &AccountId) {}
	fn commitment_closed(_: &AccountId) {}
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

/// A task whose reveal window closed, handed to validation.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ValidationRequest<'a, AccountId, BlockNumber> {
	/// The task.
	pub task_id: TaskId,
	/// Its kind (validators are drawn from this specialization).
	pub task_type: TaskType,
	/// Who published it (and may dispute the result).
	pub publisher: &'a AccountId,
	/// The miners with revealed solutions, in the order scores are given.
	pub solvers: &'a [AccountId],
	/// How many validators the publisher asked for.
	pub panel_size: u32,
	/// Blocks the validators have to commit and reveal their scores.
	pub validation_blocks: BlockNumber,
}

/// Judges the solutions of a task whose reveal window has closed.
pub trait TaskValidation<AccountId, BlockNumber> {
	/// Starts judging; must not call back into the task pallet.
	fn begin_validation(request: ValidationRequest<'_, AccountId, BlockNumber>);
	/// The most [`TaskValidation::begin_validation`] costs.
	fn weight() -> Weight;
}

/// Nobody judges (the task stays in validation until something settles it).
impl<AccountId, BlockNumber> TaskValidation<AccountId, BlockNumber> for () {
	fn begin_validation(_: ValidationRequest<'_, AccountId, BlockNumber>) {}
	fn weight() -> Weight {
		Weight::zero()
	}
}

/// Where judging stands, for the task's own record.
pub trait TaskPhases {
	/// The validators reached a provisional result; disputes are open.
	fn note_provisional(task_id: TaskId);
	/// The provisional result is disputed; an appeal panel re-scores.
	fn note_disputed(task_id: TaskId);
}

/// Records nothing.
impl TaskPhases for () {
	fn note_provisional(_: TaskId) {}
	fn note_disputed(_: TaskId) {}
}

/// A validator's part in a final result.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ValidatorResult<AccountId> {
	/// The validator.
	pub validator: AccountId,
	/// How close its scores were to the final consensus.
	pub accuracy: Score,
	/// Its weight on the panel (bond × reputation when drawn).
	pub weight: u128,
}

/// The final judgement of a task's solutions.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ValidationOutcome<AccountId> {
	/// Each solver with the consensus on its solution (zero when nobody scored it).
	pub solutions: Vec<(AccountId, SolutionScore)>,
	/// The validators who revealed scores.
	pub validators: Vec<ValidatorResult<AccountId>>,
}

/// Acts on a final judgement (pays it out).
pub trait OnValidated<AccountId> {
	/// Task `task_id`'s judgement is final.
	fn on_validated(task_id: TaskId, outcome: &ValidationOutcome<AccountId>);
	/// The most [`OnValidated::on_validated`] costs for this many solutions and validators.
	fn weight(solutions: u32, validators: u32) -> Weight;
}

/// Does nothing.
impl<AccountId> OnValidated<AccountId> for () {
	fn on_validated(_: TaskId, _: &ValidationOutcome<AccountId>) {}
	fn weight(_: u32, _: u32) -> Weight {
		Weight::zero()
	}
}

/// What settling a task needs to know.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SettlementInfo<AccountId, Balance, BlockNumber> {
	/// Who published it (and gets any refund).
	pub publisher: AccountId,
	/// The block it was published in: it is paid by the terms in force then.
	pub published_at: BlockNumber,
	/// The reward held in escrow.
	pub reward: Balance,
	/// The quality a winning solution needs.
	pub quality_threshold: Score,
	/// Each miner who revealed, with how early it committed: the whole for a commitment in
	/// the block of publication, nothing for one in the last block of the commit window.
	pub solvers: Vec<(AccountId, Perbill)>,
}

/// A task's escrow and its payment.
pub trait TaskSettlement<AccountId, Balance, BlockNumber> {
	/// The task's escrow and solvers, while it is being judged.
	fn settlement_info(task_id: TaskId) -> Option<SettlementInfo<AccountId, Balance, BlockNumber>>;
	/// Records the final `scores`, pays `payouts` from the escrow, returns `refund` to the
	/// publisher, sends the rest to the treasury and marks the task settled. Returns what the
	/// treasury got. Fails, changing nothing, if the task is not being judged or the sums
	/// exceed the escrow.
	fn settle(
		task_id: TaskId,
		scores: &[(AccountId, SolutionScore)],
		payouts: &[(AccountId, Balance)],
		refund: Balance,
	) -> Result<Balance, DispatchError>;
}

/// The kinds of fraud the chain knows.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum FraudKind {
	/// A solution copied from another miner's.
	Plagiarism,
	/// A validator and a miner working together: the validator scoring the miner far above
	/// consensus, again and again.
	Collusion,
	/// A solution committed sooner after publication than the work can take: it was computed
	/// before, or elsewhere.
	PreComputation,
}

/// A revealed solution, as the plagiarism detector sees it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RevealedSolution<AccountId, BlockNumber> {
	/// Who revealed it.
	pub miner: AccountId,
	/// When it was committed.
	pub committed_at: BlockNumber,
	/// The solution's hash.
	pub solution_hash: H256,
	/// Its similarity sketch.
	pub fingerprint: Fingerprint,
}

/// The fraud detectors, run inside the task and validation flows.
pub trait FraudOracle<AccountId, BlockNumber> {
	/// `miner` committed to `task_id` (of `task_type`) `elapsed` blocks after publication.
	/// Returns whether the commitment is flagged as pre-computation (its solution is then
	/// excluded).
	fn check_commit(
		task_id: TaskId,
		task_type: TaskType,
		miner: &AccountId,
		elapsed: BlockNumber,
	) -> bool;
	/// The reveal window of `task_id` closed with `solutions`. Returns the miners flagged for
	/// plagiarism (their solutions are excluded): the later committer of an identical
	/// solution, or of one whose fingerprint is too close to an earlier commitment's.
	fn check_solutions(
		task_id: TaskId,
		solutions: &[RevealedSolution<AccountId, BlockNumber>],
	) -> Vec<AccountId>;
	/// After consensus, `validator` gave `miner`'s solution `score` where the consensus was
	/// `consensus`. Returns whether the pair is flagged for collusion now (the miner's
	/// solution is then excluded).
	fn check_score(
		task_id: TaskId,
		validator: &AccountId,
		miner: &AccountId,
		score: Score,
		consensus: Score,
	) -> bool;
	/// The most [`FraudOracle::check_commit`] costs.
	fn commit_weight() -> Weight;
	/// The most [`FraudOracle::check_solutions`] costs for `n` solutions.
	fn solutions_weight(n: u32) -> Weight;
	/// The most [`FraudOracle::check_score`] costs.
	fn score_weight() -> Weight;
}

/// Detects nothing.
impl<AccountId, BlockNumber> FraudOracle<AccountId, BlockNumber> for () {
	fn check_commit(_: TaskId, _: TaskType, _: &AccountId, _: BlockNumber) -> bool {
		false
	}
	fn check_solutions(
		_: TaskId,
		_: &[RevealedSolution<AccountId, BlockNumber>],
	) -> Vec<AccountId> {
		Vec::new()
	}
	fn check_score(_: TaskId, _: &AccountId, _: &AccountId, _: Score, _: Score) -> bool {
		false
	}
	fn commit_weight() -> Weight {
		Weight::zero()
	}
	fn solutions_weight(_: u32) -> Weight {
		Weight::zero()
	}
	fn score_weight() -> Weight {
		Weight::zero()
	}
}

/// Stake the fraud layer may slash, and accounts it may ban.
pub trait Penalties<AccountId, Balance, BlockNumber> {
	/// What `who` has at stake.
	fn bonded(who: &AccountId) -> Balance;
	/// Moves up to `amount` of `who`'s stake to `to`; returns what moved.
	fn slash(who: &AccountId, amount: Balance, to: &AccountId) -> Balance;
	/// Keeps `who` from working until block `until`.
	fn ban(who: &AccountId, until: BlockNumber);
}

/// Nobody has stake.
impl<AccountId, Balance: Default, BlockNumber> Penalties<AccountId, Balance, BlockNumber> for () {
	fn bonded(_: &AccountId) -> Balance {
		Balance::default()
	}
	fn slash(_: &AccountId, _: Balance, _: &AccountId) -> Balance {
		Balance::default()
	}
	fn ban(_: &AccountId, _: BlockNumber) {}
}

/// Stake in two places: slashes take from the first, then the second; bans apply to both.
impl<AccountId, Balance, BlockNumber, A, B> Penalties<AccountId, Balance, BlockNumber> for (A, B)
where
	Balance: sp_runtime::traits::Saturating + Copy,
	BlockNumber: Copy,
	A: Penalties<AccountId, Balance, BlockNumber>,
	B: Penalties<AccountId, Balance, BlockNumber>,
{
	fn bonded(who: &AccountId) -> Balance {
		A::bonded(who).saturating_add(B::bonded(who))
	}
	fn slash(who: &AccountId, amount: Balance, to: &AccountId) -> Balance {
		let first = A::slash(who, amount, to);
		first.saturating_add(B::slash(who, amount.saturating_sub(first), to))
	}
	fn ban(who: &AccountId, until: BlockNumber) {
		A::ban(who, until);
		B::ban(who, until);
	}
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
