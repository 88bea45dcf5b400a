//! The pallet's stored types.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt::Debug;
use frame_support::{traits::Get, BoundedVec, CloneNoBound, DebugNoBound, PartialEqNoBound};
use scale_info::TypeInfo;
use sp_runtime::Perbill;
use tos_primitives::{SolutionScore, SpecializationSet, TaskType};

/// A validator.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct ValidatorInfo<Balance, BlockNumber> {
	/// What it applied to validate.
	pub specializations: SpecializationSet,
	/// What governance certified it for (a subset of `specializations`).
	pub certified: SpecializationSet,
	/// The bond at stake.
	pub bond: Balance,
	/// Bond being withdrawn, and from when it may be.
	pub unbonding: Option<(Balance, BlockNumber)>,
}

/// The judging rules, changeable by governance.
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
pub struct ValidationParams<Balance, BlockNumber> {
	/// Scores further than this from the weighted median are clipped to it (points, ≤ 100).
	pub clip_band: u8,
	/// The share of its bond a panel member loses for not revealing.
	pub non_reveal_slash: Perbill,
	/// Blocks after the provisional result in which it may be disputed.
	pub dispute_blocks: BlockNumber,
	/// The bond a dispute holds.
	pub dispute_bond: Balance,
	/// An appeal that moves some consensus score by more than this (points) overturns the
	/// provisional result, and the disputer gets its bond back.
	pub overturn_margin: u8,
}

impl<Balance, BlockNumber: sp_runtime::traits::Zero> ValidationParams<Balance, BlockNumber> {
	/// Checks the rules' bounds: scores are 0–100 and disputes need a window.
	pub fn is_valid(&self) -> bool {
		self.clip_band <= 100 && self.overturn_margin <= 100 && !self.dispute_blocks.is_zero()
	}
}

/// Where a task's judging is.
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
pub enum RoundPhase<BlockNumber> {
	/// Panel members commit to scores, until `until`.
	Commit {
		/// The first block in which commitments are refused.
		until: BlockNumber,
	},
	/// Panel members reveal their scores, until `until`.
	Reveal {
		/// The first block in which reveals are refused.
		until: BlockNumber,
	},
	/// The result is provisional; it may be disputed until `until`.
	Provisional {
		/// The first block in which disputes are refused.
		until: BlockNumber,
	},
}

/// A dispute: who opened it, its bond, and the first panel's part.
#[derive(CloneNoBound, PartialEqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxPanel, MaxSolutions))]
// the bounds the no-bound derives need sit on the parameters; codec adds its own
#[allow(clippy::multiple_bound_locations)]
pub struct Appeal<
	AccountId: Clone + PartialEq + Debug,
	Balance: Clone + PartialEq + Debug,
	MaxPanel: Get<u32>,
	MaxSolutions: Get<u32>,
> {
	/// Who disputed.
	pub disputer: AccountId,
	/// The bond held from it.
	pub bond: Balance,
	/// The first panel and its members' weights.
	pub first_panel: BoundedVec<(AccountId, u128), MaxPanel>,
	/// The first panel's (provisional) consensus.
	pub first_result: BoundedVec<SolutionScore, MaxSolutions>,
}

/// A task being judged.
#[derive(CloneNoBound, PartialEqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxPanel, MaxSolutions))]
// the bounds the no-bound derives need sit on the parameters; codec adds its own
#[allow(clippy::multiple_bound_locations)]
pub struct Round<
	AccountId: Clone + PartialEq + Debug,
	Balance: Clone + PartialEq + Debug,
	BlockNumber: Clone + PartialEq + Debug,
	MaxPanel: Get<u32>,
	MaxSolutions: Get<u32>,
> {
	/// The task's kind.
	pub task_type: TaskType,
	/// Who published the task.
	pub publisher: AccountId,
	/// The miners with revealed solutions, in the order scores are given.
	pub solvers: BoundedVec<AccountId, MaxSolutions>,
	/// The panel now scoring, with each member's weight when drawn.
	pub panel: BoundedVec<(AccountId, u128), MaxPanel>,
	/// The length of the commit window and of the reveal window.
	pub window: BlockNumber,
	/// Where judging is.
	pub phase: RoundPhase<BlockNumber>,
	/// The provisional consensus, once there is one.
	pub result: BoundedVec<SolutionScore, MaxSolutions>,
	/// The dispute, if one was opened.
	pub appeal: Option<Appeal<AccountId, Balance, MaxPanel, MaxSolutions>>,
}
