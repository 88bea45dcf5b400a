//! Settlement: the escrow paid out exactly, bonds returned or forfeited, the record of pay.

use super::*;

/// A task at block 1 with MINER_A committing at once and MINER_B at block 6, both revealed,
/// handed to validation at block 16.
fn judged() -> u64 {
	let task = publish();
	commit(task, MINER_A);
	run_to_block(6);
	commit(task, MINER_B);
	run_to_block(11);
	assert_ok!(reveal(task, MINER_A));
	assert_ok!(reveal(task, MINER_B));
	run_to_block(16);
	events();
	task
}

fn outcome(a: SolutionFate, b: SolutionFate, scores: (u8, u8)) -> ValidationOutcome<u64> {
	ValidationOutcome {
		solutions: vec![
			JudgedSolution { miner: MINER_A, score: sc(scores.0, 50), fate: a },
			JudgedSolution { miner: MINER_B, score: sc(scores.1, 50), fate: b },
		],
		validators: vec![ValidatorResult {
			validator: MINER_C,
			accuracy: Score::MAX,
			pay_weight: 100,
		}],
		judged: true,
	}
}

#[test]
fn phases_follow_validation_then_the_judgement_pays_the_escrow_exactly() {
	build_and_execute(|| {
		let task = judged();
		Tasks::note_provisional(task);
		assert_eq!(status(task), TaskStatus::Provisional);
		Tasks::note_disputed(task);
		assert_eq!(status(task), TaskStatus::Disputed);
		let before = ACCOUNTS.map(Balances::free_balance);
		let issuance = Balances::total_issuance();
		// both win (60 ≥ 60): 300 each; C judged: 100; the fee 100, burned; 200 to the
		// treasury
		Tasks::judged(
			task,
			&outcome(
				SolutionFate::Judged { group: 0 },
				SolutionFate::Judged { group: 1 },
				(80, 60),
			),
		);
		let gains: Vec<u64> =
			ACCOUNTS.iter().zip(before).map(|(w, b)| Balances::free_balance(*w) - b).collect();
		// publisher, A, B, C, treasury, pauper: the miners' bonds of 5 come back, their pay
		// vests (held), the validator's is free
		assert_eq!(gains, vec![0, 5, 5, 100, 200, 0]);
		assert_eq!(held(HoldReason::PayVesting, MINER_A), 300);
		assert_eq!(held(HoldReason::PayVesting, MINER_C), 0);
		assert_eq!(Balances::total_issuance(), issuance - 100, "the fee is burned");
		assert_eq!(held(HoldReason::SubmissionBond, MINER_A), 0);
		let kept = Commitments::<Test>::get(task, MINER_A).unwrap();
		assert_eq!((kept.score, kept.reward), (Some(sc(80, 50)), 300));
		assert_eq!(held(HoldReason::TaskEscrow, PUBLISHER), 0);
		assert!(matches!(status(task), TaskStatus::Settled { .. }));
		let events = events();
		assert!(events.contains(&Event::RewardPaid { task_id: task, who: MINER_A, amount: 300 }));
		assert_eq!(
			events.last(),
			Some(&Event::TaskSettled {
				task_id: task,
				winners: 2,
				paid: 700,
				refunded: 0,
				burned: 100,
				to_treasury: 200
			})
		);
		// noted for emission, bounded by the burn
		assert_eq!(MockRewards::work(), vec![(true, 100)]);
		// both solutions were accepted work: completed
		let recorded = MockReputation::take();
		for miner in [MINER_A, MINER_B] {
			assert!(recorded.iter().any(|(w, _, s)| *w == miner
				&& s.get(ReputationDimension::Completion) == Some(Score::MAX)));
		}
		// a settled task is not judged any more: phase notes and judgements do nothing
		Tasks::note_provisional(task);
		assert!(matches!(status(task), TaskStatus::Settled { .. }));
	});
}

#[test]
fn a_false_fingerprint_and_junk_forfeit_their_bonds_and_copies_share() {
	build_and_execute(|| {
		let task = judged();
		let treasury = Balances::free_balance(TREASURY);
		// A's fingerprint is false; B is junk (quality 5 < 10)
		Tasks::judged(
			task,
			&outcome(SolutionFate::FalseFingerprint, SolutionFate::Judged { group: 1 }, (80, 5)),
		);
		let events = events();
		for (miner, reason) in
			[(MINER_A, Forfeit::FalseFingerprint), (MINER_B, Forfeit::BelowMinimumQuality)]
		{
			assert!(events.contains(&Event::BondForfeited {
				task_id: task,
				miner,
				bond: 5,
				reason
			}));
			assert_eq!(held(HoldReason::SubmissionBond, miner), 0);
		}
		// nothing won: the publisher gets all but the fee and the validator's part
		assert!(events.contains(&Event::TaskSettled {
			task_id: task,
			winners: 0,
			paid: 100,
			refunded: 800,
			burned: 100,
			to_treasury: 0
		}));
		assert_eq!(Balances::free_balance(TREASURY) - treasury, 10, "the two bonds");
		assert_eq!(MockRewards::work(), vec![(false, 100)], "nothing won");
		// neither completed the task: revealing junk or a false fingerprint earns no record
		let recorded = MockReputation::take();
		for miner in [MINER_A, MINER_B] {
			let completions: Vec<_> = recorded
				.iter()
				.filter(|(w, _, _)| *w == miner)
				.filter_map(|(_, _, s)| s.get(ReputationDimension::Completion))
				.collect();
			assert_eq!(completions, vec![Score::default()]);
		}
	});
}

#[test]
fn copies_share_one_winners_reward() {
	build_and_execute(|| {
		let task = judged();
		let (a, b) = (
			<Balances as frame_support::traits::fungible::Inspect<u64>>::total_balance(&MINER_A),
			<Balances as frame_support::traits::fungible::Inspect<u64>>::total_balance(&MINER_B),
		);
		// B copies A: one group, one winner's 600 between them
		Tasks::judged(
			task,
			&outcome(
				SolutionFate::Judged { group: 0 },
				SolutionFate::Judged { group: 0 },
				(80, 80),
			),
		);
		assert_eq!(
			<Balances as frame_support::traits::fungible::Inspect<u64>>::total_balance(&MINER_A)
				- a,
			300
		);
		assert_eq!(
			<Balances as frame_support::traits::fungible::Inspect<u64>>::total_balance(&MINER_B)
				- b,
			300
		);
	});
}

#[test]
fn an_unjudged_task_refunds_all_but_the_fee_and_earns_no_emission() {
	build_and_execute(|| {
		let task = judged();
		let publisher = Balances::free_balance(PUBLISHER);
		let a = Balances::free_balance(MINER_A);
		Tasks::judged(task, &unjudged(&[MINER_A, MINER_B]));
		assert_eq!(Balances::free_balance(PUBLISHER) - publisher, 900);
		// nobody judged, so nobody's bond is forfeited as junk: it comes back
		assert_eq!(Balances::free_balance(MINER_A) - a, 5);
		assert_eq!(held(HoldReason::SubmissionBond, MINER_A), 0);
		assert!(events().contains(&Event::TaskSettled {
			task_id: task,
			winners: 0,
			paid: 0,
			refunded: 900,
			burned: 100,
			to_treasury: 0
		}));
	});
}

#[test]
fn earliness_counts_from_the_earliest_allowed_commit() {
	build_and_execute(|| {
		MockFraud::set_min_solve(4);
		let task = publish();
		// the window is blocks 5..=10 for a full reward: A at 5, B at 8
		run_to_block(5);
		commit(task, MINER_A);
		run_to_block(8);
		commit(task, MINER_B);
		let task_info = TaskStore::<Test>::get(task).unwrap();
		let mut early = Tasks::earliness_of(task, &task_info);
		early.sort();
		assert!(early.is_empty(), "nothing revealed yet");
		run_to_block(11);
		assert_ok!(reveal(task, MINER_A));
		assert_ok!(reveal(task, MINER_B));
		let mut early = Tasks::earliness_of(task, &task_info);
		early.sort();
		// 5 of 5 blocks left at 5; 2 of 5 at 8
		assert_eq!(
			early,
			vec![(MINER_A, Perbill::one()), (MINER_B, Perbill::from_rational(2u32, 5))]
		);
	});
}

#[test]
fn the_record_of_pay_tells_what_a_confirmed_fraud_gives_back_until_the_task_is_cleaned_up() {
	use tos_primitives::TaskPayments;
	build_and_execute(|| {
		let task = judged();
		// nothing paid yet; what was at stake is the whole reward, for those who committed
		assert_eq!(Tasks::paid(task, &MINER_A), 0);
		assert_eq!(Tasks::prize(task, &MINER_A), 1_000);
		assert_eq!(Tasks::prize(task, &MINER_C), 0, "it committed nothing");
		Tasks::judged(
			task,
			&outcome(SolutionFate::Judged { group: 0 }, SolutionFate::FalseFingerprint, (80, 60)),
		);
		let reward_paid = events().into_iter().find_map(|e| match e {
			Event::RewardPaid { who: MINER_A, amount, .. } => Some(amount),
			_ => None,
		});
		assert!(reward_paid.is_some_and(|paid| paid > 0));
		assert_eq!(Some(Tasks::paid(task, &MINER_A)), reward_paid);
		// an excluded solution was paid nothing, and still had the reward at stake
		assert_eq!((Tasks::paid(task, &MINER_B), Tasks::prize(task, &MINER_B)), (0, 1_000));
		// cleaned up 20 blocks after settlement: nothing left to claw back
		run_to_block(System::block_number() + 21);
		assert_eq!((Tasks::paid(task, &MINER_A), Tasks::prize(task, &MINER_A)), (0, 0));
	});
}

#[test]
fn a_miners_pay_vests_until_the_task_is_cleaned_up_and_a_fraud_can_take_it_until_then() {
	use tos_primitives::TaskPayments;
	build_and_execute(|| {
		let task = judged();
		Tasks::judged(
			task,
			&outcome(
				SolutionFate::Judged { group: 0 },
				SolutionFate::Judged { group: 1 },
				(80, 60),
			),
		);
		assert_eq!(held(HoldReason::PayVesting, MINER_A), 300);
		assert_eq!(held(HoldReason::PayVesting, MINER_B), 300);
		// A cannot spend its pay: all it has free is what it had before
		let free_a = Balances::free_balance(MINER_A);
		assert_noop!(
			<Balances as frame_support::traits::fungible::Mutate<u64>>::transfer(
				&MINER_A,
				&PAUPER,
				free_a + 1,
				frame_support::traits::tokens::Preservation::Expendable
			),
			sp_runtime::TokenError::FundsUnavailable
		);
		// a confirmed fraud takes 120 of B's vesting pay (and no more than it holds)
		assert_eq!(Tasks::take_unvested(&MINER_B, 120, &TREASURY), 120);
		assert_eq!(held(HoldReason::PayVesting, MINER_B), 180);
		assert_eq!(Tasks::take_unvested(&MINER_C, 50, &TREASURY), 0, "C has none");
		// cleaned up 20 blocks after settlement: the pay is free, B's less what was taken
		let (a, b) = (Balances::free_balance(MINER_A), Balances::free_balance(MINER_B));
		run_to_block(System::block_number() + 21);
		assert_eq!(Balances::free_balance(MINER_A) - a, 300);
		assert_eq!(Balances::free_balance(MINER_B) - b, 180);
		assert_eq!(held(HoldReason::PayVesting, MINER_A), 0);
		assert_eq!(held(HoldReason::PayVesting, MINER_B), 0);
		assert_eq!(Unvested::<Test>::iter().count(), 0);
		// and nothing is left to take
		assert_eq!(Tasks::take_unvested(&MINER_A, 1, &TREASURY), 0);
	});
}
