//! Reputation after a confirmed fraud, and the cost of starting over: the miner-reputation
//! pallet's rules in the runtime, with the chain's own parameters, over months.
//!
//! Three miners do the same work — ten tasks a day, each judged quality 80 and innovation 60
//! and completed — from day 0: the *twin* is honest throughout; the *offender* is reported and its
//! plagiarism confirmed by governance on day 10, then works honestly; the *newcomer* is a
//! fresh identity the offender could have made on day 10 instead, starting from the floor.
//! Blocks are not executed one by one (the reputation rules only read the block number), so
//! months take a moment.

use crate::{
	market,
	world::{self, AccountId},
};
use pallet_tos_fraud_flags as fraud;
use pallet_tos_miner_reputation as reputation;
use sp_core::H256;
use sp_runtime::Perbill;
use tos_primitives::{
	FraudKind, MinerLevel, OutcomeScores, ReputationDimension, ReputationLedger, Score, TaskType,
};
use tos_runtime::{Runtime, RuntimeCall, DAYS, UNIT};

/// A miner's standing: its reputation score, the score that ranks it for a slot (capped by
/// its record), and its level (which gates the tasks it may take).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Standing {
	pub score: Perbill,
	pub priority: Perbill,
	pub level: MinerLevel,
}

/// One day's standing.
#[derive(Clone, Debug)]
pub struct Day {
	/// Days since the start.
	pub day: u32,
	/// The honest twin's.
	pub twin: Standing,
	/// The offender's.
	pub offender: Standing,
	/// The newcomer's (none before day 10).
	pub newcomer: Option<Standing>,
	/// Frauds on the offender's record not yet forgiven.
	pub offender_frauds: u32,
}

/// The day the offender's fraud is confirmed.
pub const FRAUD_DAY: u32 = 10;

fn standing(who: &AccountId) -> Standing {
	use tos_primitives::MinerRegistry;
	Standing {
		score: reputation::Pallet::<Runtime>::reputation_of(who).score,
		priority: <reputation::Pallet<Runtime> as MinerRegistry<AccountId>>::priority(who).0,
		level: reputation::Pallet::<Runtime>::level_of(who),
	}
}

/// One task's outcomes as the chain records them: the judgement (validation), then the
/// completion of accepted work (settlement), on a task of the market's 1 000 TOS.
fn work(who: &AccountId) {
	const VALUE: u128 = 1_000 * UNIT;
	let score = |s| Score::new(s).expect("in range");
	let judgement = OutcomeScores::only(ReputationDimension::Quality, score(80))
		.with(ReputationDimension::Innovation, score(60));
	let completion = OutcomeScores::only(ReputationDimension::Completion, score(100));
	for outcome in [judgement, completion] {
		<reputation::Pallet<Runtime> as ReputationLedger<AccountId>>::record(
			who,
			TaskType::CodeGeneration,
			outcome,
			VALUE,
		);
	}
}

/// The three miners' standing at the end of each of `days` days.
pub fn run(days: u32) -> Vec<Day> {
	let (twin, offender, newcomer, reporter) =
		(world::account(1), world::account(2), world::account(3), world::account(4));
	let mut out = Vec::new();
	world::genesis().execute_with(|| {
		world::start_block(1);
		for who in [&twin, &offender, &newcomer, &reporter] {
			world::fund(who, 10_000 * UNIT);
		}
		for who in [&twin, &offender] {
			market::register_miner(who, 100 * UNIT).expect("registers");
		}
		let per_day = 10;
		for day in 0..days {
			if day == FRAUD_DAY {
				world::signed(
					&reporter,
					RuntimeCall::FraudFlags(fraud::Call::report_fraud {
						target: offender.clone(),
						kind: FraudKind::Plagiarism,
						task_id: None,
						evidence: H256::repeat_byte(1),
					}),
				)
				.expect("a report is accepted");
				let report_id = fraud::NextReportId::<Runtime>::get() - 1;
				world::root(RuntimeCall::FraudFlags(fraud::Call::confirm { report_id }))
					.expect("governance confirms");
				market::register_miner(&newcomer, 100 * UNIT).expect("a new identity registers");
			}
			for k in 0..per_day {
				let block = 2 + day * DAYS + k * (DAYS / per_day);
				frame_system::Pallet::<Runtime>::set_block_number(block);
				work(&twin);
				work(&offender);
				if day >= FRAUD_DAY {
					work(&newcomer);
				}
			}
			frame_system::Pallet::<Runtime>::set_block_number(2 + (day + 1) * DAYS - 1);
			out.push(Day {
				day,
				twin: standing(&twin),
				offender: standing(&offender),
				newcomer: (day >= FRAUD_DAY).then(|| standing(&newcomer)),
				offender_frauds: reputation::Pallet::<Runtime>::reputation_of(&offender)
					.fraud_flags,
			});
		}
	});
	out
}

/// The days worth a line, as Markdown.
pub fn markdown(days: &[Day]) -> String {
	let pct = |p: Perbill| format!("{:.1} %", f64::from(p.deconstruct()) / 1e7);
	let show = |s: &Standing| {
		if s.priority == s.score {
			format!("{} {:?}", pct(s.score), s.level)
		} else {
			format!("{} (ranked {}) {:?}", pct(s.score), pct(s.priority), s.level)
		}
	};
	let mut out = String::from(
		"| day | honest twin | offender (plagiarism confirmed on day 10) | frauds on record | new identity from day 10 |\n|---:|---:|---:|---:|---:|\n",
	);
	for d in days.iter().filter(|d| {
		matches!(d.day, 0 | 1 | 9 | 10 | 11 | 12 | 20 | 30 | 39 | 40 | 41 | 45 | 60 | 90 | 120)
			|| d.day + 1 == days.len() as u32
	}) {
		out += &format!(
			"| {} | {} | {} | {} | {} |\n",
			d.day,
			show(&d.twin),
			show(&d.offender),
			d.offender_frauds,
			d.newcomer.as_ref().map_or("–".into(), show),
		);
	}
	out
}

/// All days as CSV (for the plot).
pub fn csv(days: &[Day]) -> String {
	let mut out = String::from(
		"day,twin,offender,newcomer,twin_priority,offender_priority,newcomer_priority,offender_frauds\n",
	);
	let ppb = |p: Perbill| p.deconstruct().to_string();
	for d in days {
		out += &format!(
			"{},{},{},{},{},{},{},{}\n",
			d.day,
			ppb(d.twin.score),
			ppb(d.offender.score),
			d.newcomer.map_or(String::new(), |s| ppb(s.score)),
			ppb(d.twin.priority),
			ppb(d.offender.priority),
			d.newcomer.map_or(String::new(), |s| ppb(s.priority)),
			d.offender_frauds
		);
	}
	out
}
