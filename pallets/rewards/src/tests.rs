//! Settlement arithmetic, the split's bounds, emission under the cap, and era claims.

use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect, Hooks},
};
use sp_runtime::{DispatchError, Perbill};
use tos_primitives::{
	OnValidated, Score, SettlementInfo, SolutionScore, ValidationOutcome, ValidatorResult,
};

use crate::{mock::*, EraPoints, EraPools, Error, Event, RewardSplit, TotalEmitted};

const A: u64 = 1;
const B: u64 = 2;
const C: u64 = 3;
const D: u64 = 4;
const V1: u64 = 5;
const V2: u64 = 6;

fn sc(quality: u8, innovation: u8) -> SolutionScore {
	SolutionScore {
		quality: Score::new(quality).unwrap(),
		innovation: Score::new(innovation).unwrap(),
	}
}

fn free(who: u64) -> u64 {
	Balances::balance(&who)
}

fn run_to(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}

/// Task 1: reward 10 000, threshold 50. A (80/60) committed first, B (60/90) halfway; C (40)
/// participates; D (10) is below the participant minimum of 30.
fn judged() -> ValidationOutcome<u64> {
	judged_published_at(0)
}

/// [`judged`], the task published in block `published_at`.
fn judged_published_at(published_at: u64) -> ValidationOutcome<u64> {
	MockTasks::judging(SettlementInfo {
		publisher: PUBLISHER,
		published_at,
		reward: 10_000,
		quality_threshold: Score::new(50).unwrap(),
		solvers: vec![
			(A, Perbill::one()),
			(B, Perbill::from_percent(50)),
			(C, Perbill::zero()),
			(D, Perbill::one()),
		],
	});
	ValidationOutcome {
		solutions: vec![(A, sc(80, 60)), (B, sc(60, 90)), (C, sc(40, 100)), (D, sc(10, 10))],
		validators: vec![
			ValidatorResult { validator: V1, accuracy: Score::MAX, weight: 100 },
			ValidatorResult { validator: V2, accuracy: Score::new(50).unwrap(), weight: 100 },
		],
	}
}

#[test]
fn the_escrow_is_split_to_the_unit() {
	build_and_execute(|| {
		let outcome = judged();
		let before: Vec<u64> = [A, B, C, D, V1, V2, TREASURY, PUBLISHER].map(free).to_vec();
		Rewards::on_validated(1, &outcome);
		let gain: Vec<u64> = [A, B, C, D, V1, V2, TREASURY, PUBLISHER]
			.iter()
			.zip(before)
			.map(|(w, b)| free(*w) - b)
			.collect();
		// quality 4 000 as 80 : 60 → 2 285 + 1 714; innovation 2 000 as 60 : 90 → 800 + 1 200;
		// time 1 000 as 1 : ½ → 666 + 333; participants 1 250 → C; validators 1 250 as
		// 100 × 100 : 50 × 100 → 833 + 416; the treasury 500 and the three planck of rounding
		assert_eq!(gain, vec![3_751, 3_247, 1_250, 0, 833, 416, 503, 0]);
		assert_eq!(gain.iter().sum::<u64>(), 10_000);
		let events = events();
		assert_eq!(
			events.last(),
			Some(&Event::TaskRewarded { task_id: 1, winners: 2, paid: 9_497, to_treasury: 503 })
		);
		assert!(events.contains(&Event::RewardPaid { task_id: 1, who: C, amount: 1_250 }));
		assert!(events.contains(&Event::RewardPaid { task_id: 1, who: A, amount: 3_751 }));
		assert_eq!(events.len(), 6, "one payment per account, then the summary");
		// emission points: A, B and C by quality; D is below the minimum; validators by accuracy
		assert_eq!(EraPoints::<Test>::get(0, A), Some((80, 0)));
		assert_eq!(EraPoints::<Test>::get(0, C), Some((40, 0)));
		assert_eq!(EraPoints::<Test>::get(0, D), None);
		assert_eq!(EraPoints::<Test>::get(0, V2), Some((0, 50)));
		let pool = EraPools::<Test>::get(0).unwrap();
		assert_eq!((pool.miner_points, pool.validator_points), (180, 150));
	});
}

#[test]
fn nothing_above_the_threshold_refunds_less_the_fee() {
	build_and_execute(|| {
		let mut outcome = judged();
		outcome.solutions.retain(|(w, _)| *w == C || *w == D);
		let (publisher, treasury, v1) = (free(PUBLISHER), free(TREASURY), free(V1));
		Rewards::on_validated(1, &outcome);
		assert_eq!(free(PUBLISHER) - publisher, 9_500);
		assert_eq!(free(TREASURY) - treasury, 500);
		assert_eq!(free(V1), v1, "a refund pays nobody else");
		assert_eq!(events(), vec![Event::TaskRefunded { task_id: 1, refunded: 9_500, fee: 500 }]);
	});
}

#[test]
fn an_unknown_task_is_ignored() {
	build_and_execute(|| {
		let outcome = judged();
		Rewards::on_validated(2, &outcome);
		assert!(events().is_empty());
		assert_eq!(free(ESCROW), 10_001);
	});
}

#[test]
fn no_split_of_random_outcomes_pays_more_or_less_than_the_escrow() {
	build_and_execute(|| {
		let mut seed = 7u64;
		let mut next = |m: u64| {
			seed = seed
				.wrapping_mul(6_364_136_223_846_793_005)
				.wrapping_add(1_442_695_040_888_963_407);
			(seed >> 33) % m
		};
		for _ in 0..200 {
			let reward = 1 + next(1_000_000);
			let n = 1 + next(8);
			let solvers: Vec<(u64, Perbill)> =
				(0..n).map(|i| (10 + i, Perbill::from_parts(next(1_000_000_001) as u32))).collect();
			let outcome = ValidationOutcome {
				solutions: solvers
					.iter()
					.map(|(w, _)| (*w, sc(next(101) as u8, next(101) as u8)))
					.collect(),
				validators: (0..next(5))
					.map(|i| ValidatorResult {
						validator: 30 + i,
						accuracy: Score::new(next(101) as u8).unwrap(),
						weight: u128::from(next(1_000)),
					})
					.collect(),
			};
			MockTasks::judging(SettlementInfo {
				publisher: PUBLISHER,
				published_at: 0,
				reward,
				quality_threshold: Score::new(next(101) as u8).unwrap(),
				solvers,
			});
			let split = Rewards::split();
			let (payouts, winners) = Rewards::payouts(
				reward,
				Score::new(50).unwrap(),
				&MockTasks::settlement_info_of(),
				&outcome,
				&split,
			);
			let paid: u64 = payouts.iter().map(|(_, a)| a).sum();
			assert!(paid <= reward, "{paid} > {reward}");
			if winners > 0 {
				// the network's part never goes to anyone else
				assert!(paid <= reward - reward * 500 / 10_000);
			}
			let escrow = free(ESCROW);
			Rewards::on_validated(1, &outcome);
			assert_eq!(escrow - free(ESCROW), reward, "exactly the escrow left it");
		}
	});
}

/// A valid split other than the default: more for quality and the network, a lower
/// participant minimum.
fn other_split() -> RewardSplit {
	RewardSplit {
		quality: 4_500,
		innovation: 1_500,
		time: 1_000,
		participants: 1_000,
		validators: 1_000,
		network: 1_000,
		participant_min: Score::new(20).unwrap(),
	}
}

#[test]
fn the_split_is_governed_within_bounds() {
	build_and_execute(|| {
		let split = other_split();
		assert!(split.is_valid());
		assert_noop!(Rewards::set_split(RuntimeOrigin::signed(1), split), DispatchError::BadOrigin);
		for bad in [
			// winners above 70 %
			RewardSplit {
				quality: 5_100,
				participants: 1_000,
				validators: 1_000,
				network: 500,
				innovation: 1_400,
				time: 1_000,
				..split
			},
			// winners below 60 %
			RewardSplit {
				quality: 3_500,
				innovation: 1_500,
				time: 900,
				participants: 1_500,
				validators: 1_500,
				network: 1_100,
				..split
			},
			// participants below 10 %
			RewardSplit { participants: 900, network: 1_100, ..split },
			// validators above 15 %
			RewardSplit { validators: 1_600, quality: 3_900, ..split },
			// network below 5 %
			RewardSplit {
				network: 400,
				validators: 1_100,
				quality: 4_500,
				innovation: 1_500,
				..split
			},
			// not the whole
			RewardSplit { network: 900, ..split },
			RewardSplit { participant_min: codec_score(101), ..split },
		] {
			assert!(!bad.is_valid(), "{bad:?}");
			assert_noop!(
				Rewards::set_split(RuntimeOrigin::root(), bad),
				Error::<Test>::InvalidSplit
			);
		}
		assert!(RewardSplit::default().is_valid());
		assert_ok!(Rewards::set_split(RuntimeOrigin::root(), split));
		assert_eq!(Rewards::split(), split);
		assert_eq!(events(), vec![Event::SplitUpdated { split }]);
	});
}

/// The gains of A, B, C, D, V1, V2, the treasury and the publisher when task 1, published in
/// block `published_at`, is settled now.
fn settle_published_at(published_at: u64) -> Vec<u64> {
	let outcome = judged_published_at(published_at);
	let who = [A, B, C, D, V1, V2, TREASURY, PUBLISHER];
	let before: Vec<u64> = who.map(free).to_vec();
	Rewards::on_validated(1, &outcome);
	who.iter().zip(before).map(|(w, b)| free(*w) - b).collect()
}

#[test]
fn a_task_is_paid_by_the_split_in_force_when_it_was_published() {
	build_and_execute(|| {
		let new = other_split();
		run_to(5);
		assert_ok!(Rewards::set_split(RuntimeOrigin::root(), new));
		run_to(8);
		// published before the change: the old (default) terms, exactly as without a change
		assert_eq!(settle_published_at(4), vec![3_751, 3_247, 1_250, 0, 833, 416, 503, 0]);
		// published in the block of the change or after: the new terms — quality 4 500 as
		// 80 : 60 → 2 571 + 1 928; innovation 1 500 → 600 + 900; time 1 000 → 666 + 333;
		// participants 1 000 → C; validators 1 000 → 666 + 333; the treasury 1 000 + 3
		assert_eq!(settle_published_at(5), vec![3_837, 3_161, 1_000, 0, 666, 333, 1_003, 0]);
		assert_eq!(settle_published_at(7), settle_published_at(5));
		assert_eq!(Rewards::split_for(0), RewardSplit::default());
		assert_eq!(Rewards::split_for(5), new);
	});
}

#[test]
fn changes_within_one_block_or_to_the_same_split_keep_no_history() {
	build_and_execute(|| {
		let a = RewardSplit { participant_min: Score::new(20).unwrap(), ..Default::default() };
		let b = RewardSplit { participant_min: Score::new(25).unwrap(), ..Default::default() };
		run_to(5);
		assert_ok!(Rewards::set_split(RuntimeOrigin::root(), a));
		assert_ok!(Rewards::set_split(RuntimeOrigin::root(), b));
		// `a` was never in force across a block: only the split before block 5 is kept
		assert_eq!(crate::SplitHistory::<Test>::get().to_vec(), vec![(5, RewardSplit::default())]);
		assert_eq!(Rewards::split_for(4), RewardSplit::default());
		assert_eq!(Rewards::split_for(5), b);
		run_to(6);
		assert_ok!(Rewards::set_split(RuntimeOrigin::root(), b));
		assert_eq!(crate::SplitHistory::<Test>::get().len(), 1, "no change, nothing kept");
		assert_eq!(Rewards::split_for(5), b);
	});
}

#[test]
fn the_split_history_is_bounded_and_forgets_the_oldest() {
	build_and_execute(|| {
		let splits: Vec<RewardSplit> = (0..=crate::SPLIT_HISTORY as u8)
			.map(|i| RewardSplit { participant_min: Score::new(i).unwrap(), ..Default::default() })
			.collect();
		for (block, split) in splits.iter().enumerate() {
			run_to(10 + block as u64);
			assert_ok!(Rewards::set_split(RuntimeOrigin::root(), *split));
		}
		// nine changes, eight remembered: the default (replaced in block 10) is forgotten, so
		// a task from before then is paid by the oldest split remembered
		assert_eq!(crate::SplitHistory::<Test>::get().len(), crate::SPLIT_HISTORY as usize);
		assert_eq!(Rewards::split_for(3), splits[0]);
		assert_eq!(Rewards::split_for(10), splits[0]);
		assert_eq!(Rewards::split_for(11), splits[1]);
		assert_eq!(Rewards::split_for(18), splits[8]);
		assert_eq!(Rewards::split(), splits[8]);
	});
}

/// A score byte above 100, as a malformed extrinsic could carry it.
fn codec_score(value: u8) -> Score {
	use codec::Decode;
	Score::decode(&mut &[value][..]).unwrap()
}

#[test]
fn emission_halves_and_never_passes_the_cap() {
	build_and_execute(|| {
		let issuance = Balances::total_issuance();
		run_to(20);
		// blocks 2..=19 mint 1 000 each, block 20 starts the first halving
		assert_eq!(Balances::total_issuance() - issuance, 18_000 + 500);
		assert_eq!(Rewards::scheduled_emission(39), 500);
		assert_eq!(Rewards::scheduled_emission(40), 250);
		assert_eq!(Rewards::scheduled_emission(20 * 64), 0);
		assert_eq!(TotalEmitted::<Test>::get(), 18_500);
		// era 0 (blocks 2..=9) and era 1 (10..=19): 80 % to miners
		assert_eq!(
			EraPools::<Test>::get(0).map(|p| (p.miners, p.validators)),
			Some((0, 0)),
			"nobody earned in era 0: rolled over"
		);
		// the cap: 700 of room left, then nothing
		MaxSupply::set(&(Balances::total_issuance() + 700));
		run_to(21);
		assert_eq!(Balances::total_issuance(), MaxSupply::get() - 200);
		run_to(23);
		assert_eq!(Balances::total_issuance(), MaxSupply::get());
		run_to(25);
		assert_eq!(Balances::total_issuance(), MaxSupply::get());
	});
}

#[test]
fn eras_are_claimed_by_points_once_over() {
	build_and_execute(|| {
		// points in era 0: A 80, C 40 as miners; V1 100, V2 50 as validators
		let outcome = judged();
		Rewards::on_validated(1, &outcome);
		run_to(9);
		events();
		// blocks 2..=9 minted 8 000: 6 400 for miners, 1 600 for validators
		let pool = EraPools::<Test>::get(0).unwrap();
		assert_eq!((pool.miners, pool.validators), (6_400, 1_600));
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::signed(A), 0),
			Error::<Test>::EraNotOver
		);
		run_to(10);
		let before = free(A);
		assert_ok!(Rewards::claim_rewards(RuntimeOrigin::signed(A), 0));
		// A: 6 400 × 80 / 180
		assert_eq!(free(A) - before, 2_844);
		assert_eq!(events(), vec![Event::EmissionClaimed { era: 0, who: A, amount: 2_844 }]);
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::signed(A), 0),
			Error::<Test>::NothingToClaim
		);
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::signed(D), 0),
			Error::<Test>::NothingToClaim
		);
		assert_noop!(Rewards::claim_rewards(RuntimeOrigin::none(), 0), DispatchError::BadOrigin);
		let before = free(V2);
		assert_ok!(Rewards::claim_rewards(RuntimeOrigin::signed(V2), 0));
		// V2: 1 600 × 50 / 150
		assert_eq!(free(V2) - before, 533);
		// era 1 nobody worked in rolls over to era 2 at its first block
		run_to(20);
		assert_eq!(EraPools::<Test>::get(1).map(|p| p.miners), Some(0));
		assert_eq!(EraPools::<Test>::get(2).map(|p| p.miners), Some(8_000 + 400));
	});
}

#[test]
fn the_hook_is_bounded_and_cheap_even_at_era_boundaries() {
	build_and_execute(|| {
		let weight = Rewards::on_initialize(10);
		assert!(weight.ref_time() > 0);
		assert_eq!(weight, Rewards::on_initialize(11), "one weight for every block");
	});
}

#[test]
fn an_unjudged_task_refunds_everything() {
	build_and_execute(|| {
		let mut outcome = judged();
		outcome.validators.clear();
		let (publisher, treasury) = (free(PUBLISHER), free(TREASURY));
		Rewards::on_validated(1, &outcome);
		assert_eq!(free(PUBLISHER) - publisher, 10_000);
		assert_eq!(free(TREASURY), treasury);
		assert_eq!(events(), vec![Event::TaskRefunded { task_id: 1, refunded: 10_000, fee: 0 }]);
	});
}
