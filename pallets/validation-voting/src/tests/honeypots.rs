//! Honeypots of known quality that catch validators who do not look, and the verdicts on the
//! content: false fingerprints and copies.

use frame_support::{assert_noop, assert_ok};
use sp_core::H256;
use sp_runtime::DispatchError;
use tos_primitives::SolutionFate;

use super::*;
use crate::{honeypot_key, honeypot_salt, Error, Event, Penalty};

/// A registered provider, which solves nothing itself…
const PROVIDER: u64 = 30;
/// …and the fresh miner account it submitted its honeypot through: the task's second solver.
const HONEYPOT_SOLVER: u64 = 21;
const NONCE: H256 = H256::repeat_byte(9);
const SECRET: H256 = H256::repeat_byte(8);

/// 30 is a registered provider; 21's solution, the second, is its junk of known quality 5/5.
fn with_honeypot() {
	assert_ok!(Validation::add_honeypot_provider(
		RuntimeOrigin::root(),
		honeypot_key(&PROVIDER, &NONCE)
	));
	MockTasks::reveal_salt(TASK, HONEYPOT_SOLVER, honeypot_salt(&sc(5, 5), &SECRET));
	for who in 1..=4 {
		certified_validator(who, 100);
	}
	begin(4);
	events();
}

fn declare() -> sp_runtime::DispatchResult {
	declare_as(PROVIDER, HONEYPOT_SOLVER, NONCE, sc(5, 5))
}

fn declare_as(
	provider: u64,
	solver: u64,
	nonce: H256,
	known: tos_primitives::SolutionScore,
) -> sp_runtime::DispatchResult {
	Validation::declare_honeypot(
		RuntimeOrigin::signed(provider),
		TASK,
		solver,
		nonce,
		known,
		SECRET,
	)
}

#[test]
fn a_validator_who_does_not_look_misses_the_honeypot_and_pays_for_it() {
	build_and_execute(|| {
		with_honeypot();
		let stamp =
			|who| if who == 4 { vec![j(50, 50), j(50, 50)] } else { vec![j(70, 50), j(4, 7)] };
		for who in 1..=4 {
			commit(who, &stamp(who));
		}
		// declarations wait until the scores are committed; until the provider declares,
		// nothing on chain names it: its solver is an ordinary miner, its registration a hash
		assert_noop!(declare(), Error::<Test>::NotDeclarable);
		let round = crate::Rounds::<Test>::get(TASK).unwrap();
		assert!(!round.solvers.contains(&PROVIDER));
		assert!(crate::HoneypotProviders::<Test>::iter_keys()
			.all(|key| key != honeypot_key(&HONEYPOT_SOLVER, &NONCE)));
		run_to(3);
		assert_ok!(declare());
		assert_eq!(events().last(), Some(&Event::HoneypotDeclared { task_id: TASK, index: 1 }));
		assert_noop!(declare(), Error::<Test>::TooManyHoneypots);
		for who in 1..=4 {
			assert_ok!(reveal(who, &stamp(who)));
		}
		run_to(5);
		let events = events();
		assert!(events.contains(&Event::ValidatorPenalised {
			task_id: TASK,
			validator: 4,
			slashed: 10,
			reason: Penalty::MissedHoneypot
		}));
		// the honest three scored the junk within the band of its known 5/5
		assert_eq!(
			events.iter().filter(|e| matches!(e, Event::ValidatorPenalised { .. })).count(),
			1
		);
		run_to(9);
		let (_, outcome) = MockTasks::outcomes().remove(0);
		assert_eq!(outcome.solutions[1].fate, SolutionFate::Honeypot);
		assert_eq!(outcome.solutions[1].score, Default::default(), "neither judged nor paid");
		let stamp = outcome.validators.iter().find(|v| v.validator == 4).unwrap();
		assert_eq!(stamp.pay_weight, 0);
		// the honeypot does not count in anyone's accuracy
		let honest = outcome.validators.iter().find(|v| v.validator == 1).unwrap();
		assert_eq!(honest.accuracy.get(), 100);
	});
}

#[test]
fn a_honeypot_is_declared_before_the_first_reveal_or_not_at_all() {
	build_and_execute(|| {
		with_honeypot();
		let scores =
			|who| if who == 4 { vec![j(50, 50), j(50, 50)] } else { vec![j(70, 50), j(4, 7)] };
		for who in 1..=4 {
			commit(who, &scores(who));
		}
		run_to(3);
		// a member's scores are on chain: a provider declaring now could keep its honeypot
		// for the rounds where it catches someone (here 4's 50/50)
		assert_ok!(reveal(1, &scores(1)));
		assert_noop!(declare(), Error::<Test>::DeclaredTooLate);
		for who in 2..=4 {
			assert_ok!(reveal(who, &scores(who)));
		}
		run_to(5);
		assert!(!events().iter().any(|e| matches!(e, Event::ValidatorPenalised { .. })));
	});
}

#[test]
fn honeypot_errors() {
	build_and_execute(|| {
		let key = honeypot_key(&PROVIDER, &NONCE);
		assert_noop!(
			Validation::add_honeypot_provider(RuntimeOrigin::signed(1), key),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Validation::remove_honeypot_provider(RuntimeOrigin::root(), key),
			Error::<Test>::UnknownProvider
		);
		assert_noop!(declare(), Error::<Test>::UnknownRound);
		with_honeypot();
		assert_noop!(
			Validation::add_honeypot_provider(RuntimeOrigin::root(), key),
			Error::<Test>::AlreadyProvider
		);
		assert_ok!(Validation::add_honeypot_provider(RuntimeOrigin::root(), H256::repeat_byte(1)));
		assert_noop!(
			Validation::add_honeypot_provider(RuntimeOrigin::root(), H256::repeat_byte(2)),
			Error::<Test>::TooManyProviders
		);
		run_to(3);
		// another nonce, the solver itself (it is not the provider), an account that solved
		// nothing, another miner's honest solution, the wrong known scores
		assert_noop!(
			declare_as(PROVIDER, HONEYPOT_SOLVER, H256::zero(), sc(5, 5)),
			Error::<Test>::NotHoneypotProvider
		);
		assert_noop!(
			declare_as(HONEYPOT_SOLVER, HONEYPOT_SOLVER, NONCE, sc(5, 5)),
			Error::<Test>::NotHoneypotProvider
		);
		assert_ok!(Validation::remove_honeypot_provider(
			RuntimeOrigin::root(),
			H256::repeat_byte(1)
		));
		assert_ok!(Validation::add_honeypot_provider(
			RuntimeOrigin::root(),
			honeypot_key(&5u64, &NONCE)
		));
		assert_noop!(declare_as(5, 5, NONCE, sc(5, 5)), Error::<Test>::NotASolver);
		assert_noop!(declare_as(PROVIDER, 5, NONCE, sc(5, 5)), Error::<Test>::NotASolver);
		MockTasks::reveal_salt(TASK, 20, H256::repeat_byte(77));
		assert_noop!(declare_as(PROVIDER, 20, NONCE, sc(5, 5)), Error::<Test>::HoneypotMismatch);
		assert_noop!(
			declare_as(PROVIDER, HONEYPOT_SOLVER, NONCE, sc(90, 90)),
			Error::<Test>::HoneypotMismatch
		);
		assert_noop!(
			Validation::declare_honeypot(
				RuntimeOrigin::none(),
				TASK,
				HONEYPOT_SOLVER,
				NONCE,
				sc(5, 5),
				SECRET
			),
			DispatchError::BadOrigin
		);
		assert_ok!(Validation::remove_honeypot_provider(RuntimeOrigin::root(), key));
		assert!(events().contains(&Event::HoneypotProviderRemoved { key }));
		assert_noop!(declare(), Error::<Test>::NotHoneypotProvider);
	});
}

#[test]
fn a_false_fingerprint_excludes_the_solution_and_copies_share_a_group() {
	build_and_execute(|| {
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		// three solutions: 24's copies 20's content; 21's fingerprint is not its content's
		begin_with(3, &[20, 21, 24], &[]);
		judge_round(|who| {
			let mut false_fp = j(60, 40);
			false_fp.fingerprint_ok = false;
			let mut copy = j(80, 60);
			// two of three see the copy: a majority
			copy.copy_of = (who != 3).then_some(0);
			vec![j(80, 60), false_fp, copy]
		});
		run_to(9);
		let events = events();
		assert!(events.contains(&Event::FingerprintRejected { task_id: TASK, miner: 21 }));
		assert!(events.contains(&Event::CopiesGrouped { task_id: TASK, miners: vec![20, 24] }));
		let (_, outcome) = MockTasks::outcomes().remove(0);
		assert_eq!(
			outcome.solutions.iter().map(|s| s.fate).collect::<Vec<_>>(),
			vec![
				SolutionFate::Judged { group: 0 },
				SolutionFate::FalseFingerprint,
				SolutionFate::Judged { group: 0 }
			]
		);
		assert_eq!(outcome.solutions[1].score, Default::default());
	});
}

#[test]
fn the_chain_filters_copies_group_without_any_verdict() {
	build_and_execute(|| {
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		begin_with(3, &[20, 21, 24], &[(0, 2)]);
		judge_round(|_| vec![j(80, 60), j(60, 40), j(80, 60)]);
		run_to(9);
		let (_, outcome) = MockTasks::outcomes().remove(0);
		assert_eq!(outcome.solutions[2].fate, SolutionFate::Judged { group: 0 });
		assert_eq!(outcome.solutions[1].fate, SolutionFate::Judged { group: 1 });
	});
}
