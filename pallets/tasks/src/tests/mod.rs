//! The market's behaviour: each call with its errors (a file per call), each phase change,
//! paging of deadlines, settlement, the storage migration, and a property test that money is
//! conserved and holds always match storage. The helpers below are shared by every file.

use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold, BoundedVec};
use sp_core::H256;
use sp_runtime::{DispatchError, Perbill};
use tos_primitives::{
	Fingerprint, Ineligible, JudgedSolution, ReputationDimension, RevealedSalts, Score,
	SolutionFate, SolutionScore, TaskPhases, TaskType, ValidationOutcome, ValidatorResult,
};

use crate::{
	commitment_of, mock::*, CommitmentHashes, Commitments, Deadlines, Error, Event, Forfeit,
	HoldReason, Ratings, TaskSpec, TaskStatus, Tasks as TaskStore, Unvested,
};

fn held(reason: HoldReason, who: u64) -> u64 {
	Balances::balance_on_hold(&reason.into(), &who)
}

fn publish() -> u64 {
	let id = crate::NextTaskId::<Test>::get();
	assert_ok!(Tasks::publish_task(RuntimeOrigin::signed(PUBLISHER), spec()));
	events();
	id
}

fn solution(miner: u64) -> H256 {
	H256::repeat_byte(miner as u8)
}

fn fingerprint(miner: u64) -> Fingerprint {
	Fingerprint([miner as u8; 32])
}

fn salt(miner: u64) -> H256 {
	H256::repeat_byte(0x50 + miner as u8)
}

fn commit(task: u64, miner: u64) {
	let hash = commitment_of(&solution(miner), &fingerprint(miner), &salt(miner), &miner);
	assert_ok!(Tasks::commit_solution(RuntimeOrigin::signed(miner), task, hash));
	events();
}

fn reveal(task: u64, miner: u64) -> sp_runtime::DispatchResult {
	Tasks::reveal_solution(
		RuntimeOrigin::signed(miner),
		task,
		solution(miner),
		salt(miner),
		Fingerprint([miner as u8; 32]),
		BoundedVec::truncate_from(b"sol".to_vec()),
	)
}

fn status(task: u64) -> TaskStatus<u64> {
	TaskStore::<Test>::get(task).unwrap().status
}

/// An outcome nobody judged (the council let its deadline pass).
fn unjudged(miners: &[u64]) -> ValidationOutcome<u64> {
	ValidationOutcome {
		solutions: miners
			.iter()
			.enumerate()
			.map(|(i, m)| JudgedSolution {
				miner: *m,
				score: Default::default(),
				fate: SolutionFate::Judged { group: i as u32 },
			})
			.collect(),
		validators: vec![],
		judged: false,
	}
}

fn sc(quality: u8, innovation: u8) -> SolutionScore {
	SolutionScore {
		quality: Score::new(quality).unwrap(),
		innovation: Score::new(innovation).unwrap(),
	}
}

mod cancel_task;
mod commit_solution;
mod fraud;
mod migrations;
mod phases;
mod properties;
mod publish_task;
mod rate_solution;
mod reveal_solution;
mod set_params;
mod settlement;
