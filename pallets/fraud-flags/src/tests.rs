//! The detectors, reports, slash arithmetic and bans.

use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_core::H256;
use sp_runtime::BuildStorage;
use sp_runtime::{DispatchError, Perbill};
use tos_primitives::{Fingerprint, FraudKind, FraudOracle, RevealedSolution, TaskType};

use crate::{mock::*, Error, Event, FraudParams, HoldReason, Offences};

const CODE: TaskType = TaskType::CodeGeneration;

fn solution(
	miner: u64,
	committed_at: u64,
	hash: u8,
	fingerprint: [u8; 32],
) -> RevealedSolution<u64, u64> {
	RevealedSolution {
		miner,
		committed_at,
		solution_hash: H256::repeat_byte(hash),
		fingerprint: Fingerprint(fingerprint),
	}
}

/// Runs the hook that applies queued punishments (two a block in the mock).
fn apply_queued() {
	use frame_support::traits::Hooks;
	Fraud::on_initialize(System::block_number());
}

fn slashed(events: &[Event<Test>]) -> Vec<(u64, FraudKind, u64, u64)> {
	events
		.iter()
		.filter_map(|e| match e {
			Event::Slashed { who, kind, amount, to_reporter } => {
				Some((*who, *kind, *amount, *to_reporter))
			},
			_ => None,
		})
		.collect()
}

#[test]
fn a_commitment_sooner_than_the_minimum_solve_time_is_flagged_but_never_slashed() {
	build_and_execute(|| {
		assert_ok!(Fraud::set_min_solve_time(RuntimeOrigin::root(), CODE, 5));
		assert_eq!(Fraud::min_solve_time(CODE), 5);
		events();
		assert!(!Fraud::check_commit(1, CODE, &3, 5), "at the minimum: fine");
		assert!(!Fraud::check_commit(1, TaskType::DataAnalysis, &3, 0), "no minimum for this type");
		assert!(events().is_empty());
		assert!(Fraud::check_commit(1, CODE, &3, 4));
		apply_queued();
		let events = events();
		assert!(matches!(
			events[..],
			[Event::Flagged { who: 3, kind: FraudKind::PreComputation, task_id: Some(1), .. }]
		));
		// a detector's flag on a miner excludes its solution; it takes no stake
		assert_eq!(MockPenalties::stake(3), 1_000);
		assert!(MockPenalties::frauds().is_empty());
		assert_eq!(Offences::<Test>::get(3), 0);
	});
}

#[test]
fn the_first_filter_pairs_copies_and_near_copies_and_flags_nobody() {
	build_and_execute(|| {
		let original = [0b1010_1010; 32];
		let mut near = original;
		near[..8].copy_from_slice(&[0b0101_0101; 8]); // 64 bits off: the threshold
		let mut far = original;
		far[8..17].copy_from_slice(&[0b0101_0101; 9]); // 72 bits off (136 from `near`)
		let solutions = [
			solution(1, 5, 1, original),
			// the same hash, committed later
			solution(2, 6, 1, [0; 32]),
			// a fingerprint at the threshold from 1's
			solution(3, 4, 3, near),
			// past it: its own work
			solution(4, 7, 4, far),
		];
		// who committed first plays no part: 3 committed before 1
		assert_eq!(Fraud::similar_pairs(9, &solutions), vec![(0, 1), (0, 2)]);
		apply_queued();
		assert!(events().is_empty(), "no flag, no slash");
		assert!((1..=4).all(|m| MockPenalties::stake(m) == 1_000));
		// governance may tighten the filter
		let params = Fraud::params();
		assert_ok!(Fraud::set_params(
			RuntimeOrigin::root(),
			FraudParams { hamming_threshold: 10, ..params }
		));
		assert_eq!(Fraud::similar_pairs(9, &solutions), vec![(0, 1)]);
	});
}

#[test]
fn a_validator_flagged_in_a_large_share_of_its_rounds_is_a_confirmed_colluder() {
	build_and_execute(|| {
		// the mock: 3 flagged rounds that make at least a quarter, within 10 blocks
		for round in 0..6 {
			assert!(!Fraud::note_judged(round, &7, round == 2, &[]));
		}
		assert_eq!(
			crate::JudgingRecords::<Test>::get(7),
			Some(crate::JudgingRecord { judged: 6, flagged: 1, since: 1 })
		);
		// whatever miners it favoured: the count is the validator's
		assert!(!Fraud::note_judged(6, &7, true, &[]));
		events();
		let treasury = free(TREASURY);
		assert!(Fraud::note_judged(7, &7, true, &[]), "3 of 8 rounds flagged");
		apply_queued();
		let events = events();
		assert!(events.iter().any(|e| matches!(
			e,
			Event::Flagged { who: 7, kind: FraudKind::Collusion, task_id: Some(7), .. }
		)));
		assert_eq!(slashed(&events), vec![(7, FraudKind::Collusion, 1_000, 0)]);
		assert_eq!(free(TREASURY) - treasury, 1_000);
		assert_eq!(MockPenalties::frauds(), vec![7]);
		assert!(crate::JudgingRecords::<Test>::get(7).is_none(), "a new record starts");
	});
}

#[test]
fn an_occasional_flag_never_makes_a_colluder() {
	build_and_execute(|| {
		// one round in eight flagged, over a long record: never a quarter
		for round in 0..64u64 {
			System::set_block_number(1 + round / 8);
			assert!(!Fraud::note_judged(round, &7, round % 8 == 0, &[]));
		}
		apply_queued();
		assert_eq!(MockPenalties::stake(7), 1_000);
		// and the window forgets: three flags spread over two windows make nothing either
		System::set_block_number(100);
		assert!(!Fraud::note_judged(100, &8, true, &[]));
		assert!(!Fraud::note_judged(101, &8, true, &[]));
		System::set_block_number(111);
		assert!(!Fraud::note_judged(102, &8, true, &[]));
		assert_eq!(
			crate::JudgingRecords::<Test>::get(8),
			Some(crate::JudgingRecord { judged: 1, flagged: 1, since: 111 })
		);
	});
}

#[test]
fn a_confirmed_report_slashes_the_target_and_rewards_the_reporter() {
	build_and_execute(|| {
		let evidence = H256::repeat_byte(5);
		assert_ok!(Fraud::report_fraud(
			RuntimeOrigin::signed(1),
			2,
			FraudKind::Plagiarism,
			None,
			evidence
		));
		assert_eq!(Balances::balance_on_hold(&HoldReason::ReportBond.into(), &1), 50);
		assert_eq!(
			events(),
			vec![Event::ReportFiled {
				report_id: 0,
				reporter: 1,
				target: 2,
				kind: FraudKind::Plagiarism,
				evidence
			}]
		);
		let (reporter, treasury) = (free(1), free(TREASURY));
		assert_ok!(Fraud::confirm(RuntimeOrigin::root(), 0));
		// 80 % of 1 000: 10 % of that to the reporter, the rest to the treasury; bond back
		assert_eq!(free(1) - reporter, 80 + 50);
		assert_eq!(free(TREASURY) - treasury, 720);
		assert_eq!(Balances::balance_on_hold(&HoldReason::ReportBond.into(), &1), 0);
		let events = events();
		assert_eq!(slashed(&events), vec![(2, FraudKind::Plagiarism, 800, 80)]);
		assert!(events.contains(&Event::Flagged {
			who: 2,
			kind: FraudKind::Plagiarism,
			task_id: None,
			evidence
		}));
		assert!(events.contains(&Event::ReportConfirmed { report_id: 0 }));
		assert_noop!(Fraud::confirm(RuntimeOrigin::root(), 0), Error::<Test>::UnknownReport);
	});
}

#[test]
fn a_confirmed_fraud_on_a_task_pays_back_what_it_won_there_and_the_tasks_reward_on_top_of_the_slash(
) {
	build_and_execute(|| {
		// a long con: the plagiarist won 2 400 on task 9, a task of 3 000, more than its whole
		// stake of 1 000; it holds 1 000 free
		MockPayments::set(9, 2, 2_400);
		MockPayments::set_prize(9, 2, 3_000);
		assert_ok!(Fraud::report_fraud(
			RuntimeOrigin::signed(1),
			2,
			FraudKind::Plagiarism,
			Some(9),
			H256::repeat_byte(5)
		));
		let treasury = free(TREASURY);
		assert_ok!(Fraud::confirm(RuntimeOrigin::root(), 0));
		let seen = events();
		// 5 400 due: its free 1 000 (all of it: the account may be reaped), then 1 000 from
		// its bonds — all it had: the 80 % slash finds nothing left
		assert!(seen.contains(&Event::ClawedBack { who: 2, task_id: 9, amount: 2_000 }));
		assert_eq!(free(2), 0);
		assert_eq!(MockPenalties::stake(2), 0);
		assert_eq!(free(TREASURY) - treasury, 2_000);
		assert!(seen.contains(&Event::Flagged {
			who: 2,
			kind: FraudKind::Plagiarism,
			task_id: Some(9),
			evidence: H256::repeat_byte(5)
		}));
		// a smaller win on a task of 400: its pay and the reward, 700, from the free balance,
		// and the slash comes on top
		MockPayments::set(4, 3, 300);
		MockPayments::set_prize(4, 3, 400);
		assert_ok!(Fraud::report_fraud(
			RuntimeOrigin::signed(1),
			3,
			FraudKind::Plagiarism,
			Some(4),
			H256::zero()
		));
		assert_ok!(Fraud::confirm(RuntimeOrigin::root(), 1));
		assert!(events().contains(&Event::ClawedBack { who: 3, task_id: 4, amount: 700 }));
		assert_eq!(free(3), 300);
		assert_eq!(MockPenalties::stake(3), 200, "and 80 % of its stake");
		// a copy the validators caught is paid nothing, and still costs the task's reward
		MockPayments::set_prize(5, 5, 250);
		assert_ok!(Fraud::report_fraud(
			RuntimeOrigin::signed(1),
			5,
			FraudKind::Plagiarism,
			Some(5),
			H256::zero()
		));
		assert_ok!(Fraud::confirm(RuntimeOrigin::root(), 2));
		assert!(events().contains(&Event::ClawedBack { who: 5, task_id: 5, amount: 250 }));
		assert_eq!(free(5), 750);
		// a task it neither committed to nor was paid by costs nothing beyond the slash
		assert_ok!(Fraud::report_fraud(
			RuntimeOrigin::signed(1),
			4,
			FraudKind::Plagiarism,
			Some(4),
			H256::zero()
		));
		assert_ok!(Fraud::confirm(RuntimeOrigin::root(), 3));
		assert!(!events().iter().any(|e| matches!(e, Event::ClawedBack { .. })));
	});
}

#[test]
fn a_claw_back_reaches_pay_that_has_not_vested_when_the_earnings_were_moved_out() {
	build_and_execute(|| {
		// a copy paid 600 on a task of 1 000; it moved its whole free balance out, but the
		// 600 (and 500 from another task) are still vesting
		MockPayments::set(7, 4, 600);
		MockPayments::set_prize(7, 4, 1_000);
		MockPayments::set_unvested(4, 1_100);
		let stash = 40;
		assert_ok!(<Balances as frame_support::traits::fungible::Mutate<u64>>::transfer(
			&4,
			&stash,
			free(4),
			frame_support::traits::tokens::Preservation::Expendable
		));
		assert_ok!(Fraud::report_fraud(
			RuntimeOrigin::signed(1),
			4,
			FraudKind::Plagiarism,
			Some(7),
			H256::zero()
		));
		let treasury = free(TREASURY);
		assert_ok!(Fraud::confirm(RuntimeOrigin::root(), 0));
		// 1 600 due: 1 100 of vesting pay, nothing free, 500 from the stake of 1 000 (then the
		// 80 % slash takes 400 of the 500 left)
		assert!(events().contains(&Event::ClawedBack { who: 4, task_id: 7, amount: 1_600 }));
		assert_eq!(MockPayments::unvested(4), 0);
		assert_eq!(MockPenalties::stake(4), 100);
		assert_eq!(free(TREASURY) - treasury, 1_600 + 360, "the claw-back and the slash's rest");
		// with more vesting than is due, the free balance is not touched
		MockPayments::set(8, 5, 100);
		MockPayments::set_prize(8, 5, 200);
		MockPayments::set_unvested(5, 1_000);
		let before = free(5);
		assert_ok!(Fraud::report_fraud(
			RuntimeOrigin::signed(1),
			5,
			FraudKind::Plagiarism,
			Some(8),
			H256::zero()
		));
		assert_ok!(Fraud::confirm(RuntimeOrigin::root(), 1));
		assert_eq!(MockPayments::unvested(5), 700);
		assert_eq!(free(5), before);
	});
}

#[test]
fn a_dismissed_report_loses_the_reporters_bond() {
	build_and_execute(|| {
		assert_ok!(Fraud::report_fraud(
			RuntimeOrigin::signed(1),
			2,
			FraudKind::Collusion,
			None,
			H256::zero()
		));
		let (reporter, treasury) = (free(1), free(TREASURY));
		assert_ok!(Fraud::dismiss(RuntimeOrigin::root(), 0));
		assert_eq!(free(1), reporter);
		assert_eq!(free(TREASURY) - treasury, 50);
		assert_eq!(MockPenalties::stake(2), 1_000, "the target keeps everything");
		assert!(events().contains(&Event::ReportDismissed { report_id: 0, bond: 50 }));
		assert_noop!(Fraud::dismiss(RuntimeOrigin::root(), 0), Error::<Test>::UnknownReport);
	});
}

/// Files a report of `kind` against `target` by account 1 and confirms it.
fn confirmed(target: u64, kind: FraudKind) {
	assert_ok!(Fraud::report_fraud(RuntimeOrigin::signed(1), target, kind, None, H256::zero()));
	let id = crate::NextReportId::<Test>::get() - 1;
	assert_ok!(Fraud::confirm(RuntimeOrigin::root(), id));
}

#[test]
fn repeat_offenders_are_banned() {
	build_and_execute(|| {
		confirmed(3, FraudKind::PreComputation);
		assert!(MockPenalties::bans().is_empty(), "a first offence is not banned");
		System::set_block_number(7);
		confirmed(3, FraudKind::PreComputation);
		assert_eq!(MockPenalties::bans(), vec![(3, 107)]);
		assert!(events().contains(&Event::Banned { who: 3, until: 107 }));
		assert_eq!(Offences::<Test>::get(3), 2);
		// the second slash takes 30 % of what was left
		assert_eq!(MockPenalties::stake(3), 1_000 - 300 - 210);
	});
}

#[test]
fn errors() {
	build_and_execute(|| {
		assert_noop!(
			Fraud::report_fraud(
				RuntimeOrigin::signed(1),
				1,
				FraudKind::Plagiarism,
				None,
				H256::zero()
			),
			Error::<Test>::SelfReport
		);
		assert_noop!(
			Fraud::report_fraud(
				RuntimeOrigin::signed(42),
				1,
				FraudKind::Plagiarism,
				None,
				H256::zero()
			),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			Fraud::report_fraud(
				RuntimeOrigin::none(),
				1,
				FraudKind::Plagiarism,
				None,
				H256::zero()
			),
			DispatchError::BadOrigin
		);
		assert_ok!(Fraud::report_fraud(
			RuntimeOrigin::signed(1),
			2,
			FraudKind::Plagiarism,
			None,
			H256::zero()
		));
		assert_noop!(Fraud::confirm(RuntimeOrigin::signed(1), 0), DispatchError::BadOrigin);
		assert_noop!(Fraud::dismiss(RuntimeOrigin::signed(1), 0), DispatchError::BadOrigin);
		assert_noop!(Fraud::confirm(RuntimeOrigin::root(), 5), Error::<Test>::UnknownReport);
		assert_noop!(
			Fraud::set_min_solve_time(RuntimeOrigin::signed(1), CODE, 3),
			DispatchError::BadOrigin
		);
		let params = Fraud::params();
		assert_noop!(Fraud::set_params(RuntimeOrigin::signed(1), params), DispatchError::BadOrigin);
		for bad in [
			FraudParams { hamming_threshold: 257, ..params },
			FraudParams { collusion_rounds: 0, ..params },
			FraudParams { collusion_share: Perbill::zero(), ..params },
			FraudParams { collusion_window: 0, ..params },
			FraudParams { ban_after: 0, ..params },
		] {
			assert_noop!(
				Fraud::set_params(RuntimeOrigin::root(), bad),
				Error::<Test>::InvalidParams
			);
		}
		let changed = FraudParams { plagiarism_slash: Perbill::from_percent(50), ..params };
		assert_ok!(Fraud::set_params(RuntimeOrigin::root(), changed));
		assert_eq!(Fraud::params(), changed);
	});
}

#[test]
fn queued_punishments_are_applied_a_few_per_block_in_order() {
	build_and_execute(|| {
		// five colluders confirmed in one block (each flagged in all of three rounds)
		for validator in 1..=5 {
			for round in 0..3 {
				Fraud::note_judged(round, &validator, true, &[]);
			}
		}
		let punished = || (1..=5).filter(|m| MockPenalties::stake(*m) < 1_000).collect::<Vec<_>>();
		assert!(punished().is_empty());
		apply_queued();
		assert_eq!(punished(), vec![1, 2]);
		apply_queued();
		assert_eq!(punished(), vec![1, 2, 3, 4]);
		apply_queued();
		assert_eq!(punished(), vec![1, 2, 3, 4, 5]);
		assert_eq!(crate::PunishmentQueue::<Test>::get(), (5, 5));
		apply_queued();
		assert_eq!(MockPenalties::frauds(), vec![1, 2, 3, 4, 5], "each punished once");
	});
}

#[test]
fn genesis_sets_the_minimum_solve_times() {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	crate::GenesisConfig::<Test> {
		min_solve_times: vec![(CODE, 20), (TaskType::ModelTraining, 50)],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	sp_io::TestExternalities::new(storage).execute_with(|| {
		assert_eq!(crate::MinSolveTime::<Test>::get(CODE), 20);
		assert_eq!(crate::MinSolveTime::<Test>::get(TaskType::ModelTraining), 50);
		assert_eq!(crate::MinSolveTime::<Test>::get(TaskType::Other), 0);
		assert_eq!(crate::Params::<Test>::get(), Some(Fraud::params()));
	});
	// the default: every type has one
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	crate::GenesisConfig::<Test>::default().assimilate_storage(&mut storage).unwrap();
	sp_io::TestExternalities::new(storage).execute_with(|| {
		for task_type in TaskType::ALL {
			assert!(crate::MinSolveTime::<Test>::get(task_type) >= 10, "{task_type:?}");
		}
		assert_eq!(crate::MinSolveTime::<Test>::get(TaskType::ModelTraining), 100);
	});
}

#[test]
fn the_v1_migration_upgrades_the_rules_clears_pair_records_and_fills_solve_times() {
	use crate::migrations::v1;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	new_test_ext().execute_with(|| {
		// given a version-0 chain
		StorageVersion::new(0).put::<Fraud>();
		let old = v1::OldFraudParams {
			hamming_threshold: 10,
			plagiarism_slash: Perbill::from_percent(80),
			collusion_slash: Perbill::from_percent(100),
			precompute_slash: Perbill::from_percent(30),
			reporter_share: Perbill::from_percent(10),
			collusion_margin: 25,
			collusion_threshold: 3,
			collusion_window: 14_400u64,
			ban_after: 2,
			ban_period: 100_800u64,
			report_bond: 10u64,
		};
		v1::old::Params::<Test>::put(old);
		v1::old::CollusionRecords::<Test>::insert(7, 3, (2u32, 1u64));
		v1::old::CollusionRecords::<Test>::insert(7, 4, (1u32, 1u64));
		crate::MinSolveTime::<Test>::insert(CODE, 7);
		frame_support::parameter_types! {
			pub Defaults: Vec<(TaskType, u64)> = vec![(CODE, 20), (TaskType::Other, 10)];
		}
		// when
		v1::MigrateToV1::<Test, Defaults>::on_runtime_upgrade();
		// then
		assert_eq!(Fraud::on_chain_storage_version(), StorageVersion::new(1));
		let params = crate::Params::<Test>::get().expect("migrated");
		assert_eq!(
			params,
			FraudParams {
				collusion_rounds: 3,
				collusion_share: Perbill::from_percent(25),
				..old.upgraded()
			}
		);
		assert_eq!((params.hamming_threshold, params.report_bond), (10, 10));
		assert_eq!(v1::old::CollusionRecords::<Test>::iter().count(), 0);
		assert_eq!(crate::MinSolveTime::<Test>::get(CODE), 7, "a chosen minimum stays");
		assert_eq!(crate::MinSolveTime::<Test>::get(TaskType::Other), 10);
		// a second run does nothing
		crate::MinSolveTime::<Test>::remove(TaskType::Other);
		v1::MigrateToV1::<Test, Defaults>::on_runtime_upgrade();
		assert_eq!(crate::MinSolveTime::<Test>::get(TaskType::Other), 0);
	});
}

#[test]
fn the_v2_migration_gives_reports_filed_before_it_no_task() {
	use crate::migrations::v2;
	use codec::Encode;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	build_and_execute(|| {
		// given a version-1 chain with a report awaiting adjudication
		StorageVersion::new(1).put::<Fraud>();
		assert_ok!(<Balances as frame_support::traits::fungible::MutateHold<_>>::hold(
			&HoldReason::ReportBond.into(),
			&1,
			50
		));
		let old = v2::OldReport::<u64, u64> {
			reporter: 1,
			target: 2,
			kind: FraudKind::Plagiarism,
			evidence: H256::repeat_byte(3),
			bond: 50,
		};
		sp_io::storage::set(&crate::Reports::<Test>::hashed_key_for(0), &old.encode());
		crate::NextReportId::<Test>::put(1);
		// when
		v2::MigrateToV2::<Test>::on_runtime_upgrade();
		// then it names no task, and is confirmed as before
		assert_eq!(Fraud::on_chain_storage_version(), StorageVersion::new(2));
		let report = crate::Reports::<Test>::get(0).expect("kept");
		assert_eq!((report.target, report.task_id, report.bond), (2, None, 50));
		assert_ok!(Fraud::confirm(RuntimeOrigin::root(), 0));
		assert_eq!(MockPenalties::stake(2), 200);
	});
}

/// A judge's noise on one solution, quality and innovation added: each axis uniform in
/// −4..=4, from a fixed-seed generator.
struct Noise(u64);
impl Noise {
	fn axis(&mut self) -> i16 {
		self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
		((self.0 >> 33) % 9) as i16 - 4
	}
	fn next(&mut self) -> i16 {
		self.axis() + self.axis()
	}
}

/// One round of validator 7 judging miners 100..105, with `bias` added on miner 101.
fn judge_round(noise: &mut Noise, round: u64, bias: i16) {
	let deviations: Vec<(u64, i16)> =
		(100..105u64).map(|m| (m, noise.next() + if m == 101 { bias } else { 0 })).collect();
	Fraud::note_judged(round, &7, false, &deviations);
}

fn leans(miner: u64) -> bool {
	Fraud::leaning(&7, &[miner], 0)
}

#[test]
fn honest_noise_never_leans() {
	build_and_execute(|| {
		let mut noise = Noise(20261203);
		for round in 0..300 {
			judge_round(&mut noise, round, 0);
			assert!(!Fraud::leaning(&7, &[100, 101, 102, 103, 104], 0), "round {round}");
		}
		assert_eq!(crate::JudgingLeanings::<Test>::get(7).rounds, 300);
	});
}

#[test]
fn a_bias_too_small_to_flag_leans_once_repeated_and_is_forgotten_once_stopped() {
	build_and_execute(|| {
		let mut noise = Noise(7);
		// +9 (say +5 quality, +4 innovation): far inside the outlier margin of one round
		for round in 0..crate::LEAN_ROUNDS as u64 - 1 {
			judge_round(&mut noise, round, 9);
			assert!(!leans(101), "too few rounds to tell from noise");
		}
		// statistical, so measured as a share: from the first rounds on, nearly always
		let mut leaning = Vec::new();
		for round in 5..105 {
			judge_round(&mut noise, round, 9);
			leaning.push(leans(101));
			assert!(!Fraud::leaning(&7, &[100, 102, 103, 104], 0), "only towards its partner");
		}
		assert!(leaning[..5].iter().any(|l| *l), "found within ten rounds");
		let share = leaning[5..].iter().filter(|l| **l).count();
		// (+9 is well under three of this judge's own noise per round: its own-noise margin
		// is nearly 7, so it leans in about half the rounds judging its partner — with the
		// collusion rule's quarter of rounds flagged, confirmed all the same)
		assert!(share >= 40, "leaning in {share} of the 95 rounds after");
		// a round judging the partner is a flagged round for the validator (the voting
		// pallet asks `leaning` before it notes the round)
		assert!(Fraud::leaning(&7, &[103, 101], 0));
		// honest again: the window forgets
		for round in 105..105 + 2 * crate::LEAN_WINDOW as u64 {
			judge_round(&mut noise, round, 0);
		}
		assert!(!leans(101));
	});
}

#[test]
fn a_generous_or_harsh_judge_is_not_leaning() {
	build_and_execute(|| {
		let mut noise = Noise(99);
		for round in 0..50 {
			// everyone +8: a taste, not a favour
			let deviations: Vec<(u64, i16)> =
				(100..105u64).map(|m| (m, noise.next() + 8)).collect();
			Fraud::note_judged(round, &7, false, &deviations);
			let harsh: Vec<(u64, i16)> = (100..105u64).map(|m| (m, noise.next() - 8)).collect();
			Fraud::note_judged(round, &8, false, &harsh);
		}
		assert!(!Fraud::leaning(&7, &[100, 101, 102, 103, 104], 0));
		assert!(!Fraud::leaning(&8, &[100, 101, 102, 103, 104], 0));
		// a round with nothing judged (all honeypots) notes nothing
		let before = crate::JudgingLeanings::<Test>::get(7);
		Fraud::note_judged(50, &7, false, &[]);
		assert_eq!(crate::JudgingLeanings::<Test>::get(7), before);
	});
}

#[test]
fn the_leanings_keep_the_miners_judged_most_recently() {
	build_and_execute(|| {
		let max = crate::MAX_LEANINGS as u64;
		// a partner, judged with a bias for long enough to lean towards it
		for round in 0..10 {
			Fraud::note_judged(round, &7, false, &[(1, 20), (2, 0), (3, 0)]);
		}
		assert!(leans(1));
		// then a market of new miners, three a round, until the partner is the oldest
		let mut miner = 1_000;
		for round in 10..10 + max / 3 + 1 {
			let deviations: Vec<(u64, i16)> = (miner..miner + 3).map(|m| (m, 0)).collect();
			miner += 3;
			Fraud::note_judged(round, &7, false, &deviations);
		}
		let leanings = crate::JudgingLeanings::<Test>::get(7);
		assert_eq!(leanings.miners.len() as u64, max, "bounded");
		assert!(leanings.miners.iter().all(|l| l.miner >= 1_000), "the oldest made room");
		assert!(leanings.miners.iter().any(|l| l.miner == miner - 1), "the newest is kept");
		assert!(!leans(1), "forgotten: the limit `docs/MECHANISM.md` names");
	});
}

#[test]
fn on_a_noisy_type_the_leaning_margin_widens_with_the_judges_noise() {
	build_and_execute(|| {
		// each axis uniform in −14..=14: σ ≈ 8.4 points, a task type four times as noisy
		let mut noise = Noise(31);
		let mut wide = || noise.next() * 7 / 2;
		let sigma = 8 * 256 + 100;
		for round in 0..300 {
			let deviations: Vec<(u64, i16)> = (100..105u64).map(|m| (m, wide())).collect();
			Fraud::note_judged(round, &7, false, &deviations);
			// told the type's noise, an honest judge never leans; nor, on a quiet type, does
			// one this noisy: its own spread widens its margin
			assert!(!Fraud::leaning(&7, &[100, 101, 102, 103, 104], sigma), "round {round}");
			assert!(!Fraud::leaning(&7, &[100, 101, 102, 103, 104], 0), "round {round}");
		}
		// the margin of a quiet type without the judge's own spread would find it leaning now
		// and then
		let leanings = crate::JudgingLeanings::<Test>::get(7);
		let quiet = (100..105u64).any(|m| leanings.leans_to(&m, 0, 0));
		let wide_margin = crate::JudgingSpreads::<Test>::get(7).mean;
		assert!(wide_margin > 6 * 256, "its own spread: {wide_margin}");
		let _ = quiet;
		// steering just inside a fixed margin of 15 — its partner +12 on both axes, every
		// rival −12 — still stands out of that noise
		for round in 300..330 {
			let deviations: Vec<(u64, i16)> =
				(100..105u64).map(|m| (m, wide() + if m == 101 { 24 } else { -24 })).collect();
			Fraud::note_judged(round, &7, false, &deviations);
		}
		assert!(Fraud::leaning(&7, &[101], sigma));
		assert!(Fraud::leaning(&7, &[101], 0), "marking the rivals down is not noise");
	});
}
