//! The pallet's stored types.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::fmt::Debug;
use frame_support::{
	pallet_prelude::ConstU32, traits::Get, BoundedVec, CloneNoBound, DebugNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;
use sp_runtime::{traits::Zero, Perbill};
use tos_primitives::{Score, SolutionFate, SolutionScore, SpecializationSet, TaskType};

/// Everyone drawn for one task, over all its panels, is never drawn for it again: a first
/// panel of at most 10 refilled once, an appeal of at most 21 refilled once.
pub const MAX_SEATED: u32 = 64;
/// The bound of [`Round::seated`] and [`Round::unpaid`].
pub type MaxSeated = ConstU32<MAX_SEATED>;
/// The most honeypots one task may carry.
pub const MAX_HONEYPOTS: u32 = 4;
/// The bound of [`Round::honeypots`].
pub type MaxHoneypots = ConstU32<MAX_HONEYPOTS>;

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

/// One validator's judgement of one solution: its scores, and its verdicts on the content.
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
pub struct Judgement {
	/// How well it solves the task, 0–100.
	pub quality: Score,
	/// How new its approach is, 0–100.
	pub innovation: Score,
	/// Whether the fingerprint the miner revealed is the content's, under
	/// `tos_primitives::fingerprint` (TOS-SimHash-256 v1) — recomputed from the content the
	/// solution's hash names.
	pub fingerprint_ok: bool,
	/// The index of another solution of the task this one is a copy of, by content
	/// (identical, or within the documented near-duplicate distance of recomputed
	/// fingerprints), if it is one.
	pub copy_of: Option<u32>,
}

impl Judgement {
	/// A judgement of a solution's scores alone: the fingerprint fine, a copy of nothing.
	pub fn scores(score: SolutionScore) -> Self {
		Self {
			quality: score.quality,
			innovation: score.innovation,
			fingerprint_ok: true,
			copy_of: None,
		}
	}

	/// The scores.
	pub fn score(&self) -> SolutionScore {
		SolutionScore { quality: self.quality, innovation: self.innovation }
	}

	/// Whether a judgement of solution `index` of `solutions` is well formed: scores within
	/// 0–100, a copy of another solution that exists.
	pub fn is_valid(&self, index: usize, solutions: usize) -> bool {
		self.quality.is_valid()
			&& self.innovation.is_valid()
			&& self.copy_of.is_none_or(|j| (j as usize) < solutions && j as usize != index)
	}
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
	/// Scores further than this from the weighted median are clipped to it (points, ≤ 100),
	/// and a validator's accuracy on a score falls to zero at this distance.
	pub clip_band: u8,
	/// A score further than this from the panel's weighted median, on any solution and axis,
	/// flags its validator for the round: unpaid, its scores set aside (≤ the clip band).
	pub outlier_margin: u8,
	/// The share of its bond a panel member loses for not revealing.
	pub non_reveal_slash: Perbill,
	/// The share of its bond a member loses for scoring a honeypot further than twice the
	/// clip band from its known quality.
	pub honeypot_slash: Perbill,
	/// The share of its bond a first-panel member loses when an appeal overturns the result
	/// and its scores lay further than twice the clip band from the final one (it pays the
	/// appeal).
	pub overturn_slash: Perbill,
	/// Blocks after the provisional result in which it may be disputed.
	pub dispute_blocks: BlockNumber,
	/// The least bond a dispute holds…
	pub min_dispute_bond: Balance,
	/// …or this share of the task's reward, if more.
	pub dispute_bond_share: Perbill,
	/// An appeal that moves some consensus score by more than this (points) overturns the
	/// provisional result, and the disputer gets its bond back.
	pub overturn_margin: u8,
	/// The fewest distinct validators a panel needs; with fewer, the council judges.
	pub min_panel: u32,
	/// The largest share of a panel's weight one seat may carry (at least an equal share).
	pub max_seat_share: Perbill,
	/// A validator's bond counts towards its weight up to this much.
	pub stake_cap: Balance,
	/// A seat on a task's panel needs a bond of at least this share of the task's reward.
	pub seat_bond_share: Perbill,
	/// Blocks the council has to judge a task referred to it.
	pub council_blocks: BlockNumber,
	/// How many times a panel too few of whose members revealed is refilled before the
	/// council is asked.
	pub max_redraws: u8,
}

impl<Balance: Zero, BlockNumber: Zero> ValidationParams<Balance, BlockNumber> {
	/// Checks the rules' bounds: scores are 0–100, the outlier margin within the clip band,
	/// windows and panels non-empty, weight caps positive.
	pub fn is_valid(&self) -> bool {
		self.clip_band <= 100
			&& self.outlier_margin <= self.clip_band
			&& self.overturn_margin <= 100
			&& !self.dispute_blocks.is_zero()
			&& !self.council_blocks.is_zero()
			&& self.min_panel > 0
			&& !self.max_seat_share.is_zero()
			&& !self.stake_cap.is_zero()
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
	/// Members are drawn at `at`, with randomness fixed after the draw was asked for (an
	/// appeal, or a refill).
	Draw {
		/// The block of the draw.
		at: BlockNumber,
	},
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
	/// No panel could judge: the council judges, until `until`.
	Council {
		/// The council's deadline.
		until: BlockNumber,
	},
}

/// A private draw open for a task's panel (see [`crate::panel`]).
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
pub struct Draw {
	/// The runtime's randomness for this draw, fixed when it opened.
	pub seed: [u8; 32],
	/// The weight the seats are drawn over: every validator who could sit when it opened,
	/// less the heaviest, made certain of a seat (`Pallet::thresholds`).
	pub eligible: u128,
	/// The seats drawn over `eligible`: each validator's chance is `seats × weight /
	/// eligible`, at most 1. With the certain ones, the draw expects the seats asked for.
	pub seats: u32,
	/// Whether it draws an appeal panel.
	pub appeal: bool,
	/// Which draw of that panel it is (0 first, then each refill).
	pub attempt: u8,
}

impl Draw {
	/// What a validator signs to find its ticket (`tos_primitives::sortition::message`).
	pub fn message(&self, task_id: tos_primitives::TaskId) -> alloc::vec::Vec<u8> {
		tos_primitives::sortition::message(&self.seed, task_id, self.appeal, self.attempt)
	}
}

/// A provisional result: the consensus and what it decided about each solution.
#[derive(CloneNoBound, PartialEqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxSolutions))]
pub struct Provisional<MaxSolutions: Get<u32>> {
	/// The consensus per solution.
	pub result: BoundedVec<SolutionScore, MaxSolutions>,
	/// Each solution's fate.
	pub fates: BoundedVec<SolutionFate, MaxSolutions>,
}

/// A dispute: who opened it, its bond, and the first panel's judges.
#[derive(CloneNoBound, PartialEqNoBound, DebugNoBound, Encode, Decode, MaxEncodedLen, TypeInfo)]
#[scale_info(skip_type_params(MaxPanel))]
// the bounds the no-bound derives need sit on the parameters; codec adds its own
#[allow(clippy::multiple_bound_locations)]
pub struct Appeal<
	AccountId: Clone + PartialEq + Debug,
	Balance: Clone + PartialEq + Debug,
	MaxPanel: Get<u32>,
> {
	/// Who disputed.
	pub disputer: AccountId,
	/// The bond held from it.
	pub bond: Balance,
	/// The first panel's members who revealed, with their seat weights: they are paid from
	/// the escrow, by their accuracy against the final result.
	pub first_judges: BoundedVec<(AccountId, u128), MaxPanel>,
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
	/// The reward at stake (seats and dispute bonds scale with it).
	pub reward: Balance,
	/// The miners with revealed solutions, in the order scores are given.
	pub solvers: BoundedVec<AccountId, MaxSolutions>,
	/// Per solution, the first solution of its group of copies by the chain's first filter.
	pub groups: BoundedVec<u32, MaxSolutions>,
	/// How many validators the panel now judging should have.
	pub size: u32,
	/// The panel now judging, with each member's seat weight.
	pub panel: BoundedVec<(AccountId, u128), MaxPanel>,
	/// Everyone drawn for this task so far (never drawn for it again).
	pub seated: BoundedVec<AccountId, MaxSeated>,
	/// Members flagged in a round, or who missed a honeypot: not paid for this task.
	pub unpaid: BoundedVec<AccountId, MaxSeated>,
	/// The length of the commit window and of the reveal window.
	pub window: BlockNumber,
	/// Where judging is.
	pub phase: RoundPhase<BlockNumber>,
	/// Refills of the panel now judging.
	pub redraws: u8,
	/// Declared honeypots: a solution's index and its known quality.
	pub honeypots: BoundedVec<(u32, SolutionScore), MaxHoneypots>,
	/// The first panel's result, once there is one.
	pub provisional: Option<Provisional<MaxSolutions>>,
	/// The dispute, if one was opened.
	pub appeal: Option<Appeal<AccountId, Balance, MaxPanel>>,
}

impl<
		AccountId: Clone + PartialEq + Debug,
		Balance: Clone + PartialEq + Debug,
		BlockNumber: Clone + PartialEq + Debug,
		MaxPanel: Get<u32>,
		MaxSolutions: Get<u32>,
	> Round<AccountId, Balance, BlockNumber, MaxPanel, MaxSolutions>
{
	/// Whether solution `index` is a declared honeypot.
	pub fn is_honeypot(&self, index: u32) -> bool {
		self.honeypots.iter().any(|(i, _)| *i == index)
	}

	/// Whether `who` sits on the panel now judging.
	pub fn on_panel(&self, who: &AccountId) -> bool {
		self.panel.iter().any(|(v, _)| v == who)
	}
}
