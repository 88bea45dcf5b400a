//! The `AiMiningApi` views, read from the AI-mining pallets' storage (served by `apis.rs`).

use alloc::vec::Vec;
use tos_primitives::{
	api::{
		FraudRecord, MinerProfile, PendingReward, Profile, SolutionView, TaskDetail, TaskState,
		TaskSummary, ValidatorProfile,
	},
	TaskId,
};

use crate::{AccountId, Balance, BlockNumber, Runtime};

type TaskInfo = pallet_tos_tasks::TaskInfoOf<Runtime>;

/// The most task ids or reports one call looks at.
const SCAN_LIMIT: u64 = 1_000;

fn state_of(status: &pallet_tos_tasks::TaskStatus<BlockNumber>) -> TaskState {
	use pallet_tos_tasks::TaskStatus::*;
	match status {
		Open => TaskState::Open,
		Reveal => TaskState::Reveal,
		Validating => TaskState::Validating,
		Provisional => TaskState::Provisional,
		Disputed => TaskState::Disputed,
		Settled { .. } => TaskState::Settled,
		Expired { .. } => TaskState::Expired,
	}
}

fn summary(id: TaskId, task: &TaskInfo) -> TaskSummary<AccountId, Balance, BlockNumber> {
	TaskSummary {
		id,
		publisher: task.publisher.clone(),
		task_type: task.task_type,
		reward: task.reward,
		state: state_of(&task.status),
		commit_end: task.commit_end,
		reveal_end: task.reveal_end,
		commitments: task.commitments,
		reveals: task.reveals,
	}
}

/// Up to `limit` (at most 100) tasks from `from` on, in `state` if given. At most 1 000 ids
/// are looked at per call (ids of removed tasks count): page with `from`.
pub fn tasks(
	state: Option<TaskState>,
	from: TaskId,
	limit: u32,
) -> Vec<TaskSummary<AccountId, Balance, BlockNumber>> {
	let next = pallet_tos_tasks::NextTaskId::<Runtime>::get();
	(from..next.min(from.saturating_add(SCAN_LIMIT)))
		.filter_map(|id| pallet_tos_tasks::Tasks::<Runtime>::get(id).map(|t| summary(id, &t)))
		.filter(|t| state.is_none_or(|s| t.state == s))
		.take(limit.min(100) as usize)
		.collect()
}

/// A task with its solutions and judging.
pub fn task(id: TaskId) -> Option<TaskDetail<AccountId, Balance, BlockNumber>> {
	let task = pallet_tos_tasks::Tasks::<Runtime>::get(id)?;
	let solutions = pallet_tos_tasks::Commitments::<Runtime>::iter_prefix(id)
		.map(|(miner, c)| SolutionView {
			miner,
			committed_at: c.committed_at,
			solution_hash: c.solution.map(|s| s.solution_hash),
			flagged: c.flagged,
			score: c.score,
			reward: c.reward,
		})
		.collect();
	let round = pallet_tos_validation_voting::Rounds::<Runtime>::get(id);
	let panel = round
		.as_ref()
		.map(|r| r.panel.iter().map(|(v, _)| v.clone()).collect())
		.unwrap_or_default();
	let provisional = round
		.and_then(|r| {
			r.provisional.map(|p| r.solvers.iter().cloned().zip(p.result.iter().copied()).collect())
		})
		.unwrap_or_default();
	Some(TaskDetail { summary: summary(id, &task), solutions, panel, provisional })
}

/// An account as miner, validator and in the fraud layer's eyes.
pub fn profile(who: AccountId) -> Profile<Balance, BlockNumber> {
	use crate::MinerReputation;
	let reputation = MinerReputation::reputation_of(&who);
	let miner = pallet_tos_miner_reputation::Miners::<Runtime>::get(&who).map(|m| MinerProfile {
		specializations: m.specializations,
		bond: m.bond,
		unlocking: m.unlocking.iter().map(|c| c.value).sum(),
		level: MinerReputation::level_of(&who),
		reputation: reputation.score,
		dimensions: reputation.dimensions,
		banned_until: m.banned_until,
	});
	let validator =
		pallet_tos_validation_voting::Validators::<Runtime>::get(&who).map(|v| ValidatorProfile {
			specializations: v.specializations,
			certified: v.certified,
			bond: v.bond,
			unbonding: v.unbonding.map(|(a, _)| a).unwrap_or_default(),
			active_panels: pallet_tos_validation_voting::ActivePanels::<Runtime>::get(&who)
				.unwrap_or_default(),
			reputation: reputation.score,
		});
	// reports are bonded, so few; still, at most the first 1 000 are looked at
	let pending_reports = pallet_tos_fraud_flags::Reports::<Runtime>::iter_values()
		.take(SCAN_LIMIT as usize)
		.filter(|r| r.target == who)
		.map(|r| r.kind)
		.collect();
	let fraud = FraudRecord {
		offences: pallet_tos_fraud_flags::Offences::<Runtime>::get(&who),
		pending_reports,
	};
	Profile { miner, validator, fraud }
}

/// Emission shares `who` has not claimed in the last 1 000 eras, with what a claim would pay.
pub fn pending_rewards(who: AccountId) -> Vec<PendingReward<Balance>> {
	use pallet_tos_rewards::Pallet as Rewards;
	let current = Rewards::<Runtime>::era_of(frame_system::Pallet::<Runtime>::block_number());
	(current.saturating_sub(1_000)..=current)
		.filter_map(|era| {
			let points = pallet_tos_rewards::EraPoints::<Runtime>::get(era, &who)?;
			let amount = Rewards::<Runtime>::era_share(era, points);
			Some(PendingReward { era, amount, claimable: era < current })
		})
		.collect()
}
