//! Private draws: nobody is named before it commits; a seat is a winning VRF ticket shown with
//! the commitment.

use super::*;
use crate::{Draws, SeatKeys};
use sp_core::{crypto::VrfSecret, Pair as _};
use tos_primitives::sortition::{self, SeatProof};

/// Validators 1..=8 certified for code generation with a bond of 100 each, private draws on.
fn eight_validators() {
	PrivateDraws::set(true);
	for who in 1..=8 {
		certified_validator(who, 100);
	}
}

/// `who`'s proof for the draw open on `TASK`, with its default seat key.
fn proof(who: u64) -> SeatProof {
	let draw = Draws::<Test>::get(TASK).expect("a draw is open");
	SeatProof::of(&seat_pair(who).vrf_sign(&sortition::sign_data(&draw.message(TASK))))
}

/// Whether `who`'s ticket wins a seat in the draw open on `TASK`.
fn wins(who: u64) -> bool {
	let draw = Draws::<Test>::get(TASK).expect("a draw is open");
	let weight = Validation::weight_of(&who);
	sortition::try_seat(&seat_pair(who), &draw.message(TASK), weight, draw.eligible, draw.seats)
		.is_some()
}

fn sit(who: u64, judgements: &[Judgement]) -> sp_runtime::DispatchResult {
	Validation::commit_with_seat(
		RuntimeOrigin::signed(who),
		TASK,
		score_commitment(judgements, &salt(who), &who),
		proof(who),
	)
}

/// Opens a draw of `seats` on `TASK`, trying seeds until at least `quorum` of validators
/// 1..=8 win and at least one loses; returns the winners.
fn open_draw(seats: u32) -> (Vec<u64>, Vec<u64>) {
	for seed in 0..200 {
		MockRandomness::set_seed(seed);
		Rounds::<Test>::remove(TASK);
		Draws::<Test>::remove(TASK);
		let panel = begin(seats);
		assert!(panel.is_empty(), "a private draw names nobody");
		let (winners, losers): (Vec<u64>, Vec<u64>) = (1..=8).partition(|v| wins(*v));
		if winners.len() >= 3 && !losers.is_empty() {
			events();
			return (winners, losers);
		}
	}
	panic!("no seed gave a usable draw");
}

#[test]
fn a_private_draw_names_nobody_and_seats_the_winners_as_they_commit() {
	build_and_execute(|| {
		eight_validators();
		MockRandomness::set_seed(3);
		assert!(begin(3).is_empty());
		assert_eq!(
			events(),
			vec![Event::DrawOpened { task_id: TASK, seats: 3, appeal: false, attempt: 0 }]
		);
		let draw = Draws::<Test>::get(TASK).unwrap();
		assert_eq!(draw.eligible, 8 * Validation::weight_of(&1));
		let (winners, _) = open_draw(3);
		for who in winners.iter() {
			assert_ok!(sit(*who, &[j(80, 60), j(70, 50)]));
			assert_eq!(
				events(),
				vec![
					Event::Seated { task_id: TASK, validator: *who },
					Event::ScoresCommitted { task_id: TASK, validator: *who }
				]
			);
		}
		assert_eq!(panel(), winners);
		// a seat counts as an active panel: the bond cannot leave before the result
		assert_eq!(crate::ActivePanels::<Test>::get(winners[0]), Some(1));
	});
}

#[test]
fn a_seat_needs_a_winning_ticket_of_ones_own_key() {
	build_and_execute(|| {
		eight_validators();
		let (winners, losers) = open_draw(3);
		let (winner, loser) = (winners[0], losers[0]);
		let commitment = score_commitment(&[j(1, 1), j(1, 1)], &salt(loser), &loser);
		// a losing ticket
		assert_noop!(sit(loser, &[j(1, 1), j(1, 1)]), Error::<Test>::NotDrawn);
		// a winner's proof is no proof for another account's key
		assert_noop!(
			Validation::commit_with_seat(
				RuntimeOrigin::signed(loser),
				TASK,
				commitment,
				proof(winner)
			),
			Error::<Test>::BadSeatProof
		);
		// nor bytes that are no proof at all
		assert_noop!(
			Validation::commit_with_seat(
				RuntimeOrigin::signed(loser),
				TASK,
				commitment,
				SeatProof { pre_output: [7; 32], proof: [7; 64] }
			),
			Error::<Test>::BadSeatProof
		);
		// a key set once the draw's seed is known could be ground until it wins: it counts
		// from the next draw only
		assert_ok!(Validation::set_seat_key(
			RuntimeOrigin::signed(winner),
			seat_pair(1_000).public().0
		));
		assert_eq!(
			events(),
			vec![Event::SeatKeySet { who: winner, key: seat_pair(1_000).public().0 }]
		);
		assert_noop!(sit(winner, &[j(1, 1), j(1, 1)]), Error::<Test>::SeatKeyTooNew);
		// a key set before the draw: the default key's proof no longer counts
		SeatKeys::<Test>::insert(winner, (seat_pair(1_000).public().0, 0));
		assert_noop!(sit(winner, &[j(1, 1), j(1, 1)]), Error::<Test>::BadSeatProof);
		SeatKeys::<Test>::remove(winner);
		assert_ok!(sit(winner, &[j(1, 1), j(1, 1)]));
		assert_noop!(sit(winner, &[j(1, 1), j(1, 1)]), Error::<Test>::AlreadyCommitted);
	});
}

#[test]
fn parties_and_the_unqualified_cannot_sit_whatever_their_ticket() {
	build_and_execute(|| {
		eight_validators();
		// everyone's ticket wins: the draw expects more seats than the weight there is
		let _ = open_draw(3);
		Draws::<Test>::mutate(TASK, |d| d.as_mut().unwrap().seats = 1_000);
		// a solver, the publisher: certified validators, but parties to the task
		for party in [SOLVERS[0], PUBLISHER] {
			certified_validator(party, 100);
			assert_noop!(sit(party, &[j(1, 1), j(1, 1)]), Error::<Test>::CannotSit);
		}
		// applied, never certified
		assert_ok!(Validation::apply_validator(RuntimeOrigin::signed(10), code(), 100));
		assert_noop!(sit(10, &[j(1, 1), j(1, 1)]), Error::<Test>::CannotSit);
		// certified, but with no seat key (its account's key type has none) and none set
		certified_validator(14, 100);
		assert_noop!(sit(14, &[j(1, 1), j(1, 1)]), Error::<Test>::NoSeatKey);
		// unbonding
		assert_ok!(Validation::unbond(RuntimeOrigin::signed(8)));
		assert_noop!(sit(8, &[j(1, 1), j(1, 1)]), Error::<Test>::CannotSit);
		// the panel is full at twice the seats asked for
		for who in 1..=6 {
			assert_ok!(sit(who, &[j(1, 1), j(1, 1)]));
		}
		assert_noop!(sit(7, &[j(1, 1), j(1, 1)]), Error::<Test>::PanelFull);
		// the window closes
		let late = proof(7);
		let crate::RoundPhase::Commit { until } = Rounds::<Test>::get(TASK).unwrap().phase else {
			panic!("committing")
		};
		run_to(until);
		assert_noop!(
			Validation::commit_with_seat(RuntimeOrigin::signed(7), TASK, H256::zero(), late),
			Error::<Test>::NotCommitPhase
		);
	});
}

#[test]
fn seat_calls_outside_a_private_draw_are_refused() {
	build_and_execute(|| {
		for who in 1..=8 {
			certified_validator(who, 100);
		}
		let proof = SeatProof { pre_output: [0; 32], proof: [0; 64] };
		assert_noop!(
			Validation::commit_with_seat(RuntimeOrigin::signed(1), TASK, H256::zero(), proof),
			Error::<Test>::UnknownRound
		);
		// a public draw has no ticket to show
		let drawn = begin(3);
		assert_noop!(
			Validation::commit_with_seat(
				RuntimeOrigin::signed(drawn[0]),
				TASK,
				H256::zero(),
				proof
			),
			Error::<Test>::NoDraw
		);
		assert_noop!(
			Validation::set_seat_key(RuntimeOrigin::signed(9), [1; 32]),
			Error::<Test>::NotAValidator
		);
		assert_noop!(
			Validation::set_seat_key(RuntimeOrigin::none(), [1; 32]),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_private_panel_judges_like_a_drawn_one() {
	build_and_execute(|| {
		eight_validators();
		let (winners, _) = open_draw(3);
		for who in winners.iter() {
			assert_ok!(sit(*who, &[j(80, 60), j(70, 50)]));
		}
		let crate::RoundPhase::Commit { until } = Rounds::<Test>::get(TASK).unwrap().phase else {
			panic!("committing")
		};
		run_to(until);
		assert!(Draws::<Test>::get(TASK).is_none(), "the draw closes with the commit window");
		for who in winners.iter() {
			assert_ok!(reveal(*who, &[j(80, 60), j(70, 50)]));
		}
		run_to(until + Rounds::<Test>::get(TASK).unwrap().window);
		let round = Rounds::<Test>::get(TASK).unwrap();
		let provisional = round.provisional.expect("a provisional result");
		assert_eq!(provisional.result.to_vec(), vec![sc(80, 60), sc(70, 50)]);
	});
}

#[test]
fn too_few_seated_draws_again_keeping_who_sat_then_the_council() {
	build_and_execute(|| {
		eight_validators();
		let (winners, _) = open_draw(3);
		// one winner commits; the quorum is three
		assert_ok!(sit(winners[0], &[j(80, 60), j(70, 50)]));
		let round = Rounds::<Test>::get(TASK).unwrap();
		let crate::RoundPhase::Commit { until } = round.phase else { panic!("committing") };
		run_to(until);
		let round = Rounds::<Test>::get(TASK).unwrap();
		assert_eq!(round.redraws, 1);
		assert!(matches!(round.phase, crate::RoundPhase::Commit { .. }));
		assert_eq!(panel(), vec![winners[0]], "who sat stays");
		let draw = Draws::<Test>::get(TASK).expect("a second draw");
		assert_eq!((draw.attempt, draw.seats), (1, 2));
		assert!(events().contains(&Event::DrawOpened {
			task_id: TASK,
			seats: 2,
			appeal: false,
			attempt: 1
		}));
		// nobody sits again: the refill budget (one) is spent, the council judges
		let crate::RoundPhase::Commit { until } = round.phase else { panic!("committing") };
		run_to(until);
		let round = Rounds::<Test>::get(TASK).unwrap();
		assert!(matches!(round.phase, crate::RoundPhase::Council { .. }));
		assert!(Draws::<Test>::get(TASK).is_none());
	});
}

#[test]
fn panels_are_the_size_asked_for_on_average() {
	build_and_execute(|| {
		eight_validators();
		// 200 draws of three seats among eight equal validators: each sits with chance 3/8
		let mut sizes = [0u32; 9];
		for seed in 0..200 {
			MockRandomness::set_seed(seed);
			Rounds::<Test>::remove(TASK);
			Draws::<Test>::remove(TASK);
			begin(3);
			sizes[(1..=8).filter(|v| wins(*v)).count()] += 1;
		}
		let seats: u32 = sizes.iter().enumerate().map(|(n, k)| n as u32 * k).sum();
		// 600 expected, σ ≈ 19
		assert!((540..=660).contains(&seats), "{seats} seats: {sizes:?}");
		// Binomial(8, 3/8): fewer than three winners in about 35 % of draws
		let short: u32 = sizes[..3].iter().sum();
		assert!((40..=100).contains(&short), "{sizes:?}");
	});
}

#[test]
fn heavy_validators_are_certain_of_a_seat_and_panels_keep_the_size_asked_for() {
	build_and_execute(|| {
		PrivateDraws::set(true);
		// validator 1 holds 800 of 1 800: three seats over the whole weight would give it
		// 1.33 seats, and the draw 2.67 members on average
		for (who, bond) in [(1, 800), (2, 400), (3, 100), (4, 100), (5, 100), (6, 100)] {
			certified_validator(who, bond);
		}
		for who in 7..=8 {
			certified_validator(who, 100);
		}
		let mut seats = 0;
		for seed in 0..200 {
			MockRandomness::set_seed(seed);
			Rounds::<Test>::remove(TASK);
			Draws::<Test>::remove(TASK);
			begin(3);
			assert!(wins(1), "the heaviest sits in every draw (seed {seed})");
			seats += (1..=8).filter(|v| wins(*v)).count() as u32;
		}
		// 600 expected, σ ≈ 15 (2.67 a draw, 533, without the certain seat)
		assert!((560..=640).contains(&seats), "{seats} seats in 200 draws of three");
	});
}

#[test]
fn a_draw_expects_exactly_the_seats_asked_for_or_everyone() {
	let cases: [(&[u128], u32); 7] = [
		(&[10; 8], 3),
		(&[1_500, 800, 500, 300, 200, 150, 100], 5),
		(&[1_000, 1, 1, 1], 3),
		(&[5, 5, 5], 5),
		(&[7, 3], 1),
		(&[9, 1], 2),
		(&[u128::MAX / 2, u128::MAX / 4, 1], 2),
	];
	for (weights, want) in cases {
		let (eligible, seats) = Validation::thresholds(weights.to_vec(), want);
		assert!(eligible > 0 && seats > 0, "{weights:?}: somebody can win");
		// each candidate's chance is min(1, seats × w / eligible): scaled by `eligible`, the
		// chances add up to the seats asked for (or to everyone, when fewer)
		let chances = weights.iter().fold(sp_core::U256::zero(), |sum, w| {
			sum + (sp_core::U256::from(seats) * sp_core::U256::from(*w))
				.min(sp_core::U256::from(eligible))
		});
		let n = weights.len() as u32;
		assert_eq!(
			chances,
			sp_core::U256::from(want.min(n)) * sp_core::U256::from(eligible),
			"{weights:?}, {want} asked: ({eligible}, {seats})"
		);
		// a candidate with a chance of one wins whatever its ticket
		for w in weights {
			if sp_core::U256::from(seats) * sp_core::U256::from(*w) >= eligible.into() {
				assert!(sortition::wins(u128::MAX, *w, eligible, seats));
			}
		}
	}
}
