//! How the AI-mining pallets talk to each other: small traits, each with a `()` implementation
//! so a pallet can be tested alone, connected to the real pallets in the runtime's `configs/`.
//!
//! - [`MinerRegistry`]: may this account mine this task? (implemented by miner-reputation,
//!   asked by tasks);
//! - [`ReputationLedger`]: record what an account did (implemented by miner-reputation, told
//!   by tasks, validation, rewards and fraud);
//! - [`TaskValidation`]: a task's reveal window closed with solutions; judge them
//!   (implemented by validation-voting, told by tasks);
//! - [`TaskPhases`]: the judging reached a provisional result, a dispute, or its final
//!   result, which the task pallet pays out (implemented by tasks, told by
//!   validation-voting);
//! - [`RevealedSalts`]: what a miner revealed (implemented by tasks, read by validation to
//!   check a honeypot's declaration);
//! - [`TaskPayments`]: what a task paid whom and what was at stake in it (implemented by
//!   tasks, read by fraud-flags to make a confirmed fraud cost at least the task's prize);
//! - [`RewardPolicy`]: how a judged task's escrow is split, the network fee, and the emission
//!   points of judged work (implemented by rewards, asked by tasks, which moves the money);
//! - [`FraudOracle`]: the fraud detectors (implemented by fraud-flags, asked by tasks and
//!   validation-voting);
//!
//! Settlement runs one way: tasks → validation (judge these) → tasks (here is the result)
//! → rewards (how is it split?) — rewards never calls back.
//! - [`Penalties`]: stake the fraud layer may slash and accounts it may ban (implemented by
//!   miner-reputation and validation-voting, used by fraud-flags).

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::Perbill;
use sp_runtime::Weight;

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
	/// The reveal window of one of `who`'s commitments closed (or the commitment was bumped).
	fn commitment_closed(who: &AccountId);
	/// `who`'s claim to a slot of a full task: its reputation first, its stake second. A
	/// commitment to a full task bumps the lowest-priority one if its own is higher.
	fn priority(who: &AccountId) -> (Perbill, u128);
}

/// Everyone may mine (for testing a pallet alone).
impl<AccountId> MinerRegistry<AccountId> for () {
	fn check_eligible(_: &AccountId, _: TaskType, _: MinerLevel) -> Result<(), Ineligible> {
		Ok(())
	}
	fn commitment_opened(_: &AccountId) {}
	fn commitment_closed(_: &AccountId) {}
	fn priority(_: &AccountId) -> (Perbill, u128) {
		(Perbill::zero(), 0)
	}
}

/// Records what accounts did in their reputation.
pub trait ReputationLedger<AccountId> {
	/// Records `scores` for `who`'s work in `specialization` on a task worth `value` (its
	/// reward, in the currency's smallest unit). A completion lengthens `who`'s record by
	/// `value`'s share of a task of full value, so that a record of tiny tasks, which cost a
	/// self-dealer next to nothing, counts for next to nothing.
	fn record(who: &AccountId, specialization: TaskType, scores: OutcomeScores, value: u128);
	/// Records a confirmed fraud against `who`: its fraud multiplier drops.
	fn record_fraud(who: &AccountId);
}

/// Remembers nothing (for testing a pallet alone).
impl<AccountId> ReputationLedger<AccountId> for () {
	fn record(_: &AccountId, _: TaskType, _: OutcomeScores, _: u128) {}
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

/// A revealed solution, as validation and the plagiarism filter see it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RevealedSolution<AccountId, BlockNumber> {
	/// Who revealed it.
	pub miner: AccountId,
	/// When it was committed.
	pub committed_at: BlockNumber,
	/// The solution's hash.
	pub solution_hash: H256,
	/// Its fingerprint, as the miner declared it (validators check it against the content).
	pub fingerprint: Fingerprint,
}

/// A task whose reveal window closed, handed to validation.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ValidationRequest<'a, AccountId, Balance, BlockNumber> {
	/// The task.
	pub task_id: TaskId,
	/// Its kind (validators are drawn from this specialization).
	pub task_type: TaskType,
	/// Who published it (and may dispute the result).
	pub publisher: &'a AccountId,
	/// The reward at stake: seats and dispute bonds scale with it.
	pub reward: Balance,
	/// The miners with revealed solutions, in the order scores are given.
	pub solvers: &'a [AccountId],
	/// Pairs of solutions (indices into `solvers`) the chain's first filter found to be
	/// copies of each other (the same hash, or fingerprints within the threshold).
	pub copies: &'a [(u32, u32)],
	/// How many validators the publisher asked for.
	pub panel_size: u32,
	/// Blocks the validators have to commit and reveal their scores.
	pub validation_blocks: BlockNumber,
}

/// Judges the solutions of a task whose reveal window has closed.
pub trait TaskValidation<AccountId, Balance, BlockNumber> {
	/// Starts judging; must not call back into the task pallet.
	fn begin_validation(request: ValidationRequest<'_, AccountId, Balance, BlockNumber>);
	/// The most [`TaskValidation::begin_validation`] costs.
	fn weight() -> Weight;
}

/// Nobody judges (the task stays in validation until something settles it).
impl<AccountId, Balance, BlockNumber> TaskValidation<AccountId, Balance, BlockNumber> for () {
	fn begin_validation(_: ValidationRequest<'_, AccountId, Balance, BlockNumber>) {}
	fn weight() -> Weight {
		Weight::zero()
	}
}

/// What the judging decided about one solution.
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
pub enum SolutionFate {
	/// Judged and paid by its score. `group` is the index of the first solution of its group
	/// of copies (its own index when it copies nobody): a group shares one solution's reward.
	Judged {
		/// The group's first solution.
		group: u32,
	},
	/// Its revealed fingerprint is not its content's (the panel's weighted majority said so):
	/// excluded, its bond forfeited.
	FalseFingerprint,
	/// A honeypot of known quality the protocol slipped in to check the validators: neither
	/// judged nor paid.
	Honeypot,
}

/// A solution's final judgement.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct JudgedSolution<AccountId> {
	/// The miner.
	pub miner: AccountId,
	/// The consensus on it (zero when excluded).
	pub score: SolutionScore,
	/// What was decided.
	pub fate: SolutionFate,
}

/// A validator's part in a final result.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ValidatorResult<AccountId> {
	/// The validator.
	pub validator: AccountId,
	/// How close its scores were to the final consensus (0–100, convex in the distance).
	pub accuracy: Score,
	/// Its share of the validators' part of the escrow and of their emission: accuracy × seat
	/// weight, zero when it was flagged in the round or missed a honeypot.
	pub pay_weight: u128,
}

/// The final judgement of a task's solutions.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ValidationOutcome<AccountId> {
	/// Each solver with its consensus and fate, in judging order.
	pub solutions: Vec<JudgedSolution<AccountId>>,
	/// The validators paid from the escrow (the first panel; an appeal panel is paid from the
	/// losing side's bond).
	pub validators: Vec<ValidatorResult<AccountId>>,
	/// False when nobody could judge at all (no panel, no scores on chain, and the council let
	/// its deadline pass): the escrow less the network fee is shared by the solutions
	/// delivered (the publisher has seen them), and nothing is recorded or emitted.
	pub judged: bool,
}

/// Where judging stands and how it ended, for the task's own record and its payout
/// (implemented by tasks, told by validation).
pub trait TaskPhases<AccountId> {
	/// The validators reached a provisional result; disputes are open.
	fn note_provisional(task_id: TaskId);
	/// The provisional result is disputed; an appeal panel (or the council) judges again.
	fn note_disputed(task_id: TaskId);
	/// The judgement is final: pay it out.
	fn judged(task_id: TaskId, outcome: &ValidationOutcome<AccountId>);
	/// The most [`TaskPhases::judged`] costs for this many solutions and validators.
	fn judged_weight(solutions: u32, validators: u32) -> Weight;
}

/// Records nothing.
impl<AccountId> TaskPhases<AccountId> for () {
	fn note_provisional(_: TaskId) {}
	fn note_disputed(_: TaskId) {}
	fn judged(_: TaskId, _: &ValidationOutcome<AccountId>) {}
	fn judged_weight(_: u32, _: u32) -> Weight {
		Weight::zero()
	}
}

/// Reads what miners revealed (implemented by tasks, asked by validation to check a
/// honeypot's declaration against its commitment's salt).
pub trait RevealedSalts<AccountId> {
	/// The salt `miner` revealed for `task_id`, if it revealed.
	fn revealed_salt(task_id: TaskId, miner: &AccountId) -> Option<H256>;
}

/// Nothing was revealed.
impl<AccountId> RevealedSalts<AccountId> for () {
	fn revealed_salt(_: TaskId, _: &AccountId) -> Option<H256> {
		None
	}
}

/// What a task paid whom, and what was at stake in it (implemented by tasks, asked by
/// fraud-flags to make a confirmed fraud cost more than the most it could have won).
pub trait TaskPayments<AccountId, Balance> {
	/// What `who` was paid from the escrow of `task_id` (nothing for a task long cleaned up).
	fn paid(task_id: TaskId, who: &AccountId) -> Balance;
	/// The most `who` could have won in `task_id`: the task's whole reward if `who` committed
	/// a solution to it, nothing otherwise (or for a task long cleaned up).
	fn prize(task_id: TaskId, who: &AccountId) -> Balance;
	/// Moves up to `amount` of `who`'s pay that has not vested yet (from any of its tasks) to
	/// `to`; returns what moved.
	fn take_unvested(who: &AccountId, amount: Balance, to: &AccountId) -> Balance;
}

/// Nothing was paid or at stake.
impl<AccountId, Balance: Default> TaskPayments<AccountId, Balance> for () {
	fn paid(_: TaskId, _: &AccountId) -> Balance {
		Balance::default()
	}
	fn prize(_: TaskId, _: &AccountId) -> Balance {
		Balance::default()
	}
	fn take_unvested(_: &AccountId, _: Balance, _: &AccountId) -> Balance {
		Balance::default()
	}
}

/// What a task's payout needs to know.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SettlementTerms<Balance, BlockNumber> {
	/// The block it was published in: it is paid by the split in force then.
	pub published_at: BlockNumber,
	/// The reward held in escrow.
	pub reward: Balance,
	/// The quality a winning solution needs.
	pub quality_threshold: Score,
}

/// Who a judged task's escrow pays.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Payouts<AccountId, Balance> {
	/// One payment per account, in account order.
	pub payouts: Vec<(AccountId, Balance)>,
	/// What goes back to the publisher (everything less the network fee when nothing won).
	pub refund: Balance,
	/// How many solutions won.
	pub winners: u32,
}

/// The split of a judged task's escrow and the mining emission (implemented by rewards,
/// asked by tasks, which moves the money).
pub trait RewardPolicy<AccountId, Balance, BlockNumber> {
	/// How `outcome` pays the escrow `terms.reward`: winners, participants, validators. Each
	/// solver comes with how early it committed (the whole for a commitment at the task's
	/// earliest allowed block). Pure: nothing moves. The sum of payouts and refund never
	/// exceeds the reward; the rest is the treasury's.
	fn split_escrow(
		terms: &SettlementTerms<Balance, BlockNumber>,
		earliness: &[(AccountId, Perbill)],
		outcome: &ValidationOutcome<AccountId>,
	) -> Payouts<AccountId, Balance>;
	/// The network's fee on a task published at `published_at` with `reward`: burned when the
	/// task is settled or expires.
	fn network_fee(published_at: BlockNumber, reward: Balance) -> Balance;
	/// Records the judged work in the current era's emission points: at most `burned` (what
	/// settling the task burned) in all, the miners' part only if the task was `won`. So the
	/// emission a task earns never exceeds what it burned, and self-dealing mints less than
	/// it costs.
	fn note_work(outcome: &ValidationOutcome<AccountId>, won: bool, burned: Balance);
	/// The most [`RewardPolicy::split_escrow`] and [`RewardPolicy::note_work`] cost together.
	fn weight(solutions: u32, validators: u32) -> Weight;
}

/// Everything back to the publisher, no fee, no emission (for testing a pallet alone).
impl<AccountId, Balance: Copy + Default, BlockNumber> RewardPolicy<AccountId, Balance, BlockNumber>
	for ()
{
	fn split_escrow(
		terms: &SettlementTerms<Balance, BlockNumber>,
		_: &[(AccountId, Perbill)],
		_: &ValidationOutcome<AccountId>,
	) -> Payouts<AccountId, Balance> {
		Payouts { payouts: Vec::new(), refund: terms.reward, winners: 0 }
	}
	fn network_fee(_: BlockNumber, _: Balance) -> Balance {
		Balance::default()
	}
	fn note_work(_: &ValidationOutcome<AccountId>, _: bool, _: Balance) {}
	fn weight(_: u32, _: u32) -> Weight {
		Weight::zero()
	}
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
	/// A validator favouring or harming miners: scoring them far from consensus, round after
	/// round.
	Collusion,
	/// A solution committed sooner after publication than the work can take: it was computed
	/// before, or elsewhere.
	PreComputation,
}

/// The fraud detectors, run inside the task and validation flows. None of them slashes a
/// miner: a detector's flag only excludes (or groups) a solution; slashing a miner needs a
/// confirmed report.
pub trait FraudOracle<AccountId, BlockNumber> {
	/// The least blocks between a task's publication and a commitment, for `task_type`.
	fn min_solve_time(task_type: TaskType) -> BlockNumber;
	/// `miner` committed to `task_id` (of `task_type`) `elapsed` blocks after publication.
	/// Returns whether the commitment is flagged as pre-computation (its solution is then
	/// excluded and its bond forfeited).
	fn check_commit(
		task_id: TaskId,
		task_type: TaskType,
		miner: &AccountId,
		elapsed: BlockNumber,
	) -> bool;
	/// The chain's first plagiarism filter, when the reveal window of `task_id` closes: the
	/// pairs of `solutions` (by index) with the same hash or fingerprints within the
	/// threshold. They share one solution's reward; nobody is punished.
	fn similar_pairs(
		task_id: TaskId,
		solutions: &[RevealedSolution<AccountId, BlockNumber>],
	) -> Vec<(u32, u32)>;
	/// Whether `validator`'s scores, over the rounds it judged them, lean towards one of
	/// `miners`: a bias each round too small to flag, told from noise by repetition. Its
	/// scores then count for nothing and the round is flagged. `noise` is one standard
	/// deviation of the judges' honest noise on the task's type, in 1/256 points (0: not
	/// known), which the margin must clear.
	fn leaning(validator: &AccountId, miners: &[AccountId], noise: u32) -> bool;
	/// `validator` judged a round of `task_id`, and was `flagged` in it (a score further from
	/// the panel's median than the outlier margin, or leaning towards a miner), with
	/// `deviations`: per miner judged, its scores minus the consensus (quality and innovation
	/// added). Returns whether that made it a confirmed colluder (its stake slashed, its
	/// certifications withdrawn): only a validator flagged in a large share of many rounds is.
	fn note_judged(
		task_id: TaskId,
		validator: &AccountId,
		flagged: bool,
		deviations: &[(AccountId, i16)],
	) -> bool;
	/// The most [`FraudOracle::check_commit`] costs.
	fn commit_weight() -> Weight;
	/// The most [`FraudOracle::similar_pairs`] costs for `n` solutions.
	fn solutions_weight(n: u32) -> Weight;
	/// The most [`FraudOracle::note_judged`] costs (with [`FraudOracle::leaning`] asked of
	/// the validator once before).
	fn judged_weight() -> Weight;
}

/// Detects nothing.
impl<AccountId, BlockNumber: Default> FraudOracle<AccountId, BlockNumber> for () {
	fn min_solve_time(_: TaskType) -> BlockNumber {
		BlockNumber::default()
	}
	fn check_commit(_: TaskId, _: TaskType, _: &AccountId, _: BlockNumber) -> bool {
		false
	}
	fn similar_pairs(_: TaskId, _: &[RevealedSolution<AccountId, BlockNumber>]) -> Vec<(u32, u32)> {
		Vec::new()
	}
	fn leaning(_: &AccountId, _: &[AccountId], _: u32) -> bool {
		false
	}
	fn note_judged(_: TaskId, _: &AccountId, _: bool, _: &[(AccountId, i16)]) -> bool {
		false
	}
	fn commit_weight() -> Weight {
		Weight::zero()
	}
	fn solutions_weight(_: u32) -> Weight {
		Weight::zero()
	}
	fn judged_weight() -> Weight {
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
