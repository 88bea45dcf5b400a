//! The split arithmetic (copies sharing, validators always paid), the split's bounds,
//! emission under the cap, and era claims.

use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect, Hooks},
};
use sp_runtime::{DispatchError, Perbill};
use tos_primitives::{
	JudgedSolution, RewardPolicy, Score, SettlementTerms, SolutionFate, SolutionScore,
	ValidationOutcome, ValidatorResult,
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

fn own(index: u32) -> SolutionFate {
	SolutionFate::Judged { group: index }
}

/// A reward of 10 000 with a threshold of 50, published in `published_at`.
fn terms(published_at: u64) -> SettlementTerms<u64, u64> {
	SettlementTerms { published_at, reward: 10_000, quality_threshold: Score::new(50).unwrap() }
}

/// A (80/60) committed first, B (60/90) halfway, C (40, a participant), D (10, below the
/// participant minimum of 30) first.
fn earliness() -> Vec<(u64, Perbill)> {
	vec![
		(A, Perbill::one()),
		(B, Perbill::from_percent(50)),
		(C, Perbill::zero()),
		(D, Perbill::one()),
	]
}

/// The outcome of task 1: four solutions of their own; V1 fully accurate, V2 half.
fn judged() -> ValidationOutcome<u64> {
	let solution = |miner, score, index| JudgedSolution { miner, score, fate: own(index) };
	ValidationOutcome {
		solutions: vec![
			solution(A, sc(80, 60), 0),
			solution(B, sc(60, 90), 1),
			solution(C, sc(40, 100), 2),
			solution(D, sc(10, 10), 3),
		],
		validators: vec![
			ValidatorResult { validator: V1, accuracy: Score::MAX, pay_weight: 100 * 100 },
			ValidatorResult {
				validator: V2,
				accuracy: Score::new(50).unwrap(),
				pay_weight: 50 * 100,
			},
		],
		judged: true,
	}
}

/// What each of `who` is paid by `payouts`.
fn paid_to(payouts: &crate::PayoutsOf<Test>, who: &[u64]) -> Vec<u64> {
	who.iter()
		.map(|w| payouts.payouts.iter().find(|(p, _)| p == w).map_or(0, |(_, a)| *a))
		.collect()
}

#[test]
fn the_escrow_is_split_to_the_unit() {
	build_and_execute(|| {
		let payouts = Rewards::split_escrow(&terms(0), &earliness(), &judged());
		// quality 4 000 as 80 : 60 → 2 285 + 1 714; innovation 2 000 as 60 : 90 → 800 + 1 200;
		// time 1 000 as 1 : ½ → 666 + 333; participants 1 250 → C; validators 1 250 as
		// 100 × 100 : 50 × 100 → 833 + 416; the treasury the 500 of the fee and the three
		// planck of rounding
		let paid = paid_to(&payouts, &[A, B, C, D, V1, V2]);
		assert_eq!(paid, vec![3_751, 3_247, 1_250, 0, 833, 416]);
		assert_eq!((payouts.refund, payouts.winners), (0, 2));
		assert_eq!(10_000 - paid.iter().sum::<u64>(), 503);
		assert_eq!(payouts.payouts.len(), 5, "one payment per account with something");
		assert_eq!(Rewards::network_fee(0, 10_000), 500);
		// pure: nothing moved
		assert!(events().is_empty());
	});
}

#[test]
fn copies_share_one_solutions_reward() {
	build_and_execute(|| {
		// E submits A's solution again under another identity: the two form one group
		const E: u64 = 7;
		let mut outcome = judged();
		outcome.solutions.push(JudgedSolution { miner: E, score: sc(80, 60), fate: own(0) });
		let early = [earliness(), vec![(E, Perbill::one())]].concat();
		let alone = paid_to(&Rewards::split_escrow(&terms(0), &earliness(), &judged()), &[A, B, C]);
		let shared = paid_to(&Rewards::split_escrow(&terms(0), &early, &outcome), &[A, E, B, C]);
		// A and E each count a quarter of A alone: a copy never earns more than its author,
		// and copying loses — each gets under two fifths of A's pay alone here (a quarter of
		// its weight, against B's whole one)
		assert_eq!(shared[0], shared[1]);
		assert!(5 * shared[0] < 2 * alone[0], "{shared:?} against {alone:?}");
		assert!(shared[0] + shared[1] < alone[0], "the pair earns less than A alone");
		// and the others gain what the pair lost
		assert!(shared[2] > alone[1] && shared[3] == alone[2], "{shared:?} against {alone:?}");
	});
}

#[test]
fn members_of_a_group_are_paid_alike_whatever_the_noise_in_their_scores() {
	build_and_execute(|| {
		// E copies A; the judges' noise put the copy 6 points higher
		const E: u64 = 7;
		let mut outcome = judged();
		outcome.solutions.push(JudgedSolution { miner: E, score: sc(86, 66), fate: own(0) });
		let early = [earliness(), vec![(E, Perbill::one())]].concat();
		let shared = paid_to(&Rewards::split_escrow(&terms(0), &early, &outcome), &[A, E]);
		assert_eq!(shared[0], shared[1], "the copier never out-earns the author");
		assert!(shared[0] > 0);
	});
}

#[test]
fn excluded_solutions_and_honeypots_take_nothing() {
	build_and_execute(|| {
		let mut outcome = judged();
		outcome.solutions[0].fate = SolutionFate::FalseFingerprint;
		outcome.solutions[2].fate = SolutionFate::Honeypot;
		let payouts = Rewards::split_escrow(&terms(0), &earliness(), &outcome);
		let paid = paid_to(&payouts, &[A, B, C, V1]);
		assert_eq!((paid[0], paid[2]), (0, 0));
		// B wins alone: all of quality, innovation and time
		assert_eq!(paid[1], 4_000 + 2_000 + 1_000);
		assert_eq!(payouts.winners, 1);
		assert_eq!(paid[3], 833);
	});
}

#[test]
fn when_nothing_wins_the_validators_are_paid_and_the_rest_goes_back_less_the_fee() {
	build_and_execute(|| {
		let mut outcome = judged();
		outcome.solutions.retain(|s| s.miner == C || s.miner == D);
		let payouts = Rewards::split_escrow(&terms(0), &earliness(), &outcome);
		assert_eq!(payouts.winners, 0);
		assert_eq!(paid_to(&payouts, &[C, D, V1, V2]), vec![0, 0, 833, 416]);
		assert_eq!(payouts.refund, 10_000 - 500 - 833 - 416);
	});
}

#[test]
fn an_unjudged_task_shares_everything_but_the_fee_among_the_work_delivered() {
	build_and_execute(|| {
		// the publisher has seen four solutions nobody judged: no refund, an equal share each
		let outcome = ValidationOutcome { judged: false, ..judged() };
		let payouts = Rewards::split_escrow(&terms(0), &earliness(), &outcome);
		assert_eq!(
			paid_to(&payouts, &[A, B, C, D, V1, V2]),
			vec![2_375, 2_375, 2_375, 2_375, 0, 0]
		);
		assert_eq!((payouts.refund, payouts.winners), (0, 0));
		// copies (the chain's filter found B a copy of A) share as one solution
		let mut copied = outcome.clone();
		copied.solutions[1].fate = own(0);
		let payouts = Rewards::split_escrow(&terms(0), &earliness(), &copied);
		assert_eq!(paid_to(&payouts, &[A, B, C, D]), vec![950, 950, 3_800, 3_800]);
		// with nothing delivered, everything but the fee goes back
		let nothing = ValidationOutcome { solutions: vec![], ..outcome.clone() };
		assert_eq!(Rewards::split_escrow(&terms(0), &earliness(), &nothing).refund, 9_500);
		Rewards::note_work(&outcome, false, 500);
		assert_eq!(EraPoints::<Test>::iter().count(), 0, "no emission for unjudged work");
	});
}

#[test]
fn no_split_of_random_outcomes_pays_more_than_the_escrow() {
	build_and_execute(|| {
		let mut seed = 7u64;
		let mut next = |m: u64| {
			seed = seed
				.wrapping_mul(6_364_136_223_846_793_005)
				.wrapping_add(1_442_695_040_888_963_407);
			(seed >> 33) % m
		};
		for _ in 0..500 {
			let reward = 1 + next(1_000_000);
			let n = 1 + next(8) as u32;
			let fates = [own(0), own(1), SolutionFate::FalseFingerprint, SolutionFate::Honeypot];
			let outcome = ValidationOutcome {
				solutions: (0..n)
					.map(|i| JudgedSolution {
						miner: 10 + u64::from(i),
						score: sc(next(101) as u8, next(101) as u8),
						fate: match next(6) {
							k @ 0..=3 => fates[k as usize],
							_ => own(i),
						},
					})
					.collect(),
				validators: (0..next(5))
					.map(|i| ValidatorResult {
						validator: 30 + i,
						accuracy: Score::new(next(101) as u8).unwrap(),
						pay_weight: u128::from(next(1_000)),
					})
					.collect(),
				judged: next(10) > 0,
			};
			let early: Vec<(u64, Perbill)> = (0..n)
				.map(|i| (10 + u64::from(i), Perbill::from_parts(next(1_000_000_001) as u32)))
				.collect();
			let terms = SettlementTerms {
				published_at: 0,
				reward,
				quality_threshold: Score::new(next(101) as u8).unwrap(),
			};
			let payouts = Rewards::split_escrow(&terms, &early, &outcome);
			let paid: u64 = payouts.payouts.iter().map(|(_, a)| a).sum();
			assert!(paid + payouts.refund <= reward, "{paid} + {} > {reward}", payouts.refund);
			// the network's part never goes to anyone else
			assert!(paid + payouts.refund <= reward - reward * 500 / 10_000);
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

/// What A, B, C, D, V1, V2 are paid and the treasury keeps when task 1, published in block
/// `published_at`, is split now.
fn settle_published_at(published_at: u64) -> Vec<u64> {
	let payouts = Rewards::split_escrow(&terms(published_at), &earliness(), &judged());
	let mut paid = paid_to(&payouts, &[A, B, C, D, V1, V2]);
	paid.push(10_000 - paid.iter().sum::<u64>() - payouts.refund);
	paid
}

#[test]
fn a_task_is_paid_by_the_split_in_force_when_it_was_published() {
	build_and_execute(|| {
		let new = other_split();
		run_to(5);
		assert_ok!(Rewards::set_split(RuntimeOrigin::root(), new));
		run_to(8);
		// published before the change: the old (default) terms, exactly as without a change
		assert_eq!(settle_published_at(4), vec![3_751, 3_247, 1_250, 0, 833, 416, 503]);
		// published in the block of the change or after: the new terms — quality 4 500 as
		// 80 : 60 → 2 571 + 1 928; innovation 1 500 → 600 + 900; time 1 000 → 666 + 333;
		// participants 1 000 → C; validators 1 000 → 666 + 333; the treasury 1 000 + 3
		assert_eq!(settle_published_at(5), vec![3_837, 3_161, 1_000, 0, 666, 333, 1_003]);
		assert_eq!(Rewards::network_fee(4, 10_000), 500);
		assert_eq!(Rewards::network_fee(5, 10_000), 1_000);
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

/// What `who` gains by claiming era `era`.
fn claim(who: u64, era: u32) -> u64 {
	let before = free(who);
	assert_ok!(Rewards::claim_rewards(RuntimeOrigin::signed(who), era));
	free(who) - before
}

#[test]
fn nothing_is_minted_while_an_era_runs_and_its_end_mints_what_its_work_burned() {
	build_and_execute(|| {
		let issuance = Balances::total_issuance();
		run_to(9);
		// blocks 2..=9 offer 1 000 each, 80 % to miners: offered, not minted
		assert_eq!(Balances::total_issuance(), issuance);
		let pool = EraPools::<Test>::get(0).unwrap();
		assert_eq!((pool.miners, pool.validators), (6_400, 1_600));
		// a task that burned 1 000: its miners share 800 points like pay (A 80, B 60, C 40;
		// D under the participant minimum), its validators 200 by pay weight (2 : 1)
		Rewards::note_work(&judged(), true, 1_000);
		let points: Vec<_> = [A, B, C, D, V1, V2].map(|w| EraPoints::<Test>::get(0, w)).into();
		assert_eq!(
			points,
			vec![
				Some((355, 0)),
				Some((266, 0)),
				Some((177, 0)),
				None,
				Some((0, 133)),
				Some((0, 66))
			]
		);
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::signed(A), 0),
			Error::<Test>::EraNotOver
		);
		run_to(10);
		// era 0 ends: each side mints the smaller of its offer and its points
		assert_eq!(Balances::total_issuance() - issuance, 798 + 199);
		assert_eq!(TotalEmitted::<Test>::get(), 997);
		// the rest of the offer goes on to era 1, with block 10's own
		let pool = EraPools::<Test>::get(1).unwrap();
		assert_eq!((pool.miners, pool.validators), (6_400 - 798 + 800, 1_600 - 199 + 200));
		// every point is paid in full: the task got back exactly what it burned, less rounding
		events();
		assert_eq!(claim(A, 0), 355);
		assert_eq!(events(), vec![Event::EmissionClaimed { era: 0, who: A, amount: 355 }]);
		assert_eq!([B, C, V1, V2].map(|w| claim(w, 0)), [266, 177, 133, 66]);
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::signed(A), 0),
			Error::<Test>::NothingToClaim
		);
		assert_noop!(
			Rewards::claim_rewards(RuntimeOrigin::signed(D), 0),
			Error::<Test>::NothingToClaim
		);
		assert_noop!(Rewards::claim_rewards(RuntimeOrigin::none(), 0), DispatchError::BadOrigin);
	});
}

#[test]
fn a_task_alone_in_an_era_earns_no_more_than_it_burned_however_small() {
	// a wash trader's tasks of every size, each alone in its era with the whole offer free
	for burned in [1u64, 7, 50, 999, 5_000, 100_000] {
		build_and_execute(|| {
			let issuance = Balances::total_issuance();
			Rewards::note_work(&judged(), true, burned);
			run_to(10);
			let earned: u64 = [A, B, C, D, V1, V2]
				.iter()
				.filter(|w| EraPoints::<Test>::contains_key(0, **w))
				.map(|w| claim(*w, 0))
				.sum();
			assert!(earned <= burned, "{earned} earned for {burned} burned");
			// and never more than the era's offer (blocks 2..=9)
			assert!(earned <= 8_000);
			// minted no more than it paid out: issuance up by the claims, the fee counted apart
			assert_eq!(Balances::total_issuance() - issuance, TotalEmitted::<Test>::get());
			assert!(TotalEmitted::<Test>::get() <= burned);
		});
	}
}

#[test]
fn in_a_busy_era_the_offer_is_shared_by_value() {
	build_and_execute(|| {
		// a task of ten times the value and the same judgement earns ten times the points
		let mut big = judged();
		big.solutions.retain(|s| s.miner == A);
		big.validators.truncate(1);
		let mut small = big.clone();
		small.solutions[0].miner = B;
		small.validators[0].validator = V2;
		Rewards::note_work(&big, true, 100_000);
		Rewards::note_work(&small, true, 10_000);
		run_to(10);
		// the offer (6 400 and 1 600) binds: all of it minted, shared 10 : 1
		assert_eq!(TotalEmitted::<Test>::get(), 8_000);
		let (a, b) = (claim(A, 0), claim(B, 0));
		assert_eq!((a, b), (5_818, 581));
		assert_eq!((claim(V1, 0), claim(V2, 0)), (1_454, 145));
		// and the next era's offer starts afresh: nothing left over
		let pool = EraPools::<Test>::get(1).unwrap();
		assert_eq!((pool.miners, pool.validators), (800, 200));
	});
}

#[test]
fn a_task_nobody_won_earns_its_panel_points_but_not_its_miners() {
	build_and_execute(|| {
		Rewards::note_work(&judged(), false, 1_000);
		for miner in [A, B, C, D] {
			assert_eq!(EraPoints::<Test>::get(0, miner), None);
		}
		assert_eq!(EraPoints::<Test>::get(0, V1), Some((0, 133)));
		run_to(10);
		// the miners' 800 were never earned: never minted, offered again in era 1
		assert_eq!(TotalEmitted::<Test>::get(), 199);
		assert_eq!(EraPools::<Test>::get(1).map(|p| p.miners), Some(6_400 + 800));
		// nothing burned, nothing earned
		Rewards::note_work(&judged(), true, 0);
		assert_eq!(EraPoints::<Test>::iter_prefix(1).count(), 0);
	});
}

#[test]
fn emission_halves_and_never_passes_the_cap() {
	build_and_execute(|| {
		assert_eq!(Rewards::scheduled_emission(19), 1_000);
		assert_eq!(Rewards::scheduled_emission(20), 500);
		assert_eq!(Rewards::scheduled_emission(40), 250);
		assert_eq!(Rewards::scheduled_emission(20 * 64), 0);
		run_to(19);
		// era 1 offers what era 0 did not mint (nobody earned) and its own blocks
		assert_eq!(EraPools::<Test>::get(1).map(|p| p.miners + p.validators), Some(18_000));
		// work worth far more than the offer, and 700 of room under the cap
		Rewards::note_work(&judged(), true, 1_000_000);
		MaxSupply::set(&(Balances::total_issuance() + 700));
		run_to(20);
		assert_eq!(Balances::total_issuance(), MaxSupply::get());
		assert_eq!(TotalEmitted::<Test>::get(), 700);
		run_to(31);
		assert_eq!(Balances::total_issuance(), MaxSupply::get());
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
fn emission_points_are_weighted_like_pay_and_copies_share_them() {
	build_and_execute(|| {
		let mut outcome = judged();
		// B copies A: the two share A's group
		outcome.solutions[1].fate = own(0);
		Rewards::note_work(&outcome, true, 1_000);
		// a group of two: each a quarter of the group's quality (the mean of 80 and 60, 70),
		// against C's 40: 800 × 17.5 / 75
		assert_eq!(EraPoints::<Test>::get(0, A), Some((186, 0)));
		assert_eq!(EraPoints::<Test>::get(0, B), Some((186, 0)));
		assert_eq!(EraPoints::<Test>::get(0, C), Some((426, 0)));
		// validators by pay weight, not by accuracy alone
		assert_eq!(EraPoints::<Test>::get(0, V1), Some((0, 133)));
		let pool = EraPools::<Test>::get(0).unwrap();
		assert_eq!((pool.miner_points, pool.validator_points), (798, 199));
	});
}

#[test]
fn the_v1_migration_keeps_the_upgrade_era_on_the_old_rules_and_values_the_next() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	build_and_execute(|| {
		// a chain on the rules before: version 0, emission minted block by block
		StorageVersion::new(0).put::<Rewards>();
		crate::ValueErasFrom::<Test>::put(u32::MAX);
		let issuance = Balances::total_issuance();
		run_to(5);
		assert_eq!(Balances::total_issuance() - issuance, 4_000, "blocks 2..=5 minted");
		// quality points earned before the upgrade (the old unit)
		EraPoints::<Test>::insert(0, A, (80_000_000u128, 0u128));
		EraPools::<Test>::mutate(0, |p| p.as_mut().unwrap().miner_points = 80_000_000);
		// the upgrade, in era 0
		crate::migrations::v1::MigrateToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Rewards::on_chain_storage_version(), 1);
		assert_eq!(crate::ValueErasFrom::<Test>::get(), 1);
		// the rest of era 0 mints as before; work judged now earns value points in era 1
		Rewards::note_work(&judged(), true, 1_000);
		assert_eq!(EraPoints::<Test>::get(1, B), Some((266, 0)));
		run_to(9);
		assert_eq!(Balances::total_issuance() - issuance, 8_000);
		run_to(10);
		// era 0's pool is A's alone, by the old rule: all the miners' 6 400
		assert_eq!(claim(A, 0), 6_400);
		// era 1 offers its blocks and mints only at its end, by the new rule
		assert_eq!(Balances::total_issuance() - issuance, 8_000);
		run_to(20);
		assert_eq!(TotalEmitted::<Test>::get(), 8_000 + 798 + 199);
		assert_eq!(claim(B, 1), 266);
		// run again, it does nothing
		crate::migrations::v1::MigrateToV1::<Test>::on_runtime_upgrade();
		assert_eq!(crate::ValueErasFrom::<Test>::get(), 1);
	});
}
