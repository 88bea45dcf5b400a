//! Committing: eligibility, bonds, duplicate commitments, full tasks and bumping, pre-computation.

use super::*;

#[test]
fn a_full_task_bumps_the_lowest_priority_for_a_higher_one() {
	build_and_execute(|| {
		let task = publish();
		MockMiners::set_priority(MINER_A, 30);
		MockMiners::set_priority(MINER_B, 10);
		MockMiners::set_priority(PUBLISHER, 20);
		commit(task, MINER_A);
		commit(task, MINER_B);
		commit(task, PUBLISHER);
		// C's record beats B's, the lowest: B is bumped and gets its bond back
		MockMiners::set_priority(MINER_C, 15);
		let hash =
			commitment_of(&solution(MINER_C), &fingerprint(MINER_C), &salt(MINER_C), &MINER_C);
		assert_ok!(Tasks::commit_solution(RuntimeOrigin::signed(MINER_C), task, hash));
		assert_eq!(
			events(),
			vec![
				Event::CommitmentBumped { task_id: task, miner: MINER_B, by: MINER_C },
				Event::SolutionCommitted { task_id: task, miner: MINER_C }
			]
		);
		assert!(Commitments::<Test>::get(task, MINER_B).is_none());
		assert_eq!(held(HoldReason::SubmissionBond, MINER_B), 0);
		assert_eq!(MockMiners::open(MINER_B), 0);
		assert_eq!(TaskStore::<Test>::get(task).unwrap().commitments, 3);
		// B cannot come back: its priority is below everyone's now
		let hash =
			commitment_of(&solution(MINER_B), &fingerprint(MINER_B), &salt(MINER_B), &MINER_B);
		assert_noop!(
			Tasks::commit_solution(RuntimeOrigin::signed(MINER_B), task, hash),
			Error::<Test>::TaskFull
		);
	});
}

#[test]
fn holds_the_bond_and_stores_the_commitment() {
	build_and_execute(|| {
		let task = publish();
		run_to_block(4);
		let hash =
			commitment_of(&solution(MINER_A), &fingerprint(MINER_A), &salt(MINER_A), &MINER_A);
		assert_ok!(Tasks::commit_solution(RuntimeOrigin::signed(MINER_A), task, hash));
		assert_eq!(held(HoldReason::SubmissionBond, MINER_A), 5);
		let commitment = Commitments::<Test>::get(task, MINER_A).unwrap();
		assert_eq!((commitment.hash, commitment.committed_at, commitment.bond), (hash, 4, 5));
		assert_eq!(TaskStore::<Test>::get(task).unwrap().commitments, 1);
		assert!(CommitmentHashes::<Test>::contains_key(task, hash));
		assert_eq!(events(), vec![Event::SolutionCommitted { task_id: task, miner: MINER_A }]);
	});
}

#[test]
fn errors() {
	build_and_execute(|| {
		let hash = H256::repeat_byte(9);
		let mine = |who: u64| H256::repeat_byte(who as u8);
		let try_commit =
			|who, task| Tasks::commit_solution(RuntimeOrigin::signed(who), task, mine(who));
		assert_noop!(try_commit(MINER_A, 0), Error::<Test>::UnknownTask);
		let task = publish();
		assert_noop!(
			Tasks::commit_solution(RuntimeOrigin::none(), task, hash),
			DispatchError::BadOrigin
		);
		for (why, error) in [
			(Ineligible::NotRegistered, Error::<Test>::NotAMiner),
			(Ineligible::Banned, Error::<Test>::MinerBanned),
			(Ineligible::WrongSpecialization, Error::<Test>::WrongSpecialization),
			(Ineligible::LevelTooLow, Error::<Test>::LevelTooLow),
		] {
			MockMiners::refuse(MINER_C, why);
			assert_noop!(try_commit(MINER_C, task), error);
		}
		assert_noop!(try_commit(PAUPER, task), Error::<Test>::InsufficientBalance);
		assert_ok!(try_commit(MINER_A, task));
		assert_noop!(try_commit(MINER_A, task), Error::<Test>::AlreadyCommitted);
		// a byte-for-byte copy of another's commitment is refused at once
		assert_noop!(
			Tasks::commit_solution(RuntimeOrigin::signed(MINER_B), task, mine(MINER_A)),
			Error::<Test>::DuplicateCommitment
		);
		assert_ok!(try_commit(MINER_B, task));
		assert_ok!(Tasks::commit_solution(RuntimeOrigin::signed(PUBLISHER), task, hash));
		// full, and the newcomer's priority is no higher than anyone's
		assert_noop!(try_commit(TREASURY, task), Error::<Test>::TaskFull);
		// a reward that needs a Skilled miner
		let rich = crate::NextTaskId::<Test>::get();
		assert_ok!(Tasks::publish_task(
			RuntimeOrigin::signed(PUBLISHER),
			TaskSpec { reward: 5_000, ..spec() }
		));
		assert_noop!(try_commit(MINER_C, rich), Error::<Test>::LevelTooLow);
		let other = publish();
		run_to_block(11);
		assert_noop!(try_commit(MINER_C - 2, other), Error::<Test>::CommitWindowClosed);
	});
}
