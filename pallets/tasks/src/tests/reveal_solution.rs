//! Revealing: the window, the commitment check, what a reveal records.

use super::*;

#[test]
fn a_matching_reveal_is_stored() {
	build_and_execute(|| {
		let task = publish();
		commit(task, MINER_A);
		run_to_block(11);
		events();
		assert_ok!(reveal(task, MINER_A));
		let stored = Commitments::<Test>::get(task, MINER_A).unwrap().solution.unwrap();
		assert_eq!(stored.solution_hash, solution(MINER_A));
		assert_eq!(stored.salt, salt(MINER_A));
		assert_eq!(Tasks::revealed_salt(task, &MINER_A), Some(salt(MINER_A)));
		assert_eq!(Tasks::revealed_salt(task, &MINER_B), None);
		assert_eq!(stored.fingerprint, Fingerprint([MINER_A as u8; 32]));
		assert_eq!(TaskStore::<Test>::get(task).unwrap().reveals, 1);
		assert_eq!(
			events(),
			vec![Event::SolutionRevealed {
				task_id: task,
				miner: MINER_A,
				solution_hash: solution(MINER_A)
			}]
		);
	});
}

#[test]
fn a_reveal_counts_by_block_number_even_when_the_phase_change_is_late() {
	build_and_execute(|| {
		// four tasks closing their commit windows in block 11, three deadlines a block:
		// the last is still Open in block 11, yet its reveal window has begun
		let tasks: Vec<u64> = (0..4).map(|_| publish()).collect();
		for task in tasks.iter() {
			commit(*task, MINER_A);
		}
		run_to_block(11);
		let late: Vec<u64> =
			tasks.iter().copied().filter(|t| status(*t) == TaskStatus::Open).collect();
		assert_eq!(late.len(), 1, "one task's phase change waits for the next block");
		let late = late[0];
		assert_ok!(reveal(late, MINER_A));
		run_to_block(12);
		assert_eq!(status(late), TaskStatus::Reveal);
	});
}

#[test]
fn errors() {
	build_and_execute(|| {
		assert_noop!(reveal(0, MINER_A), Error::<Test>::UnknownTask);
		let task = publish();
		commit(task, MINER_A);
		commit(task, MINER_B);
		assert_noop!(reveal(task, MINER_A), Error::<Test>::RevealWindowNotOpen);
		run_to_block(11);
		assert_noop!(reveal(task, MINER_C), Error::<Test>::NoCommitment);
		// a wrong salt
		assert_noop!(
			Tasks::reveal_solution(
				RuntimeOrigin::signed(MINER_A),
				task,
				solution(MINER_A),
				H256::zero(),
				Fingerprint::default(),
				Default::default()
			),
			Error::<Test>::CommitmentMismatch
		);
		assert_noop!(
			Tasks::reveal_solution(
				RuntimeOrigin::none(),
				task,
				solution(MINER_A),
				salt(MINER_A),
				Fingerprint::default(),
				Default::default()
			),
			DispatchError::BadOrigin
		);
		assert_ok!(reveal(task, MINER_A));
		assert_noop!(reveal(task, MINER_A), Error::<Test>::AlreadyRevealed);
		// late
		run_to_block(16);
		assert_noop!(reveal(task, MINER_B), Error::<Test>::RevealWindowClosed);
	});
}
