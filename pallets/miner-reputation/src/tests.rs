//! The pallet's behaviour, call by call, then the reputation rules.

use codec::Encode;
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_runtime::{DispatchError, Perbill};
use tos_primitives::{
	Ineligible, MinerLevel, MinerRegistry, OutcomeScores, ReputationDimension::*, ReputationLedger,
	Score, SpecializationSet, TaskType,
};

use crate::{mock::*, Error, Event, HoldReason, Miners, Params, ReputationParams};

fn code() -> SpecializationSet {
	SpecializationSet::from_types(&[TaskType::CodeGeneration])
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::MinerBond.into(), &who)
}

fn score(n: u8) -> Score {
	Score::new(n).unwrap()
}

fn register(who: u64, bond: u64) {
	assert_ok!(MinerReputation::register_miner(RuntimeOrigin::signed(who), code(), bond));
	events();
}

mod register_miner {
	use super::*;

	#[test]
	fn holds_the_bond_and_records_the_miner() {
		build_and_execute(|| {
			// when
			assert_ok!(MinerReputation::register_miner(RuntimeOrigin::signed(ALICE), code(), 100));
			// then
			assert_eq!(held(ALICE), 100);
			assert_eq!(Balances::free_balance(ALICE), 900);
			let miner = Miners::<Test>::get(ALICE).unwrap();
			assert_eq!((miner.bond, miner.specializations, miner.registered_at), (100, code(), 1));
			assert_eq!(
				events(),
				vec![Event::MinerRegistered { who: ALICE, specializations: code(), bond: 100 }]
			);
		});
	}

	#[test]
	fn errors() {
		build_and_execute(|| {
			let origin = || RuntimeOrigin::signed(ALICE);
			assert_noop!(
				MinerReputation::register_miner(RuntimeOrigin::none(), code(), 100),
				DispatchError::BadOrigin
			);
			assert_noop!(
				MinerReputation::register_miner(origin(), SpecializationSet::empty(), 100),
				Error::<Test>::InvalidSpecializations
			);
			assert_noop!(
				MinerReputation::register_miner(origin(), code(), 9),
				Error::<Test>::BondBelowMinimum
			);
			assert_noop!(
				MinerReputation::register_miner(RuntimeOrigin::signed(PAUPER), code(), 10),
				Error::<Test>::InsufficientBalance
			);
			assert_noop!(
				MinerReputation::register_miner(origin(), code(), 1_001),
				Error::<Test>::InsufficientBalance
			);
			register(ALICE, 100);
			assert_noop!(
				MinerReputation::register_miner(origin(), code(), 100),
				Error::<Test>::AlreadyRegistered
			);
		});
	}

	#[test]
	fn an_unknown_task_type_bit_is_refused() {
		build_and_execute(|| {
			let bogus: SpecializationSet = codec::Decode::decode(&mut &[0xff, 0xff][..]).unwrap();
			assert_noop!(
				MinerReputation::register_miner(RuntimeOrigin::signed(ALICE), bogus, 100),
				Error::<Test>::InvalidSpecializations
			);
		});
	}
}

mod update_specializations {
	use super::*;

	#[test]
	fn replaces_the_set() {
		build_and_execute(|| {
			register(ALICE, 100);
			let both = code().with(TaskType::DataAnalysis);
			assert_ok!(MinerReputation::update_specializations(RuntimeOrigin::signed(ALICE), both));
			assert_eq!(Miners::<Test>::get(ALICE).unwrap().specializations, both);
			assert_eq!(
				events(),
				vec![Event::SpecializationsUpdated { who: ALICE, specializations: both }]
			);
		});
	}

	#[test]
	fn errors() {
		build_and_execute(|| {
			assert_noop!(
				MinerReputation::update_specializations(RuntimeOrigin::signed(ALICE), code()),
				Error::<Test>::NotRegistered
			);
			register(ALICE, 100);
			assert_noop!(
				MinerReputation::update_specializations(
					RuntimeOrigin::signed(ALICE),
					SpecializationSet::empty()
				),
				Error::<Test>::InvalidSpecializations
			);
			assert_noop!(
				MinerReputation::update_specializations(RuntimeOrigin::none(), code()),
				DispatchError::BadOrigin
			);
		});
	}
}

mod bond_extra {
	use super::*;

	#[test]
	fn holds_more() {
		build_and_execute(|| {
			register(ALICE, 100);
			assert_ok!(MinerReputation::bond_extra(RuntimeOrigin::signed(ALICE), 50));
			assert_eq!(held(ALICE), 150);
			assert_eq!(Miners::<Test>::get(ALICE).unwrap().bond, 150);
			assert_eq!(events(), vec![Event::Bonded { who: ALICE, amount: 50 }]);
		});
	}

	#[test]
	fn errors() {
		build_and_execute(|| {
			assert_noop!(
				MinerReputation::bond_extra(RuntimeOrigin::signed(ALICE), 50),
				Error::<Test>::NotRegistered
			);
			register(ALICE, 100);
			assert_noop!(
				MinerReputation::bond_extra(RuntimeOrigin::signed(ALICE), 0),
				Error::<Test>::ZeroAmount
			);
			assert_noop!(
				MinerReputation::bond_extra(RuntimeOrigin::signed(ALICE), 901),
				Error::<Test>::InsufficientBalance
			);
			assert_noop!(
				MinerReputation::bond_extra(RuntimeOrigin::none(), 1),
				DispatchError::BadOrigin
			);
			// fully unbonding, then topping up below the minimum
			assert_ok!(MinerReputation::unbond(RuntimeOrigin::signed(ALICE), 100));
			assert_noop!(
				MinerReputation::bond_extra(RuntimeOrigin::signed(ALICE), 5),
				Error::<Test>::BondBelowMinimum
			);
		});
	}
}

mod unbond_and_withdraw {
	use super::*;

	#[test]
	fn bond_comes_back_after_the_delay_and_a_full_exit_deregisters() {
		build_and_execute(|| {
			register(ALICE, 100);
			// when: part now, the rest later
			assert_ok!(MinerReputation::unbond(RuntimeOrigin::signed(ALICE), 30));
			assert_eq!(events(), vec![Event::Unbonding { who: ALICE, amount: 30, unlock_at: 6 }]);
			assert_eq!(held(ALICE), 100, "still held while unbonding");
			run_to_block(3);
			assert_ok!(MinerReputation::unbond(RuntimeOrigin::signed(ALICE), 70));
			// then: nothing before the delay
			run_to_block(5);
			assert_noop!(
				MinerReputation::withdraw_unbonded(RuntimeOrigin::signed(ALICE)),
				Error::<Test>::NothingToWithdraw
			);
			run_to_block(6);
			events();
			assert_ok!(MinerReputation::withdraw_unbonded(RuntimeOrigin::signed(ALICE)));
			assert_eq!((held(ALICE), Balances::free_balance(ALICE)), (70, 930));
			assert_eq!(events(), vec![Event::Withdrawn { who: ALICE, amount: 30 }]);
			run_to_block(8);
			assert_ok!(MinerReputation::withdraw_unbonded(RuntimeOrigin::signed(ALICE)));
			assert_eq!((held(ALICE), Balances::free_balance(ALICE)), (0, 1_000));
			assert_eq!(
				events(),
				vec![
					Event::Withdrawn { who: ALICE, amount: 70 },
					Event::MinerDeregistered { who: ALICE }
				]
			);
			assert!(Miners::<Test>::get(ALICE).is_none());
		});
	}

	#[test]
	fn unbond_errors() {
		build_and_execute(|| {
			let origin = || RuntimeOrigin::signed(ALICE);
			assert_noop!(MinerReputation::unbond(origin(), 10), Error::<Test>::NotRegistered);
			register(ALICE, 100);
			assert_noop!(MinerReputation::unbond(origin(), 0), Error::<Test>::ZeroAmount);
			assert_noop!(MinerReputation::unbond(origin(), 101), Error::<Test>::InsufficientBond);
			// 95 would leave 5 at stake, below the minimum of 10
			assert_noop!(MinerReputation::unbond(origin(), 95), Error::<Test>::BondBelowMinimum);
			assert_noop!(
				MinerReputation::unbond(RuntimeOrigin::none(), 1),
				DispatchError::BadOrigin
			);
			for _ in 0..16 {
				assert_ok!(MinerReputation::unbond(origin(), 1));
			}
			assert_noop!(
				MinerReputation::unbond(origin(), 1),
				Error::<Test>::TooManyUnlockingChunks
			);
		});
	}

	#[test]
	fn withdraw_errors() {
		build_and_execute(|| {
			assert_noop!(
				MinerReputation::withdraw_unbonded(RuntimeOrigin::signed(ALICE)),
				Error::<Test>::NotRegistered
			);
			register(ALICE, 100);
			assert_noop!(
				MinerReputation::withdraw_unbonded(RuntimeOrigin::signed(ALICE)),
				Error::<Test>::NothingToWithdraw
			);
			assert_noop!(
				MinerReputation::withdraw_unbonded(RuntimeOrigin::none()),
				DispatchError::BadOrigin
			);
		});
	}

	#[test]
	fn an_open_commitment_keeps_the_stake_until_its_reveal_window_closes() {
		use tos_primitives::MinerRegistry;
		build_and_execute(|| {
			register(ALICE, 100);
			MinerReputation::commitment_opened(&ALICE);
			MinerReputation::commitment_opened(&ALICE);
			assert_ok!(MinerReputation::unbond(RuntimeOrigin::signed(ALICE), 100));
			System::set_block_number(1_000_000);
			assert_noop!(
				MinerReputation::withdraw_unbonded(RuntimeOrigin::signed(ALICE)),
				Error::<Test>::OpenCommitments
			);
			MinerReputation::commitment_closed(&ALICE);
			assert_noop!(
				MinerReputation::withdraw_unbonded(RuntimeOrigin::signed(ALICE)),
				Error::<Test>::OpenCommitments
			);
			MinerReputation::commitment_closed(&ALICE);
			assert_ok!(MinerReputation::withdraw_unbonded(RuntimeOrigin::signed(ALICE)));
		});
	}
}

mod set_params {
	use super::*;

	#[test]
	fn governance_changes_the_rules() {
		build_and_execute(|| {
			let params = ReputationParams { min_bond: 50, ..test_params() };
			assert_ok!(MinerReputation::set_params(RuntimeOrigin::root(), params));
			assert_eq!(Params::<Test>::get(), Some(params));
			assert_eq!(events(), vec![Event::ParamsUpdated]);
			assert_noop!(
				MinerReputation::register_miner(RuntimeOrigin::signed(ALICE), code(), 40),
				Error::<Test>::BondBelowMinimum
			);
		});
	}

	#[test]
	fn errors() {
		build_and_execute(|| {
			let set = |p| MinerReputation::set_params(RuntimeOrigin::root(), p);
			assert_noop!(
				MinerReputation::set_params(RuntimeOrigin::signed(ALICE), test_params()),
				DispatchError::BadOrigin
			);
			let p = test_params();
			let [s, e, m] = p.level_thresholds;
			assert_noop!(
				set(ReputationParams { level_thresholds: [e, s, m], ..p }),
				Error::<Test>::InvalidThresholds
			);
			assert_noop!(
				set(ReputationParams { floor: Perbill::from_percent(50), ..p }),
				Error::<Test>::InvalidThresholds
			);
			assert_noop!(
				set(ReputationParams { learning_rate: Perbill::zero(), ..p }),
				Error::<Test>::InvalidLearningRate
			);
			assert_noop!(
				set(ReputationParams { unbonding_delay: 0, ..p }),
				Error::<Test>::InvalidUnbondingDelay
			);
			assert_noop!(
				set(ReputationParams { unbonding_delay: 10_001, ..p }),
				Error::<Test>::InvalidUnbondingDelay
			);
		});
	}
}

mod reputation {
	use super::*;

	/// A task worth [`RecordValue`]: a whole task on record.
	const FULL: u128 = 100;

	fn good_work() -> OutcomeScores {
		OutcomeScores::only(Completion, score(100)).with(Quality, score(100))
	}

	#[test]
	fn a_new_account_starts_at_the_floor_as_a_novice() {
		build_and_execute(|| {
			let reputation = MinerReputation::reputation_of(&ALICE);
			assert_eq!(reputation.score, Perbill::from_percent(10));
			assert_eq!(reputation.dimensions, [Perbill::from_percent(10); 5]);
			assert_eq!(MinerReputation::level_of(&ALICE), MinerLevel::Novice);
		});
	}

	#[test]
	fn good_outcomes_raise_the_score_and_the_level() {
		build_and_execute(|| {
			// 10 % → each outcome moves 10 % of the way to 100 %
			MinerReputation::record(&ALICE, TaskType::CodeGeneration, good_work(), FULL);
			let reputation = MinerReputation::reputation_of(&ALICE);
			assert_eq!(reputation.score, Perbill::from_percent(19));
			assert_eq!(reputation.dimensions[Completion.index()], Perbill::from_percent(19));
			assert_eq!(reputation.dimensions[PeerReview.index()], Perbill::from_percent(10));
			assert_eq!(
				events(),
				vec![Event::ReputationRecorded {
					who: ALICE,
					specialization: TaskType::CodeGeneration,
					score: Perbill::from_percent(19),
					level: MinerLevel::Novice,
				}]
			);
			// 1 - 0.9^n ≥ (0.4 - 0.1) / 0.9 from n = 4: Skilled after four outcomes
			for _ in 0..3 {
				MinerReputation::record(&ALICE, TaskType::CodeGeneration, good_work(), FULL);
			}
			assert_eq!(MinerReputation::level_of(&ALICE), MinerLevel::Skilled);
			for _ in 0..30 {
				MinerReputation::record(&ALICE, TaskType::CodeGeneration, good_work(), FULL);
			}
			assert_eq!(MinerReputation::level_of(&ALICE), MinerLevel::Master);
			// kept per specialization too, and only there
			let code =
				MinerReputation::specialization_reputation_of(&ALICE, TaskType::CodeGeneration);
			let data =
				MinerReputation::specialization_reputation_of(&ALICE, TaskType::DataAnalysis);
			assert_eq!(code.record, 34 * crate::RECORD_UNIT);
			assert_eq!(data.record, 0);
			assert_eq!(data.score, Perbill::from_percent(10));
		});
	}

	#[test]
	fn a_level_takes_a_record_as_well_as_a_score_and_so_does_priority() {
		build_and_execute(|| {
			LevelOutcomes::set([5, 10, 40]);
			register(ALICE, 100);
			register(BOB, 100);
			// nine good outcomes: an Expert's score (65 %), a Skilled's record (9 < 10)
			for _ in 0..9 {
				MinerReputation::record(&ALICE, TaskType::CodeGeneration, good_work(), FULL);
			}
			let reputation = MinerReputation::reputation_of(&ALICE);
			assert!(reputation.score >= Perbill::from_percent(65), "{:?}", reputation.score);
			assert_eq!(MinerReputation::level_of(&ALICE), MinerLevel::Skilled);
			// it ranks by the floor and the share of a Master's record it has (9 of 40) of
			// what its score gained above the floor
			let floor = Perbill::from_percent(10);
			let (priority, _) = <MinerReputation as MinerRegistry<u64>>::priority(&ALICE);
			assert_eq!(
				priority,
				floor + Perbill::from_rational(9u32, 40) * (reputation.score - floor)
			);
			// thirty more: a Master's score (85 %), an Expert's record (39 < 40)
			for _ in 0..30 {
				MinerReputation::record(&ALICE, TaskType::CodeGeneration, good_work(), FULL);
			}
			assert!(MinerReputation::reputation_of(&ALICE).score >= Perbill::from_percent(85));
			assert_eq!(MinerReputation::level_of(&ALICE), MinerLevel::Expert);
			MinerReputation::record(&ALICE, TaskType::CodeGeneration, good_work(), FULL);
			assert_eq!(MinerReputation::level_of(&ALICE), MinerLevel::Master);
			let (priority, _) = <MinerReputation as MinerRegistry<u64>>::priority(&ALICE);
			assert_eq!(priority, MinerReputation::reputation_of(&ALICE).score);
			// a quality alone (a task's judgement, recorded apart from its completion) moves
			// the score but is not another task on the record
			MinerReputation::record(
				&BOB,
				TaskType::CodeGeneration,
				OutcomeScores::only(Quality, score(10)),
				FULL,
			);
			assert_eq!(MinerReputation::reputation_of(&BOB).record, 0);
			// one outcome: a Novice, ranked by a fortieth of what it gained (19 % - 10 %)
			MinerReputation::record(&BOB, TaskType::CodeGeneration, good_work(), FULL);
			let (bob, _) = <MinerReputation as MinerRegistry<u64>>::priority(&BOB);
			assert_eq!(bob, floor + Perbill::from_rational(1u32, 40) * Perbill::from_percent(9));
			assert_eq!(MinerReputation::level_of(&BOB), MinerLevel::Novice);
			// a failure counts in full: a record of junk ranks below a fresh identity, however
			// long it is
			register(CHARLIE, 100);
			let fresh = <MinerReputation as MinerRegistry<u64>>::priority(&CHARLIE);
			for _ in 0..30 {
				MinerReputation::record(
					&BOB,
					TaskType::CodeGeneration,
					OutcomeScores::only(Completion, Score::default()),
					FULL,
				);
			}
			let (bob, _) = <MinerReputation as MinerRegistry<u64>>::priority(&BOB);
			assert_eq!(bob, MinerReputation::reputation_of(&BOB).score);
			assert!((bob, 100) < fresh, "{bob:?} against {fresh:?}");
		});
	}

	#[test]
	fn fraud_caps_what_good_work_can_earn() {
		build_and_execute(|| {
			MinerReputation::record_fraud(&BOB);
			MinerReputation::record_fraud(&BOB);
			assert_eq!(events().last(), Some(&Event::FraudRecorded { who: BOB, fraud_flags: 2 }));
			for _ in 0..200 {
				MinerReputation::record(&ALICE, TaskType::CodeGeneration, good_work(), FULL);
				MinerReputation::record(&BOB, TaskType::CodeGeneration, good_work(), FULL);
			}
			// Bob's target is 0.8² = 64 %: never Expert (65 %), however good his work
			let (alice, bob) =
				(MinerReputation::reputation_of(&ALICE), MinerReputation::reputation_of(&BOB));
			assert!(alice.score > Perbill::from_percent(99));
			assert!(
				bob.score <= Perbill::from_percent(64) && bob.score > Perbill::from_percent(63)
			);
			assert_eq!(MinerReputation::level_of(&BOB), MinerLevel::Skilled);
		});
	}

	#[test]
	fn a_clean_record_forgives_one_fraud_per_recovery_period() {
		build_and_execute(|| {
			MinerReputation::record_fraud(&BOB);
			MinerReputation::record_fraud(&BOB);
			// given two frauds recorded in block 1, the mock forgives one per 1 000 blocks
			run_to_block(1_000);
			assert_eq!(MinerReputation::reputation_of(&BOB).fraud_flags, 2);
			run_to_block(1_001);
			assert_eq!(MinerReputation::reputation_of(&BOB).fraud_flags, 1);
			// a new fraud restarts the count
			run_to_block(1_500);
			MinerReputation::record_fraud(&BOB);
			assert_eq!(events().last(), Some(&Event::FraudRecorded { who: BOB, fraud_flags: 2 }));
			run_to_block(2_499);
			assert_eq!(MinerReputation::reputation_of(&BOB).fraud_flags, 2);
			run_to_block(3_500);
			assert_eq!(MinerReputation::reputation_of(&BOB).fraud_flags, 0);
			// with the frauds gone, good work reaches the top again
			for _ in 0..200 {
				MinerReputation::record(&BOB, TaskType::CodeGeneration, good_work(), FULL);
			}
			assert!(MinerReputation::reputation_of(&BOB).score > Perbill::from_percent(99));
			assert_eq!(MinerReputation::level_of(&BOB), MinerLevel::Master);
		});
	}

	#[test]
	fn priority_is_reputation_then_stake() {
		build_and_execute(|| {
			register(ALICE, 100);
			register(BOB, 200);
			let floor = Perbill::from_percent(10);
			assert_eq!(MinerReputation::priority(&ALICE), (floor, 100));
			assert!(MinerReputation::priority(&BOB) > MinerReputation::priority(&ALICE));
			MinerReputation::record(&ALICE, TaskType::CodeGeneration, good_work(), FULL);
			assert!(MinerReputation::priority(&ALICE) > MinerReputation::priority(&BOB));
			assert_eq!(MinerReputation::priority(&CHARLIE), (floor, 0), "not a miner");
		});
	}

	#[test]
	fn the_v1_migration_adds_fraud_recovery_to_rules_and_reputations() {
		use crate::migrations::v1;
		use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
		build_and_execute(|| {
			StorageVersion::new(0).put::<MinerReputation>();
			let old = v1::OldReputation {
				dimensions: [Perbill::from_percent(50); 5],
				score: Perbill::from_percent(60),
				last_active: 7u64,
				fraud_flags: 1,
				outcomes: 3,
			};
			let key = crate::Reputations::<Test>::hashed_key_for(ALICE);
			sp_io::storage::set(&key, &old.encode());
			let special =
				crate::SpecializationReputations::<Test>::hashed_key_for(ALICE, TaskType::Other);
			sp_io::storage::set(&special, &old.encode());
			let p = MinerReputation::params();
			v1::old::Params::<Test>::put(v1::OldParams {
				min_bond: 3,
				unbonding_delay: p.unbonding_delay,
				learning_rate: p.learning_rate,
				floor: p.floor,
				decay_period: p.decay_period,
				decay_rate: p.decay_rate,
				fraud_penalty: p.fraud_penalty,
				innovation_bonus: p.innovation_bonus,
				level_thresholds: p.level_thresholds,
			});
			v1::MigrateToV1::<Test>::on_runtime_upgrade();
			assert_eq!(MinerReputation::on_chain_storage_version(), StorageVersion::new(1));
			assert_eq!(crate::Reputations::<Test>::get(ALICE), Some(old.upgraded()));
			assert_eq!(old.upgraded().last_fraud, 7);
			assert_eq!(
				crate::SpecializationReputations::<Test>::get(ALICE, TaskType::Other),
				Some(old.upgraded())
			);
			let params = crate::Params::<Test>::get().unwrap();
			assert_eq!((params.min_bond, params.fraud_recovery), (3, 1_000));
		});
	}

	#[test]
	fn a_confirmed_fraud_drops_the_level_at_once_and_the_climb_back_is_a_whole_level() {
		build_and_execute(|| {
			LevelOutcomes::set([5, 10, 40]);
			register(ALICE, 100);
			// a long con: forty-one good outcomes make a Master
			for _ in 0..41 {
				MinerReputation::record(&ALICE, TaskType::CodeGeneration, good_work(), FULL);
			}
			assert_eq!(MinerReputation::level_of(&ALICE), MinerLevel::Master);
			// the first confirmed fraud: an Expert, with an Expert's record from its start
			MinerReputation::record_fraud(&ALICE);
			assert_eq!(MinerReputation::level_of(&ALICE), MinerLevel::Expert);
			assert_eq!(MinerReputation::reputation_of(&ALICE).record, 10 * crate::RECORD_UNIT);
			// the second: Skilled, and a third: a Novice with no record at all
			MinerReputation::record_fraud(&ALICE);
			assert_eq!(MinerReputation::level_of(&ALICE), MinerLevel::Skilled);
			MinerReputation::record_fraud(&ALICE);
			assert_eq!(MinerReputation::level_of(&ALICE), MinerLevel::Novice);
			assert_eq!(MinerReputation::reputation_of(&ALICE).record, 0);
			// five more good outcomes are a Skilled record again, no more
			for _ in 0..5 {
				MinerReputation::record(&ALICE, TaskType::CodeGeneration, good_work(), FULL);
			}
			assert!(MinerReputation::level_of(&ALICE) <= MinerLevel::Skilled);
			assert_eq!(MinerReputation::reputation_of(&ALICE).record, 5 * crate::RECORD_UNIT);
		});
	}

	#[test]
	fn a_record_counts_the_value_judged_not_the_number_of_tasks() {
		build_and_execute(|| {
			LevelOutcomes::set([5, 10, 40]);
			let floor = Perbill::from_percent(10);
			// a hundred tasks of 1 (a hundredth of the 100 a whole task is worth): a Master's
			// score, one task's record — a Novice, ranked by a fortieth of what it gained
			for _ in 0..100 {
				MinerReputation::record(&ALICE, TaskType::CodeGeneration, good_work(), 1);
			}
			let alice = MinerReputation::reputation_of(&ALICE);
			assert!(alice.score >= Perbill::from_percent(85), "{:?}", alice.score);
			assert_eq!(alice.record, crate::RECORD_UNIT);
			assert_eq!(MinerReputation::level_of(&ALICE), MinerLevel::Novice);
			register(ALICE, 100);
			let (priority, _) = <MinerReputation as MinerRegistry<u64>>::priority(&ALICE);
			assert_eq!(priority, floor + Perbill::from_rational(1u32, 40) * (alice.score - floor));
			// five whole tasks make the Skilled record the hundred tiny ones did not
			for _ in 0..5 {
				MinerReputation::record(&BOB, TaskType::CodeGeneration, good_work(), FULL);
			}
			assert_eq!(MinerReputation::level_of(&BOB), MinerLevel::Skilled);
			// a task worth more than a whole one counts as one; half as much, as half
			for _ in 0..5 {
				MinerReputation::record(&BOB, TaskType::CodeGeneration, good_work(), 10 * FULL);
			}
			assert_eq!(MinerReputation::reputation_of(&BOB).record, 10 * crate::RECORD_UNIT);
			MinerReputation::record(&BOB, TaskType::CodeGeneration, good_work(), FULL / 2);
			assert_eq!(MinerReputation::reputation_of(&BOB).record, 10_500);
			// a task worth less than a thousandth of a whole one adds nothing, and a judgement
			// without a completion never did
			RecordValue::set(100_000);
			MinerReputation::record(&BOB, TaskType::CodeGeneration, good_work(), 99);
			MinerReputation::record(
				&BOB,
				TaskType::CodeGeneration,
				OutcomeScores::only(Quality, score(90)),
				100_000,
			);
			assert_eq!(MinerReputation::reputation_of(&BOB).record, 10_500);
			// with no value set every task counts in full
			RecordValue::set(0);
			MinerReputation::record(&CHARLIE, TaskType::CodeGeneration, good_work(), 1);
			assert_eq!(MinerReputation::reputation_of(&CHARLIE).record, crate::RECORD_UNIT);
		});
	}

	#[test]
	fn the_v2_migration_counts_old_records_in_thousandths_once() {
		use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
		build_and_execute(|| {
			LevelOutcomes::set([5, 10, 40]);
			for _ in 0..12 {
				MinerReputation::record(&ALICE, TaskType::CodeGeneration, good_work(), FULL);
			}
			// as version 1 stored it: whole tasks
			let counted = MinerReputation::reputation_of(&ALICE);
			let old = crate::Reputation { record: 12, ..counted };
			crate::Reputations::<Test>::insert(ALICE, old);
			crate::SpecializationReputations::<Test>::insert(ALICE, TaskType::CodeGeneration, old);
			StorageVersion::new(1).put::<MinerReputation>();
			assert_eq!(MinerReputation::level_of(&ALICE), MinerLevel::Novice, "12 thousandths");
			crate::migrations::v2::MigrateToV2::<Test>::on_runtime_upgrade();
			assert_eq!(MinerReputation::on_chain_storage_version(), StorageVersion::new(2));
			assert_eq!(crate::Reputations::<Test>::get(ALICE), Some(counted));
			assert_eq!(
				MinerReputation::specialization_reputation_of(&ALICE, TaskType::CodeGeneration)
					.record,
				12 * crate::RECORD_UNIT
			);
			assert_eq!(MinerReputation::level_of(&ALICE), MinerLevel::Expert);
			// run again (a second upgrade listing it): nothing changes
			crate::migrations::v2::MigrateToV2::<Test>::on_runtime_upgrade();
			assert_eq!(crate::Reputations::<Test>::get(ALICE), Some(counted));
		});
	}

	#[test]
	fn inactivity_decays_towards_the_floor_in_whole_periods() {
		build_and_execute(|| {
			for _ in 0..50 {
				MinerReputation::record(&ALICE, TaskType::CodeGeneration, good_work(), FULL);
			}
			let active = MinerReputation::reputation_of(&ALICE).score;
			// less than one period: no decay
			run_to_block(100);
			assert_eq!(MinerReputation::reputation_of(&ALICE).score, active);
			// ten periods: the distance to the 10 % floor shrinks by 0.99^10
			run_to_block(1_001);
			let expected =
				crate::decayed(active, Perbill::from_percent(10), Perbill::from_percent(1), 10);
			let decayed = MinerReputation::reputation_of(&ALICE);
			assert_eq!(decayed.score, expected);
			assert!(decayed.score < active);
			// reading does not store anything; recording stores the decayed value first
			assert_eq!(crate::Reputations::<Test>::get(ALICE).unwrap().score, active);
			MinerReputation::record(
				&ALICE,
				TaskType::CodeGeneration,
				OutcomeScores::only(PeerReview, score(0)),
				FULL,
			);
			let stored = crate::Reputations::<Test>::get(ALICE).unwrap();
			assert!(stored.score < expected, "decayed, then moved towards 0");
			assert_eq!(stored.last_active, 1_001);
		});
	}

	#[test]
	fn eligibility_follows_registration_bans_specializations_and_level() {
		build_and_execute(|| {
			use TaskType::*;
			let check = |who, t, l| MinerReputation::check_eligible(&who, t, l);
			assert_eq!(
				check(ALICE, CodeGeneration, MinerLevel::Novice),
				Err(Ineligible::NotRegistered)
			);
			register(ALICE, 100);
			assert_eq!(check(ALICE, CodeGeneration, MinerLevel::Novice), Ok(()));
			assert_eq!(
				check(ALICE, DataAnalysis, MinerLevel::Novice),
				Err(Ineligible::WrongSpecialization)
			);
			assert_eq!(
				check(ALICE, CodeGeneration, MinerLevel::Skilled),
				Err(Ineligible::LevelTooLow)
			);
			MinerReputation::ban(&ALICE, 10);
			assert_eq!(check(ALICE, CodeGeneration, MinerLevel::Novice), Err(Ineligible::Banned));
			run_to_block(10);
			assert_eq!(check(ALICE, CodeGeneration, MinerLevel::Novice), Ok(()));
			// nothing at stake: not a miner for new tasks
			assert_ok!(MinerReputation::unbond(RuntimeOrigin::signed(ALICE), 100));
			assert_eq!(
				check(ALICE, CodeGeneration, MinerLevel::Novice),
				Err(Ineligible::NotRegistered)
			);
		});
	}
}
