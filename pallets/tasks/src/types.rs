//! The pallet's stored types.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt::Debug;
use frame_support::{traits::Get, BoundedVec, CloneNoBound, DebugNoBound, PartialEqNoBound};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::Perbill;
use tos_primitives::{Fingerprint, MinerLevel, Score, SolutionScore, TaskType};

/// Where a task is in its life. Phases move by block number (the pallet's `on_initialize`),
/// never by waiting for a user.
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
pub enum TaskStatus<BlockNumber> {
	/// Miners may commit, until `commit_end`.
	Open,
	/// Miners who committed may reveal, until `reveal_end`.
	Reveal,
	/// The revealed solutions are with the validators.
	Validating,
	/// Validators have a provisional result; disputes may be opened.
	Provisional,
	/// Rewards are paid; the publisher may rate solutions.
	Settled {
		/// When, for the retention period.
		at: BlockNumber,
	},
	/// Under dispute.
	Disputed,
	/// No solution was revealed: the publisher was refunded less the network fee.
	Expired {
		/// When, for the retention period.
		at: BlockNumber,
	},
}

impl<BlockNumber> TaskStatus<BlockNumber> {
	/// Whether the reward is still held in escrow.
	pub fn escrow_held(&self) -> bool {
		matches!(
			self,
			Self::Open | Self::Reveal | Self::Validating | Self::Provisional | Self::Disputed
		)
	}
}

/// What a publisher asks for when publishing.
#[derive(
	CloneNoBound, PartialEqNoBound, DebugNoBound, Encode, Decode, DecodeWithMemTracking, TypeInfo,
)]
#[scale_info(skip_type_params(MaxUriLen))]
// the bounds the no-bound derives need sit on the parameters; codec adds its own
#[allow(clippy::multiple_bound_locations)]
pub struct TaskSpec<
	Balance: Clone + PartialEq + Debug,
	BlockNumber: Clone + PartialEq + Debug,
	MaxUriLen: Get<u32>,
> {
	/// The kind of work (and the specialization a miner needs).
	pub task_type: TaskType,
	/// The hash of the off-chain specification.
	pub content_hash: H256,
	/// Where the specification is (bounded).
	pub uri: BoundedVec<u8, MaxUriLen>,
	/// The reward held in escrow.
	pub reward: Balance,
	/// Blocks miners may commit for.
	pub commit_blocks: BlockNumber,
	/// Blocks miners may reveal for, after the commit window.
	pub reveal_blocks: BlockNumber,
	/// Blocks the validators have, after the reveal window.
	pub validation_blocks: BlockNumber,
	/// The most solutions accepted.
	pub max_solutions: u32,
	/// The least level a miner needs.
	pub min_level: MinerLevel,
	/// How many validators judge.
	pub panel_size: u32,
	/// The quality a winning solution needs.
	pub quality_threshold: Score,
}

/// A published task.
#[derive(CloneNoBound, PartialEqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxUriLen))]
// the bounds the no-bound derives need sit on the parameters; codec adds its own
#[allow(clippy::multiple_bound_locations)]
pub struct TaskInfo<
	AccountId: Clone + PartialEq + Debug,
	Balance: Clone + PartialEq + Debug,
	BlockNumber: Clone + PartialEq + Debug,
	MaxUriLen: Get<u32>,
> {
	/// Who published it (and holds the escrow and deposit).
	pub publisher: AccountId,
	/// The kind of work.
	pub task_type: TaskType,
	/// The hash of the off-chain specification.
	pub content_hash: H256,
	/// Where the specification is.
	pub uri: BoundedVec<u8, MaxUriLen>,
	/// The reward in escrow.
	pub reward: Balance,
	/// The storage deposit held from the publisher.
	pub deposit: Balance,
	/// When it was published.
	pub published_at: BlockNumber,
	/// The first block in which commitments are refused.
	pub commit_end: BlockNumber,
	/// The first block in which reveals are refused.
	pub reveal_end: BlockNumber,
	/// Blocks the validators have.
	pub validation_blocks: BlockNumber,
	/// The most solutions accepted.
	pub max_solutions: u32,
	/// The least level a miner needs.
	pub min_level: MinerLevel,
	/// How many validators judge.
	pub panel_size: u32,
	/// The quality a winning solution needs.
	pub quality_threshold: Score,
	/// The first block a commitment may come in without being flagged as pre-computation
	/// (publication plus the task type's minimum solve time): earliness counts from here.
	pub earliest_commit: BlockNumber,
	/// The bond each commitment holds (a share of the reward, fixed at publication).
	pub submission_bond: Balance,
	/// Where it is in its life.
	pub status: TaskStatus<BlockNumber>,
	/// Commitments made.
	pub commitments: u32,
	/// Solutions revealed.
	pub reveals: u32,
}

impl<
		AccountId: Clone + PartialEq + Debug,
		Balance: Clone + PartialEq + Debug,
		BlockNumber: Clone + PartialEq + Debug,
		MaxUriLen: Get<u32>,
	> TaskInfo<AccountId, Balance, BlockNumber, MaxUriLen>
{
	/// Whether validators are judging it (its escrow waits for their result).
	pub fn is_judging(&self) -> bool {
		matches!(
			self.status,
			TaskStatus::Validating | TaskStatus::Provisional | TaskStatus::Disputed
		)
	}
}

/// A revealed solution.
#[derive(CloneNoBound, PartialEqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxUriLen))]
pub struct Solution<MaxUriLen: Get<u32>> {
	/// The hash of the solution itself (off chain).
	pub solution_hash: H256,
	/// Its similarity sketch (TOS-SimHash-256, `tos_primitives::fingerprint`).
	pub fingerprint: Fingerprint,
	/// The commitment's salt (a honeypot's binds its known quality).
	pub salt: H256,
	/// Where it is.
	pub uri: BoundedVec<u8, MaxUriLen>,
}

/// A miner's commitment to a task.
#[derive(CloneNoBound, PartialEqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxUriLen))]
// the bounds the no-bound derives need sit on the parameters; codec adds its own
#[allow(clippy::multiple_bound_locations)]
pub struct Commitment<
	Balance: Clone + PartialEq + Debug,
	BlockNumber: Clone + PartialEq + Debug,
	MaxUriLen: Get<u32>,
> {
	/// `BlakeTwo256(solution_hash ‖ fingerprint ‖ salt ‖ miner)`.
	pub hash: H256,
	/// When it was made (earlier is better for time efficiency).
	pub committed_at: BlockNumber,
	/// The bond held from the miner (zero once forfeited).
	pub bond: Balance,
	/// The solution, once revealed.
	pub solution: Option<Solution<MaxUriLen>>,
	/// Flagged as pre-computation by the fraud layer: excluded from judging and rewards.
	pub flagged: bool,
	/// The final consensus on the solution, once settled.
	pub score: Option<SolutionScore>,
	/// What the miner was paid from the escrow.
	pub reward: Balance,
}

/// Why a miner's submission bond went to the treasury.
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
pub enum Forfeit {
	/// The commitment was never revealed.
	NotRevealed,
	/// It was committed sooner after publication than the task type's minimum solve time.
	PreComputation,
	/// Its revealed fingerprint is not its content's.
	FalseFingerprint,
	/// The panel judged it below the market's minimum quality: junk that held a slot.
	BelowMinimumQuality,
}

/// The market's rules, changeable by governance.
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
pub struct TaskParams<Balance, BlockNumber> {
	/// The shortest commit, reveal or validation window.
	pub min_window: BlockNumber,
	/// The longest commit, reveal or validation window.
	pub max_window: BlockNumber,
	/// The least reward.
	pub min_reward: Balance,
	/// The least bond a miner puts up per commitment…
	pub min_submission_bond: Balance,
	/// …or this share of the task's reward, if more: what a solution stands to win, it
	/// stakes a part of.
	pub submission_bond_share: Perbill,
	/// A judged solution scoring below this quality forfeits its bond.
	pub junk_quality: Score,
	/// Rewards from which a task needs a Skilled, Expert and Master miner (ascending): a new
	/// identity starts a Novice, so fresh accounts cannot take the richest tasks.
	pub reward_levels: [Balance; 3],
	/// The storage deposit per task.
	pub task_deposit: Balance,
	/// The storage deposit per byte of the task's URI.
	pub deposit_per_byte: Balance,
	/// How long a finished task stays readable before it is cleaned up.
	pub retention: BlockNumber,
	/// The largest validator panel.
	pub max_panel: u32,
}

/// Why parameters were refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum InvalidParams {
	/// Windows must be at least one block and `min_window ≤ max_window`.
	Windows,
	/// Panels need at least one validator.
	Panel,
	/// The reward levels must ascend; the junk quality be a score.
	Levels,
}

impl<Balance: PartialOrd, BlockNumber: PartialOrd + sp_runtime::traits::Zero>
	TaskParams<Balance, BlockNumber>
{
	/// Checks the rules' bounds.
	pub fn validate(&self) -> Result<(), InvalidParams> {
		if self.min_window.is_zero() || self.min_window > self.max_window {
			return Err(InvalidParams::Windows);
		}
		if self.max_panel == 0 {
			return Err(InvalidParams::Panel);
		}
		let [skilled, expert, master] = &self.reward_levels;
		if !(skilled <= expert && expert <= master && self.junk_quality.is_valid()) {
			return Err(InvalidParams::Levels);
		}
		Ok(())
	}

	/// The least level a task with `reward` needs.
	pub fn level_for(&self, reward: &Balance) -> MinerLevel {
		MinerLevel::reached(reward, &self.reward_levels)
	}
}
