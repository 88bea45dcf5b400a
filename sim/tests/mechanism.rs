//! The short, fixed-seed form of the mechanism simulation: every cheating strategy played
//! through the real runtime against the same agents playing honestly, and the targets of
//! issues 16 and 17 checked on the result (`tos-sim --long` is the long form).

use tos_primitives::MinerLevel;
use tos_sim::{report, scenarios, SEED, SHORT_BLOCKS};

#[test]
fn no_cheating_strategy_pays_and_honest_agents_are_never_slashed() {
	let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
	let all = scenarios::all(SHORT_BLOCKS, SEED);
	let (baseline, rows) =
		report::measure_all(&scenarios::honest(SHORT_BLOCKS, SEED), &all, threads);
	println!("{}", report::markdown(&rows));

	assert!(baseline.invariant_errors.is_empty(), "{:?}", baseline.invariant_errors);
	assert_eq!(baseline.escrow_errors, 0, "the honest market's escrows add up");
	assert_eq!(baseline.money_errors, 0, "money adds up in every block of the honest market");
	assert!(baseline.settled > 20, "the honest market settles its tasks: {}", baseline.settled);
	assert_eq!(baseline.honest_slashed, 0, "nobody honest is slashed");
	assert_eq!(rows.len(), all.len(), "every scenario ran");

	// panels are drawn privately: each validator's own VRF ticket seats it. The honest
	// market asks for panels of five from ten validators; a draw short of a quorum (three)
	// draws again, and at most ten may sit
	let sizes = &baseline.panel_sizes;
	println!("panel sizes drawn privately (members: panels): {sizes:?}");
	let panels: u32 = sizes.values().sum();
	assert!(panels as u64 >= baseline.settled as u64, "every settled task had a panel: {sizes:?}");
	assert!(sizes.keys().all(|&n| (3..=10).contains(&n)), "a quorum, at most ten: {sizes:?}");
	let members: u32 = sizes.iter().map(|(n, k)| n * k).sum();
	let mean = f64::from(members) / f64::from(panels);
	assert!((4.0..=6.0).contains(&mean), "about the five seats asked for: {mean:.2}");

	let mut misses = Vec::new();
	for row in rows.iter() {
		let missed = row.misses();
		if KNOWN_MISSES.contains(&row.name.as_str()) {
			// held to the bound it met before — less than honest play, every other target
			// met — so that it can never start to pay; and off the list once it meets the
			// target as written
			let only_pays = missed.iter().all(|m| m.starts_with("cheating pays"));
			if missed.is_empty() {
				misses
					.push(format!("{}: meets the target now: take it off KNOWN_MISSES", row.name));
			} else if !only_pays || row.gain >= 0.0 {
				misses.push(format!("{}: {}", row.name, missed.join("; ")));
			}
		} else {
			misses.extend(missed.into_iter().map(|m| format!("{}: {m}", row.name)));
		}
	}
	assert!(misses.is_empty(), "targets missed:\n{}", misses.join("\n"));

	// a record counts value judged: sixty tasks of 1 TOS a wash trader publishes to its own
	// miners, every one scored 100, buy none of them a level
	let tiny = rows.iter().find(|r| r.name == "wash trading, 1 TOS tasks").expect("scenario runs");
	assert!(
		tiny.settled >= baseline.settled + 50,
		"the wash trader's tasks settle: {} beside the honest market's {}",
		tiny.settled,
		baseline.settled
	);
	assert_eq!(tiny.cheater_level, Some(MinerLevel::Novice), "a record of tiny tasks");

	// a long con cheats in the end (a copy on a big task, once Skilled), and loses the level
	// its honest work bought: the rows above hold it to the target, this that it was tried
	for name in ["long con, 10 000 TOS prize", "long con, 10 000 TOS prize, earnings moved out"] {
		let row = rows.iter().find(|r| r.name == name).expect("scenario runs");
		assert!(row.cheat_rounds > 0, "{name}: the con submitted its copy");
		assert_eq!(row.cheater_level, Some(MinerLevel::Novice), "{name}: the level is lost");
	}

	// bribery under private draws: a briber paying blind pays every validator that takes
	// bribes on every task, most of whom never sit; one buying seats from their winners pays
	// only those who sit. Both were paid for (the rows above hold them to the target)
	println!("{}", report::bribery_markdown(&rows));
	for name in ["bribery, blind", "seat selling", "seat selling, many buyers"] {
		let row = rows.iter().find(|r| r.name == name).expect("scenario runs");
		assert!(row.bribes_paid > 0.0, "{name}: bribes were paid");
	}
	let blind = rows.iter().find(|r| r.name == "bribery, blind").expect("scenario runs");
	let selling = rows.iter().find(|r| r.name == "seat selling").expect("scenario runs");
	assert!(
		blind.bribes_paid > selling.bribes_paid,
		"paying blind costs more than buying the seats that win: {} against {} TOS",
		blind.bribes_paid,
		selling.bribes_paid
	);
}

/// The strategies that still miss the target as written — at most half of what the same agents
/// earn playing honestly, or an outright loss — in the short form, though they earn less than
/// honest play: the open part of issue 30 (`docs/MECHANISM.md`, "Limits").
/// Strategies held to a weaker bound than the target as written (none since issue 30, part 9:
/// the appeal copier has no result to copy once sealed members hear appeals).
const KNOWN_MISSES: &[&str] = &[];

#[test]
fn a_confirmed_fraud_costs_reputation_that_a_clean_month_gives_back_and_a_new_identity_does_not_dodge(
) {
	use tos_sim::recovery::{self, FRAUD_DAY};
	let days = recovery::run(75);
	println!("{}", recovery::markdown(&days));
	let day = |n: u32| &days[n as usize];
	// before the fraud the two are one
	assert_eq!(day(FRAUD_DAY - 1).offender, day(FRAUD_DAY - 1).twin);
	// the confirmed fraud costs the offender a fifth of its reputation, and with it the
	// Master level its record earns the twin on day 30
	let (twin, offender) = (day(FRAUD_DAY).twin, day(FRAUD_DAY).offender);
	assert!(offender.score.deconstruct() < twin.score.deconstruct() / 10 * 9, "{offender:?}");
	assert!(day(30).offender.level < day(30).twin.level, "{:?}", day(30));
	// it stays lower through a month of clean work…
	for d in FRAUD_DAY..FRAUD_DAY + 29 {
		assert!(day(d).offender.priority < day(d).twin.priority, "day {d}");
		assert_eq!(day(d).offender_frauds, 1);
	}
	// …and once a clean month has forgiven it, good work takes it back to the twin
	assert_eq!(day(FRAUD_DAY + 31).offender_frauds, 0);
	let back = day(FRAUD_DAY + 45);
	assert_eq!(back.offender.level, back.twin.level);
	let gap = back.twin.score.deconstruct().abs_diff(back.offender.score.deconstruct());
	assert!(gap < 100_000, "within 0.01 %: {back:?}");
	// the fraud took the level at once: the offender's record fell back to where the level
	// below starts, and it is a level under its twin for as long as it takes to rebuild it
	assert!(day(FRAUD_DAY).offender.level < day(FRAUD_DAY - 1).offender.level);
	// a new identity is no way round it: it starts from no record at all, so it is never
	// levelled above the offender in the month its fraud stands, and ranked below it in the
	// first days — it outranks it later only because the multiplier of a fraud it did not
	// commit does not weigh on its score, once its own clean record has grown
	for d in FRAUD_DAY..FRAUD_DAY + 29 {
		let newcomer = day(d).newcomer.expect("registered on the fraud day");
		assert!(newcomer.level <= day(d).offender.level, "day {d}: {newcomer:?}");
		if d < FRAUD_DAY + 5 {
			assert!(newcomer.priority < day(d).offender.priority, "day {d}: {newcomer:?}");
		}
	}
}

#[test]
fn across_the_sweep_honest_validators_of_any_noise_are_flagged_in_at_most_one_round_in_a_hundred_and_never_slashed(
) {
	use tos_sim::sweep;
	let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
	let rows = sweep::run(&sweep::short_cells(), SHORT_BLOCKS, SEED, threads);
	println!("{}", sweep::markdown(&rows));
	assert_eq!(rows.len(), sweep::short_cells().len(), "every cell ran");
	let mut broken = Vec::new();
	for sweep::CellRow { cell, row } in rows.iter() {
		let name =
			format!("σ {}, coalition {} %, panel {}", cell.sigma, cell.colluders * 10, cell.panel);
		if row.judging_rounds < 100 {
			broken.push(format!("{name}: only {} honest judging rounds", row.judging_rounds));
		}
		if row.judging_false_flags > 1.0 || row.false_flags > 1.0 {
			broken.push(format!(
				"{name}: honest validators flagged in {:.2} % of their rounds ({:.2} % of all honest rounds)",
				row.judging_false_flags, row.false_flags
			));
		}
		if row.honest_slashed > 0.0 {
			broken.push(format!("{name}: honest agents slashed {:.1} TOS", row.honest_slashed));
		}
		if row.escrow_errors > 0 || row.money_errors > 0 || !row.invariant_errors.is_empty() {
			broken.push(format!(
				"{name}: {} escrow errors, {} blocks where money did not add up, {:?}",
				row.escrow_errors, row.money_errors, row.invariant_errors
			));
		}
		// steering inside the margin earns less than honest play in every cell (the target as
		// written — at most half — is not met by every cell yet: docs/MECHANISM.md, "Limits")
		if row.gain >= 0.0 {
			broken.push(format!("{name}: steering pays {:+.1} TOS", row.gain));
		}
	}
	assert!(broken.is_empty(), "{}", broken.join("\n"));
}
