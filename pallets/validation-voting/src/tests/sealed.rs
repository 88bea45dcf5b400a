//! Sealed seats: a first draw seats one more sealed member than panel members; they commit
//! with the panel, reveal once the provisional result is out, are tallied and paid with the
//! panel, and hear a dispute — nothing they could copy was on chain when they committed.

use frame_support::{assert_noop, assert_ok};

use super::*;
use crate::{Error, Event, Penalty, Reserves, RoundPhase, Rounds};

/// (the mock certifies at most twelve: the fallback's appeal of seven seats five)
const FALLBACK: [u64; 5] = [8, 10, 11, 12, 13];

fn sealed() -> Vec<u64> {
	let mut sealed: Vec<u64> =
		Reserves::<Test>::get(TASK).unwrap_or_default().iter().map(|(v, _)| *v).collect();
	sealed.sort();
	sealed
}

/// Seven validators (1–7) and five more for a fallback appeal ([`FALLBACK`]) certified; with
/// sealed seats, a panel of three draws seven. Every one of them commits `judge(who)`; the
/// commit window closes and the draw is split, at random — the tests then fix the split to
/// the panel 1–3 and the sealed 4–7 (everyone committed already; only who reveals when moves).
/// Returns (panel, sealed).
fn committed(judge: &impl Fn(u64) -> Vec<Judgement>) -> (Vec<u64>, Vec<u64>) {
	SealedSeats::set(true);
	for who in 1..=7 {
		certified_validator(who, 100);
	}
	let drawn = begin(3);
	assert_eq!(drawn, (1..=7).collect::<Vec<_>>(), "2n + 1 seats");
	for who in FALLBACK {
		certified_validator(who, 100);
	}
	for who in drawn.iter() {
		commit(*who, &judge(*who));
	}
	events();
	run_to(3);
	let (panel, sealed) = (panel(), sealed());
	assert_eq!((panel.len(), sealed.len()), (3, 4));
	let mut all = [panel.clone(), sealed.clone()].concat();
	all.sort();
	assert_eq!(all, drawn, "a split of those who sat");
	assert!(events().contains(&Event::SeatsSealed {
		task_id: TASK,
		sealed: Reserves::<Test>::get(TASK).unwrap().iter().map(|(v, _)| *v).collect(),
	}));
	let weight = Validation::weight_of(&1);
	let seats = |members: &[u64]| -> frame_support::BoundedVec<(u64, u128), _> {
		members.iter().map(|v| (*v, weight)).collect::<Vec<_>>().try_into().unwrap()
	};
	Rounds::<Test>::mutate(TASK, |r| r.as_mut().unwrap().panel = seats(&[1, 2, 3]));
	Reserves::<Test>::insert(TASK, seats(&[4, 5, 6, 7]));
	(vec![1, 2, 3], vec![4, 5, 6, 7])
}

/// [`committed`], then the panel reveals and its result is provisional (block 5, disputable
/// until 9).
fn provisional(judge: impl Fn(u64) -> Vec<Judgement>) -> (Vec<u64>, Vec<u64>) {
	let (panel, sealed) = committed(&judge);
	for who in panel.iter() {
		assert_ok!(reveal(*who, &judge(*who)));
	}
	run_to(5);
	assert!(matches!(
		Rounds::<Test>::get(TASK).unwrap().phase,
		RoundPhase::Provisional { until: 9 }
	));
	events();
	(panel, sealed)
}

/// 1 and 2 score the first solution 30; everyone else 80.
fn two_liars(who: u64) -> Vec<Judgement> {
	if who <= 2 {
		vec![j(30, 50), j(40, 30)]
	} else {
		vec![j(80, 50), j(40, 30)]
	}
}

#[test]
fn sealed_members_reveal_only_once_the_provisional_result_is_out() {
	build_and_execute(|| {
		let judge = |_| vec![j(70, 50), j(40, 30)];
		let (panel, sealed) = committed(&judge);
		// the panel reveals now; a sealed member may not
		assert_noop!(reveal(sealed[0], &judge(0)), Error::<Test>::SealedUntilProvisional);
		for who in panel.iter() {
			assert_ok!(reveal(*who, &judge(*who)));
		}
		run_to(5);
		// the panel's result is provisional: the sealed members reveal in the dispute window
		for who in sealed.iter() {
			assert_ok!(reveal(*who, &judge(*who)));
		}
		run_to(9);
		// nobody disputed: the first result is final, and the sealed members are judged and
		// paid from the escrow with the panel, by the same rule
		let outcome = outcome();
		assert_eq!(outcome.solutions[0].score, sc(70, 50));
		assert_eq!(
			outcome.validators.iter().map(|v| (v.validator, v.pay_weight)).collect::<Vec<_>>(),
			(1..=7).map(|v| (v, 100 * Validation::weight_of(&v))).collect::<Vec<_>>()
		);
		assert!(Reserves::<Test>::get(TASK).is_none(), "forgotten with the round");
	});
}

#[test]
fn a_sealed_member_cannot_reveal_once_the_dispute_window_closed() {
	build_and_execute(|| {
		let judge = |_| vec![j(70, 50), j(40, 30)];
		let (panel, sealed) = committed(&judge);
		for who in panel.iter() {
			assert_ok!(reveal(*who, &judge(*who)));
		}
		run_to(5);
		assert_ok!(reveal(sealed[0], &judge(0)));
		assert_noop!(reveal(sealed[0], &judge(0)), Error::<Test>::AlreadyRevealed);
		// a dispute keeps the window open for them until it closes
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(SOLVERS[1]), TASK));
		assert_ok!(reveal(sealed[1], &judge(0)));
		run_to(8);
		assert_ok!(reveal(sealed[2], &judge(0)));
		run_to(9);
		assert_noop!(reveal(sealed[2], &judge(0)), Error::<Test>::UnknownRound);
	});
}

#[test]
fn a_silent_sealed_member_loses_the_non_reveal_share_and_is_not_paid() {
	build_and_execute(|| {
		let judge = |_| vec![j(70, 50), j(40, 30)];
		let (_, sealed) = provisional(judge);
		for who in &sealed[1..] {
			assert_ok!(reveal(*who, &judge(*who)));
		}
		run_to(9);
		assert!(events().contains(&Event::ValidatorPenalised {
			task_id: TASK,
			validator: sealed[0],
			slashed: 10,
			reason: Penalty::NoReveal,
		}));
		assert_eq!(held(sealed[0]), 90);
		let paid: Vec<u64> = outcome().validators.iter().map(|v| v.validator).collect();
		assert_eq!(paid.len(), 6);
		assert!(!paid.contains(&sealed[0]));
	});
}

#[test]
fn a_dispute_is_heard_by_the_sealed_members() {
	build_and_execute(|| {
		let (_, sealed) = provisional(two_liars);
		// the panel's two liars carry its median: 30 is provisional
		let first = Rounds::<Test>::get(TASK).unwrap().provisional.unwrap();
		assert_eq!(first.result[0].quality.get(), 30);
		// the sealed members reveal in the dispute window (committed before any score was on
		// chain); the miner disputes
		for who in sealed.iter() {
			assert_ok!(reveal(*who, &two_liars(*who)));
		}
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(SOLVERS[0]), TASK));
		assert_eq!(dispute_held(SOLVERS[0]), 50);
		// no appeal panel is drawn: the dispute is heard when the window closes
		assert!(matches!(
			Rounds::<Test>::get(TASK).unwrap().phase,
			RoundPhase::Provisional { until: 9 }
		));
		let before: Vec<u64> = sealed.iter().map(|w| free(*w)).collect();
		let treasury = free(99);
		run_to(9);
		let events = events();
		assert!(
			!events.iter().any(|e| matches!(e, Event::PanelSelected { .. })),
			"nobody drawn after the result was public"
		);
		// four sealed ballots, all of 80: overturned, the bond back
		assert!(events.contains(&Event::AppealDecided { task_id: TASK, overturned: true }));
		assert_eq!((dispute_held(SOLVERS[0]), free(SOLVERS[0])), (0, 1_000));
		let outcome = outcome();
		assert_eq!(outcome.solutions[0].score, sc(80, 50));
		// the two liars are slashed 20 each; the sealed members share the 40: 10 each
		for who in [1, 2] {
			assert!(events.contains(&Event::ValidatorPenalised {
				task_id: TASK,
				validator: who,
				slashed: 20,
				reason: Penalty::Overturned
			}));
		}
		let gains: Vec<u64> = sealed.iter().zip(before).map(|(w, b)| free(*w) - b).collect();
		assert_eq!(gains, vec![10; 4]);
		assert_eq!(free(99) - treasury, 0);
		// the escrow pays the first panel and the sealed members by accuracy against the final
		// result: all but the two liars
		let pay: Vec<(u64, u128)> =
			outcome.validators.iter().map(|v| (v.validator, v.pay_weight)).collect();
		let full = 100 * Validation::weight_of(&3);
		assert_eq!(
			pay,
			vec![(1, 0), (2, 0), (3, full), (4, full), (5, full), (6, full), (7, full)]
		);
	});
}

#[test]
fn a_frivolous_dispute_pays_the_sealed_members_from_its_bond() {
	build_and_execute(|| {
		let judge = |_| vec![j(70, 50), j(40, 30)];
		let (_, sealed) = provisional(judge);
		for who in sealed.iter() {
			assert_ok!(reveal(*who, &judge(*who)));
		}
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(PUBLISHER), TASK));
		let before: Vec<u64> = sealed.iter().map(|w| free(*w)).collect();
		let treasury = free(99);
		run_to(9);
		assert!(events().contains(&Event::AppealDecided { task_id: TASK, overturned: false }));
		// 50 by seat: 12 each, 2 to the treasury; the disputer's next bond doubles
		let gains: Vec<u64> = sealed.iter().zip(before).map(|(w, b)| free(*w) - b).collect();
		assert_eq!(gains, vec![12; 4]);
		assert_eq!(free(99) - treasury, 2);
		assert_eq!(free(PUBLISHER), 1_000 - 50);
		assert_eq!(Validation::dispute_bond(&PUBLISHER, 1_000), 100);
		assert!((1..=7).all(|who| held(who) == 100), "nobody slashed");
	});
}

#[test]
fn a_dispute_no_sealed_member_can_hear_draws_an_appeal_panel() {
	build_and_execute(|| {
		let (_, sealed) = provisional(two_liars);
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(SOLVERS[0]), TASK));
		run_to(9);
		// all four silent: each loses the non-reveal share (10 %), and an appeal panel of those
		// not yet drawn sits in the next block
		let events = events();
		for who in sealed.iter() {
			assert!(events.contains(&Event::ValidatorPenalised {
				task_id: TASK,
				validator: *who,
				slashed: 10,
				reason: Penalty::NoReveal,
			}));
		}
		assert!(matches!(Rounds::<Test>::get(TASK).unwrap().phase, RoundPhase::Draw { at: 10 }));
		run_to(10);
		assert_eq!(panel(), FALLBACK.to_vec());
		judge_round(|_| vec![j(80, 50), j(40, 30)]);
		assert!(super::events().contains(&Event::AppealDecided { task_id: TASK, overturned: true }));
		assert_eq!(outcome().solutions[0].score, sc(80, 50));
	});
}

#[test]
fn without_sealed_seats_a_first_draw_asks_for_the_panel_alone() {
	build_and_execute(|| {
		for who in 1..=6 {
			certified_validator(who, 100);
		}
		assert_eq!(begin(3).len(), 3);
		let judge = |_| vec![j(70, 50), j(40, 30)];
		judge_round(judge);
		assert!(Reserves::<Test>::get(TASK).is_none());
	});
}

#[test]
fn a_private_first_draw_asks_for_the_sealed_seats_too() {
	build_and_execute(|| {
		SealedSeats::set(true);
		PrivateDraws::set(true);
		for who in (1..=8).chain(10..=13) {
			certified_validator(who, 100);
		}
		begin(3);
		assert!(events().contains(&Event::DrawOpened {
			task_id: TASK,
			seats: 7,
			appeal: false,
			attempt: 0
		}));
	});
}

#[test]
fn a_sealed_member_who_does_not_look_misses_the_honeypot_and_pays_for_it() {
	build_and_execute(|| {
		// the second solution is a provider's junk of known quality 5/5
		let (provider, nonce, secret) =
			(30, sp_core::H256::repeat_byte(9), sp_core::H256::repeat_byte(8));
		assert_ok!(Validation::add_honeypot_provider(
			RuntimeOrigin::root(),
			crate::honeypot_key(&provider, &nonce)
		));
		MockTasks::reveal_salt(TASK, SOLVERS[1], crate::honeypot_salt(&sc(5, 5), &secret));
		// 6, sealed, stamps every solution 50 without looking
		let judge =
			|who| if who == 6 { vec![j(50, 50), j(50, 50)] } else { vec![j(70, 50), j(4, 7)] };
		let (panel, sealed) = committed(&judge);
		assert_ok!(Validation::declare_honeypot(
			RuntimeOrigin::signed(provider),
			TASK,
			SOLVERS[1],
			nonce,
			sc(5, 5),
			secret
		));
		for who in panel.iter() {
			assert_ok!(reveal(*who, &judge(*who)));
		}
		run_to(5);
		for who in sealed.iter() {
			assert_ok!(reveal(*who, &judge(*who)));
		}
		run_to(9);
		assert!(events().contains(&Event::ValidatorPenalised {
			task_id: TASK,
			validator: 6,
			slashed: 10,
			reason: Penalty::MissedHoneypot,
		}));
		let pay: Vec<(u64, u128)> =
			outcome().validators.iter().map(|v| (v.validator, v.pay_weight)).collect();
		assert_eq!(pay.iter().find(|(v, _)| *v == 6), Some(&(6, 0)));
		assert!(pay.iter().filter(|(v, _)| *v != 6).all(|(_, w)| *w > 0));
	});
}

#[test]
fn a_captured_panel_nobody_disputed_is_outvoted_by_the_sealed_members() {
	build_and_execute(|| {
		let (_, sealed) = provisional(two_liars);
		for who in sealed.iter() {
			assert_ok!(reveal(*who, &two_liars(*who)));
		}
		run_to(9);
		// nobody disputed: the final result is everyone's tally, two liars of seven — 80
		let events = events();
		assert_eq!(outcome().solutions[0].score, sc(80, 50));
		assert!(!events.iter().any(|e| matches!(e, Event::AppealDecided { .. })));
		// the liars are flagged and unpaid, not slashed: only a disputed result is judged
		for who in [1, 2] {
			assert!(events.contains(&Event::ValidatorFlagged { task_id: TASK, validator: who }));
		}
		assert!((1..=7).all(|who| held(who) == 100), "nobody slashed");
	});
}

#[test]
fn sealed_members_who_agree_are_tallied_with_the_panel() {
	build_and_execute(|| {
		// the sealed members see 72 where the panel saw 70: within the overturn margin
		let judge =
			|who| if who >= 4 { vec![j(72, 50), j(40, 30)] } else { vec![j(70, 50), j(40, 30)] };
		let (_, sealed) = provisional(judge);
		for who in sealed.iter() {
			assert_ok!(reveal(*who, &judge(*who)));
		}
		run_to(9);
		// no appeal; the final result is the tally of all seven, between the two
		assert!(!events().iter().any(|e| matches!(e, Event::AppealDecided { .. })));
		assert_eq!(outcome().solutions[0].score, sc(71, 50));
		assert!((1..=7).all(|who| held(who) == 100), "nobody slashed");
	});
}

#[test]
fn the_heaviest_members_sit_on_the_panel() {
	build_and_execute(|| {
		SealedSeats::set(true);
		// 5, 6 and 7 have three times the bond of the others
		for who in 1..=7 {
			certified_validator(who, if who >= 5 { 300 } else { 100 });
		}
		let drawn = begin(3);
		for who in drawn.iter() {
			commit(*who, &[j(70, 50), j(40, 30)]);
		}
		run_to(3);
		assert_eq!(panel(), vec![5, 6, 7]);
		assert_eq!(sealed(), vec![1, 2, 3, 4]);
	});
}

#[test]
fn rounds_open_when_sealed_seats_are_switched_on_finish_as_they_began() {
	build_and_execute(|| {
		// a round drew its panel of three without sealed seats (the runtime before the upgrade)
		for who in 1..=7 {
			certified_validator(who, 100);
		}
		assert_eq!(begin(3).len(), 3);
		for who in panel() {
			commit(who, &[j(70, 50), j(40, 30)]);
		}
		// switched on while it commits: its commit window closes with nobody to seal
		SealedSeats::set(true);
		run_to(3);
		assert_eq!(panel().len(), 3);
		assert_eq!(sealed(), Vec::<u64>::new());
		for who in panel() {
			assert_ok!(reveal(who, &[j(70, 50), j(40, 30)]));
		}
		run_to(5);
		// a dispute has no sealed members to hear it: an appeal panel is drawn, as before
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(PUBLISHER), TASK));
		assert!(matches!(Rounds::<Test>::get(TASK).unwrap().phase, RoundPhase::Draw { at: 6 }));
		run_to(6);
		assert_eq!(panel().len(), 4, "the four not yet drawn");
		judge_round(|_| vec![j(70, 50), j(40, 30)]);
		assert!(events().contains(&Event::AppealDecided { task_id: TASK, overturned: false }));
	});
}
