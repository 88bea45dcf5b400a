//! The fraud layer's part: pre-computation flags and the first plagiarism filter's pairs.

use super::*;

#[test]
fn nobody_can_reveal_a_fingerprint_other_than_the_committed_one() {
	build_and_execute(|| {
		// an early committer cannot wait for a rival's reveal and claim its fingerprint
		let task = publish();
		commit(task, MINER_A);
		run_to_block(11);
		assert_noop!(
			Tasks::reveal_solution(
				RuntimeOrigin::signed(MINER_A),
				task,
				solution(MINER_A),
				salt(MINER_A),
				fingerprint(MINER_B),
				BoundedVec::truncate_from(b"sol".to_vec()),
			),
			Error::<Test>::CommitmentMismatch
		);
		assert_ok!(reveal(task, MINER_A));
	});
}

#[test]
fn a_pre_computed_commitment_is_excluded_and_copies_are_only_paired() {
	build_and_execute(|| {
		// A pre-computed (flagged at commit); the first filter pairs B and C as copies
		MockFraud::precomputed(vec![MINER_A]);
		MockFraud::pairs(vec![(0, 1)]);
		let task = publish();
		for miner in [MINER_A, MINER_B, MINER_C] {
			commit(task, miner);
		}
		assert!(Commitments::<Test>::get(task, MINER_A).unwrap().flagged);
		assert_eq!(MockMiners::open(MINER_A), 1, "the stake stays until the reveal closes");
		run_to_block(11);
		for miner in [MINER_A, MINER_B, MINER_C] {
			assert_ok!(reveal(task, miner));
		}
		let treasury = Balances::free_balance(TREASURY);
		run_to_block(16);
		// the filter saw the solutions not excluded already; nobody is punished for a pair
		let mut checked = MockFraud::checked().pop().unwrap();
		checked.sort();
		assert_eq!(checked, vec![MINER_B, MINER_C]);
		let handed = MockValidation::take();
		assert_eq!(handed.len(), 1);
		let (_, _, mut solvers, copies, _) = handed[0].clone();
		solvers.sort();
		assert_eq!((solvers, copies), (vec![MINER_B, MINER_C], vec![(0, 1)]));
		for miner in [MINER_A, MINER_B, MINER_C] {
			assert_eq!(MockMiners::open(miner), 0);
		}
		assert_eq!(Balances::free_balance(TREASURY) - treasury, 5, "A's bond only");
		assert!(events().contains(&Event::BondForfeited {
			task_id: task,
			miner: MINER_A,
			bond: 5,
			reason: Forfeit::PreComputation
		}));
		assert_eq!(held(HoldReason::SubmissionBond, MINER_B), 5);
	});
}
