//! Publishing: the holds, the queued deadline, every rule a task must meet.

use super::*;

#[test]
fn holds_reward_and_deposit_and_queues_the_commit_deadline() {
	build_and_execute(|| {
		assert_ok!(Tasks::publish_task(RuntimeOrigin::signed(PUBLISHER), spec()));
		assert_eq!(held(HoldReason::TaskEscrow, PUBLISHER), 1_000);
		assert_eq!(held(HoldReason::TaskDeposit, PUBLISHER), 7);
		let task = TaskStore::<Test>::get(0).unwrap();
		assert_eq!((task.commit_end, task.reveal_end, task.status), (11, 16, TaskStatus::Open));
		assert_eq!(Deadlines::<Test>::iter_key_prefix(11).collect::<Vec<_>>(), vec![0]);
		assert_eq!(
			events(),
			vec![Event::TaskPublished {
				task_id: 0,
				publisher: PUBLISHER,
				task_type: TaskType::CodeGeneration,
				reward: 1_000,
				commit_end: 11,
				reveal_end: 16,
			}]
		);
		assert_eq!(publish(), 1, "ids count up");
	});
}

#[test]
fn errors() {
	build_and_execute(|| {
		let try_publish =
			|s: crate::TaskSpecOf<Test>| Tasks::publish_task(RuntimeOrigin::signed(PUBLISHER), s);
		assert_noop!(Tasks::publish_task(RuntimeOrigin::none(), spec()), DispatchError::BadOrigin);
		for (commit, reveal, validate) in [(1, 5, 5), (51, 5, 5), (10, 1, 5), (10, 5, 51)] {
			assert_noop!(
				try_publish(TaskSpec {
					commit_blocks: commit,
					reveal_blocks: reveal,
					validation_blocks: validate,
					..spec()
				}),
				Error::<Test>::WindowOutOfBounds
			);
		}
		assert_noop!(try_publish(TaskSpec { reward: 9, ..spec() }), Error::<Test>::RewardTooLow);
		for max_solutions in [0, 9] {
			assert_noop!(
				try_publish(TaskSpec { max_solutions, ..spec() }),
				Error::<Test>::InvalidMaxSolutions
			);
		}
		for panel_size in [0, 6] {
			assert_noop!(
				try_publish(TaskSpec { panel_size, ..spec() }),
				Error::<Test>::InvalidPanelSize
			);
		}
		let over: Score = codec::Decode::decode(&mut &[101u8][..]).unwrap();
		assert_noop!(
			try_publish(TaskSpec { quality_threshold: over, ..spec() }),
			Error::<Test>::InvalidQualityThreshold
		);
		// enough for the escrow, not for the deposit: nothing stays held
		assert_noop!(
			try_publish(TaskSpec { reward: 9_995, ..spec() }),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			Tasks::publish_task(RuntimeOrigin::signed(PAUPER), spec()),
			Error::<Test>::InsufficientBalance
		);
		// the commit window must outlast the type's minimum solve time
		MockFraud::set_min_solve(10);
		assert_noop!(try_publish(spec()), Error::<Test>::CommitWindowTooShort);
		assert_ok!(try_publish(TaskSpec { commit_blocks: 11, ..spec() }));
	});
}

#[test]
fn the_submission_bond_and_the_earliest_commit_are_fixed_at_publication() {
	build_and_execute(|| {
		MockFraud::set_min_solve(3);
		// 0.5 % of 4 000 is 20; of 1 000 it would be 5, the minimum
		assert_ok!(Tasks::publish_task(
			RuntimeOrigin::signed(PUBLISHER),
			TaskSpec { reward: 4_000, ..spec() }
		));
		let task = TaskStore::<Test>::get(0).unwrap();
		assert_eq!((task.submission_bond, task.earliest_commit), (20, 4));
		// a later change of the rules does not reach it
		let params = crate::TaskParams { min_submission_bond: 50, ..test_params() };
		assert_ok!(Tasks::set_params(RuntimeOrigin::root(), params));
		commit(0, MINER_A);
		assert_eq!(held(HoldReason::SubmissionBond, MINER_A), 20);
	});
}

#[test]
fn a_flood_of_tasks_is_never_refused_nor_lost_for_deadlines() {
	build_and_execute(|| {
		// 200 tasks whose commit windows all close at block 11; three deadlines a block
		for _ in 0..200 {
			assert_ok!(Tasks::publish_task(
				RuntimeOrigin::signed(PUBLISHER),
				TaskSpec { reward: 10, uri: Default::default(), ..spec() }
			));
		}
		run_to_block(11);
		let expired = || {
			TaskStore::<Test>::iter()
				.filter(|(_, t)| matches!(t.status, TaskStatus::Expired { .. }))
				.count()
		};
		assert_eq!(expired(), 3);
		// three a block, oldest first: the last two of the 200 at block 11 + 66
		let open =
			|| TaskStore::<Test>::iter().filter(|(_, t)| t.status == TaskStatus::Open).count();
		run_to_block(76);
		assert_eq!(open(), 2);
		run_to_block(77);
		assert_eq!(open(), 0, "every task reached its deadline");
		run_to_block(76 + 20 + 70);
		assert_eq!(TaskStore::<Test>::iter().count(), 0, "and every one was cleaned up");
	});
}
