//! Phase changes by block number: the reveal window's close, expiry, paging of deadlines, clean-up.

use super::*;

#[test]
fn a_task_nobody_commits_to_expires_and_refunds_less_the_fee() {
	build_and_execute(|| {
		let task = publish();
		let issuance = Balances::total_issuance();
		run_to_block(11);
		assert_eq!(status(task), TaskStatus::Expired { at: 11 });
		assert_eq!(events(), vec![Event::TaskExpired { task_id: task, refunded: 900, fee: 100 }]);
		// the fee is burned, not the treasury's
		assert_eq!(Balances::free_balance(TREASURY), 1);
		assert_eq!(Balances::total_issuance(), issuance - 100);
		assert_eq!(held(HoldReason::TaskEscrow, PUBLISHER), 0);
		assert_eq!(held(HoldReason::TaskDeposit, PUBLISHER), 7, "until the clean-up");
		// retention over: removed, deposit back
		run_to_block(31);
		assert!(TaskStore::<Test>::get(task).is_none());
		assert_eq!(events(), vec![Event::TaskCleanedUp { task_id: task }]);
		assert_eq!(Balances::free_balance(PUBLISHER), 10_000 - 100);
	});
}

#[test]
fn commit_then_reveal_then_validation_with_unrevealed_bonds_forfeited() {
	build_and_execute(|| {
		let task = publish();
		commit(task, MINER_A);
		commit(task, MINER_B);
		run_to_block(11);
		assert_eq!(status(task), TaskStatus::Reveal);
		assert_eq!(events(), vec![Event::RevealStarted { task_id: task, commitments: 2 }]);
		assert_ok!(reveal(task, MINER_A));
		events();

		run_to_block(16);
		assert_eq!(status(task), TaskStatus::Validating);
		assert_eq!(
			events(),
			vec![
				Event::BondForfeited {
					task_id: task,
					miner: MINER_B,
					bond: 5,
					reason: Forfeit::NotRevealed
				},
				Event::ValidationStarted { task_id: task, solutions: 1 }
			]
		);
		assert_eq!(Balances::free_balance(TREASURY), 1 + 5);
		assert_eq!(held(HoldReason::SubmissionBond, MINER_B), 0);
		assert_eq!(held(HoldReason::SubmissionBond, MINER_A), 5, "kept until settlement");
		assert_eq!(held(HoldReason::TaskEscrow, PUBLISHER), 1_000, "the reward waits too");
		assert_eq!(MockValidation::take(), vec![(task, 3, vec![MINER_A], vec![], 1_000)]);
		let recorded = MockReputation::take();
		let completion = |who| {
			recorded
				.iter()
				.find(|(w, _, _)| *w == who)
				.and_then(|(_, _, s)| s.get(ReputationDimension::Completion))
		};
		// B delivered nothing: a failed completion; A's waits for the panel's judgement
		assert_eq!(completion(MINER_A), None);
		assert_eq!(completion(MINER_B), Score::new(0));
	});
}

#[test]
fn a_task_with_commitments_but_no_reveals_expires_after_the_reveal_window() {
	build_and_execute(|| {
		let task = publish();
		commit(task, MINER_A);
		run_to_block(16);
		assert_eq!(status(task), TaskStatus::Expired { at: 16 });
		assert_eq!(Balances::free_balance(TREASURY), 1 + 5, "the bond; the fee is burned");
		assert!(MockValidation::take().is_empty());
		run_to_block(36);
		assert!(TaskStore::<Test>::get(task).is_none());
		assert!(Commitments::<Test>::iter_prefix(task).next().is_none());
	});
}

#[test]
fn settled_tasks_are_cleaned_up_after_retention_returning_deposit_and_bonds() {
	build_and_execute(|| {
		let task = publish();
		commit(task, MINER_A);
		run_to_block(11);
		assert_ok!(reveal(task, MINER_A));
		run_to_block(16);
		// judged with no validator: all back but the fee
		Tasks::judged(task, &unjudged(&[MINER_A]));
		run_to_block(36);
		assert!(TaskStore::<Test>::get(task).is_none());
		assert_eq!(held(HoldReason::SubmissionBond, MINER_A), 0);
		assert_eq!(held(HoldReason::TaskDeposit, PUBLISHER), 0);
	});
}

#[test]
fn deadlines_page_to_later_blocks_when_one_block_is_full() {
	build_and_execute(|| {
		// seven tasks, all with their commit window ending at block 11; three fit a block
		let tasks: Vec<u64> = (0..7).map(|_| publish()).collect();
		assert_eq!(Deadlines::<Test>::iter_key_prefix(11).count(), 7);
		run_to_block(11);
		let expired = |t| matches!(status(t), TaskStatus::Expired { .. });
		assert_eq!(tasks.iter().filter(|t| expired(**t)).count(), 3);
		run_to_block(13);
		assert!(tasks.iter().all(|t| expired(*t)), "every task moved on within the paging");
	});
}

#[test]
fn a_block_takes_deadlines_up_to_the_weight_of_one_of_the_largest_task() {
	build_and_execute(|| {
		let largest = || {
			let id = crate::NextTaskId::<Test>::get();
			let spec = crate::TaskSpec { max_solutions: MaxSolutions::get(), ..spec() };
			assert_ok!(Tasks::publish_task(RuntimeOrigin::signed(PUBLISHER), spec));
			id
		};
		// two tasks with the most commitments, their commit windows closing in one block
		let big = [largest(), largest()];
		for miner in 10..10 + u64::from(MaxSolutions::get()) {
			assert_ok!(Balances::transfer_allow_death(
				RuntimeOrigin::signed(PUBLISHER),
				miner,
				100
			));
			for task in big {
				commit(task, miner);
			}
		}
		// three with one commitment each, closing a block later
		run_to_block(2);
		let small = [publish(), publish(), publish()];
		for task in small {
			commit(task, MINER_A);
		}
		let revealing = |t| matches!(status(t), TaskStatus::Reveal);

		run_to_block(11);
		assert_eq!(big.iter().filter(|t| revealing(**t)).count(), 1, "one large deadline a block");
		run_to_block(12);
		assert!(big.iter().all(|t| revealing(*t)), "the other large one next");
		assert!(small.iter().all(|t| !revealing(*t)), "the small ones wait their turn");
		run_to_block(13);
		assert!(small.iter().all(|t| revealing(*t)), "three small deadlines share a block");
	});
}
