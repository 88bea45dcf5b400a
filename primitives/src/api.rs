//! The `AiMiningApi` runtime API: read-only views of the AI-mining market for wallets,
//! explorers and the node's `aiMining_*` JSON-RPC methods.

use alloc::vec::Vec;
use codec::{Codec, Decode, Encode};
use scale_info::TypeInfo;
use sp_arithmetic::Perbill;
use sp_core::H256;

use crate::{
	mining::{MinerLevel, SolutionScore, SpecializationSet, TaskId, TaskType},
	traits::FraudKind,
};

/// Where a task is, without the blocks its phases keep.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub enum TaskState {
	/// Miners commit.
	Open,
	/// Miners reveal.
	Reveal,
	/// Validators score.
	Validating,
	/// A provisional result may be disputed.
	Provisional,
	/// An appeal panel scores again.
	Disputed,
	/// Paid out.
	Settled,
	/// Nobody solved it; refunded.
	Expired,
}

/// A task, as lists show it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct TaskSummary<AccountId, Balance, BlockNumber> {
	/// Its number.
	pub id: TaskId,
	/// Who published it.
	pub publisher: AccountId,
	/// Its kind.
	pub task_type: TaskType,
	/// The reward in escrow (or paid).
	pub reward: Balance,
	/// Where it is.
	pub state: TaskState,
	/// The first block in which commitments are refused.
	pub commit_end: BlockNumber,
	/// The first block in which reveals are refused.
	pub reveal_end: BlockNumber,
	/// Commitments made.
	pub commitments: u32,
	/// Solutions revealed.
	pub reveals: u32,
}

/// A miner's part in a task.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct SolutionView<AccountId, Balance, BlockNumber> {
	/// The miner.
	pub miner: AccountId,
	/// When it committed.
	pub committed_at: BlockNumber,
	/// The revealed solution's hash, once revealed.
	pub solution_hash: Option<H256>,
	/// Excluded by the fraud layer.
	pub flagged: bool,
	/// The final consensus on it, once settled.
	pub score: Option<SolutionScore>,
	/// What it was paid from the escrow.
	pub reward: Balance,
}

/// A task with its solutions and judging.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct TaskDetail<AccountId, Balance, BlockNumber> {
	/// The task.
	pub summary: TaskSummary<AccountId, Balance, BlockNumber>,
	/// Its solutions.
	pub solutions: Vec<SolutionView<AccountId, Balance, BlockNumber>>,
	/// The panel scoring it now, while it is judged.
	pub panel: Vec<AccountId>,
	/// The provisional consensus, per solver in judging order, while it may be disputed.
	pub provisional: Vec<(AccountId, SolutionScore)>,
}

/// A miner's standing.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct MinerProfile<Balance, BlockNumber> {
	/// What it mines.
	pub specializations: SpecializationSet,
	/// Its stake.
	pub bond: Balance,
	/// What it is withdrawing.
	pub unlocking: Balance,
	/// Its level.
	pub level: MinerLevel,
	/// Its weighted reputation.
	pub reputation: Perbill,
	/// Per dimension: completion, quality, validation accuracy, peer review, innovation.
	pub dimensions: [Perbill; 5],
	/// Until when it is banned, if it is.
	pub banned_until: Option<BlockNumber>,
}

/// A validator's standing.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct ValidatorProfile<Balance> {
	/// What it applied for.
	pub specializations: SpecializationSet,
	/// What it is certified for.
	pub certified: SpecializationSet,
	/// Its bond.
	pub bond: Balance,
	/// What it is withdrawing.
	pub unbonding: Balance,
	/// Panels it sits on that have not tallied.
	pub active_panels: u32,
	/// Its weighted reputation (validation accuracy is one dimension).
	pub reputation: Perbill,
}

/// What the fraud layer holds against an account.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct FraudRecord {
	/// Flags so far.
	pub offences: u32,
	/// Kinds of the reports pending against it.
	pub pending_reports: Vec<FraudKind>,
}

/// An account's whole profile.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Profile<Balance, BlockNumber> {
	/// As a miner.
	pub miner: Option<MinerProfile<Balance, BlockNumber>>,
	/// As a validator.
	pub validator: Option<ValidatorProfile<Balance>>,
	/// Its fraud record.
	pub fraud: FraudRecord,
}

/// An emission share not yet claimed.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct PendingReward<Balance> {
	/// The era.
	pub era: u32,
	/// What a claim would pay now.
	pub amount: Balance,
	/// Whether the era is over (claimable).
	pub claimable: bool,
}

sp_api::decl_runtime_apis! {
	/// The chain's randomness, for the node that signs and checks block authors' VRFs
	/// (`crate::vrf`).
	pub trait RandomnessApi {
		/// The randomness a block built on this state signs its VRF over; `None` while the
		/// runtime asks for no VRF (a chain upgraded into it, before its first such block).
		fn vrf_randomness() -> Option<H256>;
	}

	/// Views of the AI-mining market.
	pub trait AiMiningApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// Up to `limit` (at most 100) tasks from id `from` on, in `state` if given, looking at
		/// no more than 1 000 ids (page with `from`).
		fn tasks(state: Option<TaskState>, from: TaskId, limit: u32)
			-> Vec<TaskSummary<AccountId, Balance, BlockNumber>>;
		/// A task with its solutions and judging.
		fn task(id: TaskId) -> Option<TaskDetail<AccountId, Balance, BlockNumber>>;
		/// An account as miner, validator and in the fraud layer's eyes.
		fn profile(who: AccountId) -> Profile<Balance, BlockNumber>;
		/// Emission shares `who` has not claimed, in the last 1 000 eras.
		fn pending_rewards(who: AccountId) -> Vec<PendingReward<Balance>>;
	}
}

/// [`RandomnessApi`]'s id in a runtime version's API list: a node that finds it there signs
/// and checks a VRF in every block.
#[cfg(feature = "std")]
pub const RANDOMNESS_API_ID: [u8; 8] =
	<dyn RandomnessApi<crate::opaque::Block> as sp_api::RuntimeApiInfo>::ID;
