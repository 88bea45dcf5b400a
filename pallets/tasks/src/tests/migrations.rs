//! The storage migration to version 1, with tasks in flight.

use super::*;

#[test]
fn the_v1_migration_keeps_tasks_in_flight_and_indexes_their_commitments() {
	use crate::migrations::v1;
	use codec::Encode;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	build_and_execute(|| {
		StorageVersion::new(0).put::<Tasks>();
		v1::old::Params::<Test>::put(v1::OldParams {
			min_window: 2,
			max_window: 50,
			min_reward: 10,
			submission_bond: 7,
			task_deposit: 3,
			deposit_per_byte: 1,
			network_fee: Perbill::from_percent(10),
			retention: 20,
			max_panel: 5,
		});
		let old_task = v1::OldTaskInfo::<u64, u64, u64> {
			publisher: PUBLISHER,
			task_type: TaskType::CodeGeneration,
			content_hash: H256::repeat_byte(1),
			uri: b"ipfs".to_vec(),
			reward: 1_000,
			deposit: 7,
			published_at: 1,
			commit_end: 11,
			reveal_end: 16,
			validation_blocks: 5,
			max_solutions: 3,
			min_level: tos_primitives::MinerLevel::Novice,
			panel_size: 3,
			quality_threshold: Score::new(60).unwrap(),
			status: TaskStatus::Reveal,
			commitments: 1,
			reveals: 1,
		};
		let old_commitment = v1::OldCommitment::<u64, u64> {
			hash: H256::repeat_byte(2),
			committed_at: 3,
			bond: 7,
			solution: Some(v1::OldSolution {
				solution_hash: H256::repeat_byte(3),
				fingerprint: Fingerprint([4; 32]),
				uri: b"sol".to_vec(),
			}),
			flagged: false,
			score: None,
			reward: 0,
		};
		sp_io::storage::set(&TaskStore::<Test>::hashed_key_for(0), &old_task.encode());
		sp_io::storage::set(
			&Commitments::<Test>::hashed_key_for(0, MINER_A),
			&old_commitment.encode(),
		);
		// the chain holds what the old storage says
		use frame_support::traits::fungible::MutateHold;
		assert_ok!(Balances::hold(&HoldReason::TaskEscrow.into(), &PUBLISHER, 1_000));
		assert_ok!(Balances::hold(&HoldReason::TaskDeposit.into(), &PUBLISHER, 7));
		assert_ok!(Balances::hold(&HoldReason::SubmissionBond.into(), &MINER_A, 7));
		Deadlines::<Test>::insert(16, 0, ());

		v1::MigrateToV1::<Test>::on_runtime_upgrade();

		assert_eq!(Tasks::on_chain_storage_version(), StorageVersion::new(1));
		let params = crate::Params::<Test>::get().unwrap();
		assert_eq!((params.min_submission_bond, params.retention), (7, 20));
		let task = TaskStore::<Test>::get(0).unwrap();
		assert_eq!(
			(task.earliest_commit, task.submission_bond, task.status),
			(1, 7, TaskStatus::Reveal)
		);
		let commitment = Commitments::<Test>::get(0, MINER_A).unwrap();
		assert_eq!(commitment.solution.unwrap().salt, H256::zero());
		assert!(CommitmentHashes::<Test>::contains_key(0, H256::repeat_byte(2)));
		// the task goes on: its reveal window closes and it goes to validation
		run_to_block(16);
		assert_eq!(status(0), TaskStatus::Validating);
	});
}
