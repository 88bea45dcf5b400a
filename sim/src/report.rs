//! Turns runs into the table of `docs/MECHANISM.md`: for each strategy, what the cheaters
//! earned against what the same agents earn playing honestly in the same world (same seed),
//! how often the chain caught them, and what it cost honest agents.

use crate::agents::{AgentSpec, Kind};
use crate::engine::{self, RunResult, Scenario, Target};
use tos_primitives::MinerLevel;
use tos_runtime::UNIT;

/// One strategy's figures.
#[derive(Clone, Debug)]
pub struct Row {
	pub name: String,
	/// What a briber paid the validators that take bribes (TOS), and what those validators
	/// gained against the same world without the briber (TOS: theirs, then honest).
	pub bribes_paid: f64,
	pub bribed: Option<(f64, f64)>,
	pub description: &'static str,
	/// What the cheaters and the partners they favour gained (TOS).
	pub cheater_return: f64,
	/// What the same agents gain playing honestly, in the same world (TOS).
	pub honest_return: f64,
	/// `cheater_return / honest_return`, when the honest return is positive.
	pub ratio: Option<f64>,
	/// `cheater_return − honest_return` (TOS): what cheating is worth.
	pub gain: f64,
	/// Where the cheaters mix identities that play honestly (a Sybil's leader doing its own
	/// work) with identities that cheat: what those that cheat gained on their own (TOS).
	pub cheating_identities: Option<f64>,
	/// Honest miners' return against the same world's with the cheaters playing honestly
	/// (what the cheating cost them).
	pub honest_miners: f64,
	/// Honest validators' return, likewise.
	pub honest_validators: f64,
	/// The targeted honest agent's return, likewise.
	pub victim: Option<f64>,
	/// The victim's return (TOS), to compare with the cheater's.
	pub victim_return: Option<f64>,
	/// Rounds in which the cheaters cheated, and the share the chain flagged (%).
	pub cheat_rounds: u32,
	pub detection: Option<f64>,
	/// Honest participations flagged (%), honest stake slashed (TOS).
	pub false_flags: f64,
	pub honest_slashed: f64,
	/// How much higher the beneficiaries' solutions were scored (mean final quality, points)
	/// than the same solutions in the honest run: what the cheating moved the consensus by.
	pub beneficiary_lift: Option<f64>,
	/// The highest level a cheating miner held at the end: what its record bought it.
	pub cheater_level: Option<MinerLevel>,
	/// Honest validators' rounds, and the share of them flagged (%).
	pub judging_rounds: u32,
	pub judging_false_flags: f64,
	/// Tasks whose escrow did not add up.
	pub escrow_errors: u32,
	/// Honest commitments refused as the task was full, with the cheaters and without.
	pub honest_refused_full: u32,
	pub honest_refused_full_without: u32,
	/// Tasks published, settled, expired.
	pub published: u32,
	pub settled: u32,
	pub expired: u32,
	pub invariant_errors: Vec<String>,
	/// Blocks after which money did not add up (accounts against issuance, issuance against
	/// emission and burns), in either run.
	pub money_errors: u32,
	/// What the mechanism must achieve against the strategy.
	pub target: Target,
}

impl Row {
	/// Where the row misses its targets (empty: it meets them all).
	pub fn misses(&self) -> Vec<String> {
		let mut out = Vec::new();
		// the target as written: at most half of what the same agents earn playing honestly,
		// or an outright loss (earning less than honest play is not enough); where one of
		// the agents plays honestly throughout (its work is the same in both worlds, and in a
		// long run it dilutes any fixed loss), the identities that cheat must lose money
		// outright and the whole group earn less than playing honestly
		let half_or_loss = self.cheater_return < 0.0
			|| self.ratio.is_some_and(|r| r <= 0.5)
			|| self.cheating_identities.is_some_and(|r| r < 0.0) && self.gain < 0.0;
		let unplayed = self.target.unplayable && self.cheat_rounds == 0 && self.gain <= 0.0;
		if !half_or_loss && !unplayed {
			out.push(format!(
				"cheating pays: {} of honest play ({:+.1} TOS against it), and no outright loss",
				opt(self.ratio, 2),
				self.gain
			));
		}
		if let Some(least) = self.target.detection {
			match self.detection {
				Some(d) if d >= f64::from(least) => {},
				d => out.push(format!("caught in {} % of rounds, below {least} %", opt(d, 0))),
			}
		}
		if self.target.victim_not_below_cheater
			&& self.victim_return.is_some_and(|v| v < self.cheater_return)
		{
			out.push(format!(
				"the victim ({:.1} TOS) ends below the cheater ({:.1} TOS)",
				self.victim_return.unwrap_or_default(),
				self.cheater_return
			));
		}
		if self.target.loses_money && self.cheater_return >= 0.0 {
			out.push(format!(
				"the cheaters gain {:+.4} TOS: no outright loss",
				self.cheater_return
			));
		}
		if self.target.no_crowding_out
			&& self.honest_refused_full > self.honest_refused_full_without
		{
			out.push(format!(
				"{} honest commitments refused as full, {} without the cheaters",
				self.honest_refused_full, self.honest_refused_full_without
			));
		}
		if self.false_flags > 1.0 {
			out.push(format!("honest agents flagged in {:.2} % of their rounds", self.false_flags));
		}
		if self.judging_false_flags > 1.0 {
			out.push(format!(
				"honest validators flagged in {:.2} % of their rounds",
				self.judging_false_flags
			));
		}
		if self.honest_slashed > 0.0 {
			out.push(format!("honest agents slashed {:.1} TOS", self.honest_slashed));
		}
		if self.escrow_errors > 0 {
			out.push(format!("{} escrows did not add up", self.escrow_errors));
		}
		if self.money_errors > 0 {
			out.push(format!("money did not add up after {} blocks", self.money_errors));
		}
		out.extend(self.invariant_errors.iter().map(|e| format!("invariant: {e}")));
		out
	}
}

fn tos(planck: i128) -> f64 {
	planck as f64 / UNIT as f64
}

fn sum(result: &RunResult, agents: &[AgentSpec], pick: impl Fn(&AgentSpec) -> bool) -> i128 {
	agents.iter().zip(result.returns.iter()).filter(|(a, _)| pick(a)).map(|(_, r)| *r).sum()
}

fn ratio(a: i128, b: i128) -> f64 {
	if b == 0 {
		1.0
	} else {
		a as f64 / b as f64
	}
}

/// Runs `scenario` and its counterfactual, and compares them with each other and with the
/// honest market `baseline` (the same seed without the cheaters).
pub fn measure(scenario: &Scenario, baseline: &RunResult) -> Row {
	let cheat = engine::run(scenario, false);
	let honest = engine::run(scenario, true);
	let agents = &scenario.agents;
	let coalition = |r: &RunResult| sum(r, agents, |a| a.cheater || a.beneficiary);
	let group = |r: &RunResult, name: &str| {
		sum(r, agents, |a| !a.cheater && !a.beneficiary && a.group == name)
	};
	let (c, h) = (coalition(&cheat), coalition(&honest));
	let plays_honestly = |a: &AgentSpec| a.kind == a.honest_counterpart().kind;
	let mixed = agents.iter().any(|a| a.cheater && plays_honestly(a))
		&& agents.iter().any(|a| a.cheater && !plays_honestly(a));
	let cheating_identities =
		mixed.then(|| tos(sum(&cheat, agents, |a| a.cheater && !plays_honestly(a))));
	let mean_quality = |r: &RunResult| {
		let scores: Vec<f64> = agents
			.iter()
			.zip(r.qualities.iter())
			.filter(|(a, _)| a.beneficiary)
			.flat_map(|(_, q)| q.iter().map(|q| f64::from(*q)))
			.collect();
		(!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64)
	};
	let victim = scenario.victim.map(|v| (cheat.returns[v as usize], honest.returns[v as usize]));
	let mut invariant_errors = cheat.invariant_errors.clone();
	invariant_errors.extend(honest.invariant_errors.iter().cloned());
	Row {
		name: scenario.name.clone(),
		description: scenario.description,
		cheater_return: tos(c),
		honest_return: tos(h),
		ratio: (h > 0).then(|| ratio(c, h)),
		gain: tos(c - h),
		cheating_identities,
		honest_miners: ratio(group(&cheat, "honest miner"), group(&honest, "honest miner")),
		honest_validators: ratio(
			group(&cheat, "honest validator"),
			group(&honest, "honest validator"),
		),
		victim: victim.map(|(a, b)| ratio(a, b)),
		victim_return: victim.map(|(a, _)| tos(a)),
		cheat_rounds: cheat.cheat_rounds,
		detection: (cheat.cheat_rounds > 0)
			.then(|| 100.0 * f64::from(cheat.cheat_detected) / f64::from(cheat.cheat_rounds)),
		false_flags: 100.0 * f64::from(cheat.honest_flagged + honest.honest_flagged)
			/ f64::from((cheat.honest_rounds + honest.honest_rounds).max(1)),
		honest_slashed: tos((cheat.honest_slashed + honest.honest_slashed) as i128),
		beneficiary_lift: mean_quality(&cheat).zip(mean_quality(&honest)).map(|(a, b)| a - b),
		cheater_level: agents
			.iter()
			.zip(cheat.levels.iter())
			.filter(|(a, _)| a.cheater && matches!(a.kind, Kind::Miner(_)))
			.map(|(_, level)| *level)
			.max(),
		judging_rounds: cheat.honest_judging_rounds + honest.honest_judging_rounds,
		judging_false_flags: 100.0
			* f64::from(cheat.honest_judging_flagged + honest.honest_judging_flagged)
			/ f64::from((cheat.honest_judging_rounds + honest.honest_judging_rounds).max(1)),
		bribes_paid: tos(cheat.bribes_paid as i128),
		bribed: agents.iter().any(|a| a.bribable()).then(|| {
			let bribed = |r: &RunResult| sum(r, agents, |a| a.bribable());
			(tos(bribed(&cheat)), tos(bribed(&honest)))
		}),
		escrow_errors: cheat.escrow_errors + honest.escrow_errors,
		money_errors: cheat.money_errors + honest.money_errors,
		honest_refused_full: cheat.honest_refused_full,
		honest_refused_full_without: baseline.honest_refused_full,
		published: cheat.published,
		settled: cheat.settled,
		expired: cheat.expired,
		invariant_errors,
		target: scenario.target,
	}
}

/// Measures every scenario against the honest market `honest` (same blocks and seed), on
/// `threads` threads, in order.
pub fn measure_all(
	honest: &Scenario,
	scenarios: &[Scenario],
	threads: usize,
) -> (RunResult, Vec<Row>) {
	let baseline = engine::run(honest, false);
	let next = std::sync::atomic::AtomicUsize::new(0);
	let rows = std::sync::Mutex::new(vec![None; scenarios.len()]);
	std::thread::scope(|scope| {
		for _ in 0..threads.max(1) {
			scope.spawn(|| loop {
				let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
				let Some(scenario) = scenarios.get(i) else { break };
				let row = measure(scenario, &baseline);
				rows.lock().expect("no panics while holding the lock")[i] = Some(row);
			});
		}
	});
	(baseline, rows.into_inner().expect("threads joined").into_iter().flatten().collect())
}

fn opt(value: Option<f64>, digits: usize) -> String {
	value.map_or("–".into(), |v| format!("{v:.digits$}"))
}

/// The table, in Markdown.
pub fn markdown(rows: &[Row]) -> String {
	let mut out = String::from(
		"| strategy | cheaters' return (TOS) | same agents, honest (TOS) | ratio | gain (TOS) | honest miners | honest validators | victim (TOS) | caught | honest flagged | honest slashed (TOS) | honest refused (full) | cheating miners' level | escrow exact | target |\n\
		 |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|\n",
	);
	for r in rows {
		out += &format!(
			"| {} | {:.1} | {:.1} | {} | {:+.1} | {:.2}× | {:.2}× | {} | {} | {:.2} % | {:.1} | {} ({} without) | {} | {} | {} |\n",
			r.name,
			r.cheater_return,
			r.honest_return,
			opt(r.ratio, 2),
			r.gain,
			r.honest_miners,
			r.honest_validators,
			match (r.victim, r.victim_return) {
				(Some(v), Some(tos)) => format!("{v:.2}× ({tos:.1})"),
				_ => "–".into(),
			},
			match r.detection {
				Some(d) => format!("{d:.0} % of {}", r.cheat_rounds),
				None => "–".into(),
			},
			r.false_flags,
			r.honest_slashed,
			r.honest_refused_full,
			r.honest_refused_full_without,
			r.cheater_level.map_or("–".into(), |level| format!("{level:?}")),
			match (r.escrow_errors, r.money_errors) {
				(0, 0) => "yes".to_string(),
				(e, m) => format!("{e} escrow errors, {m} blocks where money did not add up"),
			},
			match r.misses() {
				m if m.is_empty() && r.target.unplayable && r.cheat_rounds == 0 => {
					"met: no chance to play it (it never cheated)".to_string()
				},
				m if m.is_empty() => match r.cheating_identities {
					Some(own) if r.ratio.is_some_and(|ratio| ratio > 0.5) => format!(
						"met: the identities that cheat lose {:.1} TOS outright",
						-own
					),
					_ => "met".to_string(),
				},
				m => format!("**missed**: {}", m.join("; ")),
			},
		);
	}
	out
}

/// The table as CSV (for the plots).
pub fn csv(rows: &[Row]) -> String {
	let mut out = String::from(
		"strategy,cheater_return,honest_return,ratio,gain,honest_miners,honest_validators,victim,victim_return,detection,false_flags,honest_slashed,honest_refused_full,escrow_errors,published,settled,expired,cheater_level\n",
	);
	for r in rows {
		out += &format!(
			"\"{}\",{:.3},{:.3},{},{:.3},{:.4},{:.4},{},{},{},{:.4},{:.3},{},{},{},{},{},{}\n",
			r.name,
			r.cheater_return,
			r.honest_return,
			r.ratio.map_or(String::new(), |v| format!("{v:.4}")),
			r.gain,
			r.honest_miners,
			r.honest_validators,
			r.victim.map_or(String::new(), |v| format!("{v:.4}")),
			r.victim_return.map_or(String::new(), |v| format!("{v:.3}")),
			r.detection.map_or(String::new(), |v| format!("{v:.2}")),
			r.false_flags,
			r.honest_slashed,
			r.honest_refused_full,
			r.escrow_errors,
			r.published,
			r.settled,
			r.expired,
			r.cheater_level.map_or(String::new(), |level| format!("{level:?}")),
		);
	}
	out
}

/// The bribery rows' own table: what the briber paid, what it gained against honest play, and
/// what the validators it paid gained, in Markdown.
pub fn bribery_markdown(rows: &[Row]) -> String {
	let mut out = String::from(
		"| strategy | bribes paid (TOS) | briber's return (TOS) | same miner, honest (TOS) | bribed validators' return (TOS) | same validators, unbribed (TOS) |\n\
		 |---|---:|---:|---:|---:|---:|\n",
	);
	for row in rows {
		let Some((bribed, unbribed)) = row.bribed else { continue };
		out.push_str(&format!(
			"| {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |\n",
			row.name, row.bribes_paid, row.cheater_return, row.honest_return, bribed, unbribed
		));
	}
	out
}
