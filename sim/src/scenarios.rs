//! The populations: an honest market, and one scenario per cheating strategy, each the
//! honest market plus its cheaters.
//!
//! The honest market: one publisher posting a 1 000 TOS code-generation task every five
//! blocks (eight solutions at most, a panel of five, quality 60 to win), eight honest miners
//! of skills 45–88 (each takes a task with probability 70 %), and seven honest validators with
//! bonds of 100–1 500 TOS whose scores carry noise of standard deviation 2–4 points.

use crate::{
	agents::{
		AgentSpec, Boost, Disguise, HoneypotProvider, Kind, MinerStrategy, PublisherStrategy,
		ValidatorStrategy,
	},
	engine::{Scenario, Target},
	market::Terms,
};
use tos_primitives::TaskType;
use tos_runtime::{Balance, UNIT};

/// Whether the market has honeypots (version 1 of the validation pallet does).
const HONEYPOTS: bool = true;

/// The honest miners' (skill, innovation).
const MINERS: [(u8, u8); 8] =
	[(45, 30), (55, 60), (60, 40), (65, 50), (70, 70), (75, 45), (80, 60), (88, 75)];
/// The honest validators' (noise, bond in TOS).
const VALIDATORS: [(u8, Balance); 7] =
	[(2, 100), (3, 150), (4, 200), (4, 300), (3, 500), (2, 800), (4, 1_500)];

/// The first honest miner's index (the publisher is 0).
pub const FIRST_MINER: u32 = 1;
/// The best honest miner: the one copiers copy.
pub const BEST_MINER: u32 = FIRST_MINER + 7;
/// A middling honest miner (skill 60): the one framers frame, where an over-score stands out.
pub const MIDDLE_MINER: u32 = FIRST_MINER + 2;

/// A growing population.
#[derive(Clone)]
struct Population(Vec<AgentSpec>);

impl Population {
	/// The honest market.
	fn honest() -> Self {
		Self::market(VALIDATORS)
	}

	/// The honest market with these honest validators' (noise, bond in TOS).
	fn market(validators: impl IntoIterator<Item = (u8, Balance)>) -> Self {
		let mut agents = vec![AgentSpec {
			kind: Kind::Publisher(PublisherStrategy::Honest {
				interval: 5,
				task_type: TaskType::CodeGeneration,
			}),
			bond: 0,
			types: vec![],
			group: "publisher",
			cheater: false,
			beneficiary: false,
		}];
		for (skill, innovation) in MINERS {
			agents.push(AgentSpec {
				kind: Kind::Miner(MinerStrategy::Honest { skill, innovation }),
				bond: 100 * UNIT,
				types: vec![],
				group: "honest miner",
				cheater: false,
				beneficiary: false,
			});
		}
		for (sigma, bond) in validators {
			agents.push(AgentSpec {
				kind: Kind::Validator(ValidatorStrategy::Honest { sigma }),
				bond: bond * UNIT,
				types: vec![TaskType::CodeGeneration],
				group: "honest validator",
				cheater: false,
				beneficiary: false,
			});
		}
		// the protocol's honeypot provider, where the chain has honeypots
		if HONEYPOTS {
			agents.push(AgentSpec {
				kind: Kind::Honeypots(HoneypotProvider { percent: 30 }),
				bond: 100 * UNIT,
				types: vec![],
				group: "honeypot provider",
				cheater: false,
				beneficiary: false,
			});
		}
		Population(agents)
	}

	fn add(&mut self, kind: Kind, bond: Balance, group: &'static str) -> u32 {
		let types = match kind {
			Kind::Validator(_) => vec![TaskType::CodeGeneration],
			_ => vec![],
		};
		self.0.push(AgentSpec { kind, bond, types, group, cheater: true, beneficiary: false });
		self.0.len() as u32 - 1
	}

	/// Adds an honest participant (not counted with the cheaters).
	fn add_honest(&mut self, kind: Kind, bond: Balance, group: &'static str) -> u32 {
		let i = self.add(kind, bond, group);
		self.0[i as usize].cheater = false;
		i
	}

	/// Marks agent `i` a beneficiary (counted in the coalition, not as the cheater).
	fn beneficiary(&mut self, i: u32) {
		self.0[i as usize].cheater = false;
		self.0[i as usize].beneficiary = true;
	}

	fn next(&self) -> u32 {
		self.0.len() as u32
	}
}

fn terms() -> Terms {
	Terms {
		task_type: TaskType::CodeGeneration,
		reward: 1_000 * UNIT,
		commit_blocks: 10,
		reveal_blocks: 10,
		validation_blocks: 10,
		max_solutions: 8,
		panel_size: 5,
		quality_threshold: 60,
	}
}

fn scenario(
	name: &'static str,
	description: &'static str,
	population: Population,
	blocks: u32,
	seed: u64,
) -> Scenario {
	Scenario {
		name: name.into(),
		description,
		agents: population.0,
		blocks,
		seed,
		terms: terms(),
		victim: None,
		target: Target::default(),
		bribery: Vec::new(),
		lean: false,
	}
}

fn miner(strategy: MinerStrategy) -> Kind {
	Kind::Miner(strategy)
}

fn validator(strategy: ValidatorStrategy) -> Kind {
	Kind::Validator(strategy)
}

/// One cell of the sensitivity sweep ([`crate::sweep`]): the honest market's publisher and
/// miners, ten validators of 1 000 TOS whose scores all carry noise of standard deviation
/// `sigma`, `colluders` of them (a tenth of the validators' stake each) steering for one
/// honestly working partner — `+12` on both axes for it, `−12` for every rival, just inside the
/// outlier margin — and panels of `panel` seats.
pub fn sweep_cell(sigma: u8, colluders: u32, panel: u32, blocks: u32, seed: u64) -> Scenario {
	let mut p = Population::market((colluders..10).map(|_| (sigma, 1_000)));
	let partner = p.next() + colluders;
	for _ in 0..colluders {
		p.add(
			validator(ValidatorStrategy::Colluder {
				partners: vec![partner],
				boost: Boost::Steer(12),
				sigma,
			}),
			1_000 * UNIT,
			"steering coalition",
		);
	}
	let i = p.add(
		miner(MinerStrategy::Honest { skill: 65, innovation: 50 }),
		100 * UNIT,
		"steering coalition",
	);
	p.beneficiary(i);
	let mut s = scenario(
		"sweep",
		"a coalition of validators steers inside the outlier margin for an honest partner",
		p,
		blocks,
		seed,
	);
	s.name = format!("σ {sigma}, coalition {} %, panel {panel}", colluders * 10);
	s.terms.panel_size = panel;
	s
}

/// The honest market alone (the baseline every table row is compared with).
pub fn honest(blocks: u32, seed: u64) -> Scenario {
	scenario("honest market", "nobody cheats", Population::honest(), blocks, seed)
}

/// Every cheating strategy, each in its own scenario.
pub fn all(blocks: u32, seed: u64) -> Vec<Scenario> {
	let mut out = Vec::new();
	let mut push = |name, description, population, victim: Option<u32>| {
		let mut s = scenario(name, description, population, blocks, seed);
		s.victim = victim;
		out.push(s);
	};

	// --- judging ---
	let mut p = Population::honest();
	let partner = p.next() + 1;
	p.add(
		validator(ValidatorStrategy::Colluder {
			partners: vec![partner],
			boost: Boost::Extreme,
			sigma: 4,
		}),
		100_000 * UNIT,
		"whale",
	);
	let i = p.add(miner(MinerStrategy::Partner), 100 * UNIT, "whale");
	p.beneficiary(i);
	push("whale colluder", "a validator with 100 000 TOS bonded scores its junk-producing partner 100 and everyone else 0", p, None);

	let mut p = Population::honest();
	let whales: Vec<u32> = (0..3).map(|k| p.next() + k).collect();
	let partner = p.next() + 3;
	for _ in 0..3 {
		p.add(
			validator(ValidatorStrategy::Colluder {
				partners: vec![partner],
				boost: Boost::Extreme,
				sigma: 4,
			}),
			30_000 * UNIT,
			"split whale",
		);
	}
	let i = p.add(miner(MinerStrategy::Partner), 100 * UNIT, "split whale");
	p.beneficiary(i);
	let _ = whales;
	push(
		"whale split over 3 identities",
		"three certified validators of 30 000 TOS each score one junk partner 100, the rest 0",
		p,
		None,
	);

	let mut p = Population::honest();
	let partner = p.next() + 1;
	p.add(
		validator(ValidatorStrategy::Colluder {
			partners: vec![partner],
			boost: Boost::InBand,
			sigma: 4,
		}),
		500 * UNIT,
		"in-band colluder",
	);
	let i = p.add(
		miner(MinerStrategy::Honest { skill: 65, innovation: 50 }),
		100 * UNIT,
		"in-band colluder",
	);
	p.beneficiary(i);
	push(
		"colluder inside the clip band",
		"a validator scores its (honestly working) partner +15 quality and 100 innovation, rivals −15",
		p,
		None,
	);

	let mut p = Population::honest();
	let partner = p.next() + 1;
	p.add(
		validator(ValidatorStrategy::Colluder {
			partners: vec![partner],
			boost: Boost::Subtle,
			sigma: 4,
		}),
		500 * UNIT,
		"subtle colluder",
	);
	let i = p.add(
		miner(MinerStrategy::Honest { skill: 65, innovation: 50 }),
		100 * UNIT,
		"subtle colluder",
	);
	p.beneficiary(i);
	push(
		"colluder just inside the outlier margin",
		"a validator scores its (honestly working) partner +11 quality and everyone else honestly",
		p,
		None,
	);

	let mut p = Population::honest();
	let partners: Vec<u32> = (1..=4).map(|k| p.next() + k).collect();
	p.add(
		validator(ValidatorStrategy::Colluder {
			partners: partners.clone(),
			boost: Boost::Extreme,
			sigma: 4,
		}),
		500 * UNIT,
		"rotating colluder",
	);
	for slot in 0..4 {
		let i = p.add(
			miner(MinerStrategy::RotatingPartner { slot, of: 4 }),
			100 * UNIT,
			"rotating colluder",
		);
		p.beneficiary(i);
	}
	push(
		"colluder rotating partners",
		"a 100/0 colluder whose junk partner takes a new identity every two tasks",
		p,
		None,
	);

	let mut p = Population::honest();
	p.add(validator(ValidatorStrategy::Framer { victim: MIDDLE_MINER }), 300 * UNIT, "framer");
	push(
		"framing an honest miner",
		"a 300 TOS validator scores a middling honest miner 100, hoping the detector slashes it",
		p,
		Some(MIDDLE_MINER),
	);

	let mut p = Population::honest();
	for _ in 0..3 {
		p.add(
			validator(ValidatorStrategy::FalseVerdict { victim: BEST_MINER, sigma: 3 }),
			1_000 * UNIT,
			"verdict cartel",
		);
	}
	push(
		"false verdicts on the best miner",
		"three 1 000 TOS validators score honestly but call the best miner's fingerprint false, to have it excluded; it disputes when they carry the panel",
		p,
		Some(BEST_MINER),
	);

	for (name, q, group) in [
		("rubber stamp 50", 50, "stamp 50"),
		("rubber stamp 100", 100, "stamp 100"),
		("rubber stamp 0", 0, "stamp 0"),
	] {
		let mut p = Population::honest();
		p.add(
			validator(ValidatorStrategy::Constant { quality: q, innovation: q }),
			500 * UNIT,
			group,
		);
		push(name, "a validator gives every solution the same scores without looking", p, None);
	}

	let mut p = Population::honest();
	p.add(miner(MinerStrategy::Griefer { skill: 65, innovation: 50 }), 100 * UNIT, "griefer");
	let friend = p.add(validator(ValidatorStrategy::Honest { sigma: 4 }), 500 * UNIT, "griefer");
	p.beneficiary(friend);
	push(
		"frivolous disputes",
		"a miner disputes every result of its tasks; a validator friend sits in the appeal pool",
		p,
		None,
	);

	// appeals happen where a miner disputes every result (the griefer is the world here, and
	// honest validators of 500 TOS fill the appeal pool); the copier is one of them
	let mut p = Population::honest();
	p.add_honest(
		miner(MinerStrategy::Griefer { skill: 65, innovation: 50 }),
		100 * UNIT,
		"griefer",
	);
	for _ in 0..3 {
		p.add_honest(
			validator(ValidatorStrategy::Honest { sigma: 4 }),
			500 * UNIT,
			"honest validator",
		);
	}
	p.add(validator(ValidatorStrategy::AppealCopier { sigma: 4 }), 500 * UNIT, "appeal copier");
	push(
		"appeal copier, frivolous disputes",
		"a validator that, drawn onto an appeal panel, copies the provisional result it reviews without looking",
		p,
		None,
	);

	for (name, zero, group) in [
		("publisher's silent panel", false, "silent panel"),
		("publisher's zero-scoring panel", true, "zero panel"),
	] {
		let mut p = Population::honest();
		let boss = p.add(
			Kind::Publisher(PublisherStrategy::Honest { interval: 10, task_type: TaskType::Other }),
			0,
			group,
		);
		for _ in 0..4 {
			let v = p.add(
				validator(ValidatorStrategy::PublisherSybil { boss, zero }),
				100 * UNIT,
				group,
			);
			// the publisher's own validators are the only ones certified for its task type
			p.0[v as usize].types = vec![TaskType::CodeGeneration, TaskType::Other];
		}
		push(
			name,
			if zero {
				"a publisher's own validators are the only ones for its task type and score everything 0"
			} else {
				"a publisher's own validators are the only ones for its task type and never reveal"
			},
			p,
			None,
		);
	}

	// --- solving ---
	for (name, disguise, before, group, description) in [
		(
			"copy with a false fingerprint",
			Disguise::FalseFingerprint,
			false,
			"false-fingerprint copier",
			"a leaked copy of the best miner's solution under a fresh hash and a made-up fingerprint",
		),
		(
			"near-duplicate, honest fingerprint",
			Disguise::NearDuplicate,
			false,
			"near-duplicate copier",
			"a leaked copy with a tenth of its tokens changed, fingerprinted honestly",
		),
		(
			"leaked copy committed first",
			Disguise::Exact,
			true,
			"front-running copier",
			"the best miner's solution, leaked before its author commits, committed a block earlier",
		),
	] {
		let mut p = Population::honest();
		p.add(miner(MinerStrategy::Copier { victim: BEST_MINER, disguise, before }), 100 * UNIT, group);
		push(name, description, p, Some(BEST_MINER));
	}

	// a long con: honest work for half the run, to a Skilled record, then a leaked copy on
	// each big task an honest publisher posts from then on (three in the run)
	for (name, prize) in [
		("long con, 10 000 TOS prize", 10_000),
		("long con, 10 000 TOS prize, earnings moved out", 10_000),
		("long con, 50 000 TOS prize", 50_000),
	] {
		let mut p = Population::honest();
		p.add_honest(
			Kind::Publisher(PublisherStrategy::Prizes {
				from: blocks / 2,
				interval: blocks / 5,
				reward: prize * UNIT,
			}),
			0,
			"prize publisher",
		);
		p.add(
			miner(MinerStrategy::LongCon {
				skill: 65,
				innovation: 50,
				victim: BEST_MINER,
				prize: prize * UNIT,
			}),
			100 * UNIT,
			"long con",
		);
		push(
			name,
			"works honestly to a Skilled record, then submits a leaked copy of the best miner's solution to each big task",
			p,
			Some(BEST_MINER),
		);
	}

	let mut p = Population::honest();
	p.add(
		miner(MinerStrategy::Precompute { skill: 65, innovation: 50 }),
		100 * UNIT,
		"pre-computer",
	);
	push(
		"pre-computation",
		"commits a solution one block after publication, computed before it",
		p,
		None,
	);

	let mut p = Population::honest();
	let leader = p.add(
		miner(MinerStrategy::Honest { skill: 65, innovation: 50 }),
		100 * UNIT,
		"sybil split",
	);
	for _ in 0..2 {
		p.add(miner(MinerStrategy::Sybil { leader }), 100 * UNIT, "sybil split");
	}
	push(
		"one solution, three identities",
		"one honest solution submitted under three identities",
		p.clone(),
		None,
	);
	push(
		"one solution, three identities, earnings moved out",
		"the same, each identity holding nothing beyond its bonds when it commits",
		p,
		None,
	);

	let mut p = Population::honest();
	for _ in 0..4 {
		p.add(miner(MinerStrategy::Junk), 10 * UNIT, "junk crowd");
	}
	push(
		"junk crowding the slots",
		"four 10 TOS identities commit junk the moment a task opens",
		p,
		None,
	);

	let mut p = Population::honest();
	p.add(
		miner(MinerStrategy::CommitmentCopier { victim: BEST_MINER }),
		100 * UNIT,
		"commitment copier",
	);
	push(
		"copied commitment",
		"commits the best miner's commitment byte for byte, holding a slot",
		p,
		Some(BEST_MINER),
	);

	// --- emission ---
	// (from 10 000 TOS a task needs Skilled miners, whose record a wash trader's fresh
	// identities do not have: its tasks expire, burning their fee)
	for (name, reward, busy) in [
		("wash trading, 1 TOS tasks", 1, true),
		("wash trading, 100 TOS tasks", 100, true),
		("wash trading, 5 000 TOS tasks", 5_000, true),
		("wash trading, 10 000 TOS tasks", 10_000, true),
		("wash trading alone, 1 TOS tasks", 1, false),
		("wash trading alone, 5 000 TOS tasks", 5_000, false),
	] {
		let mut p = Population::honest();
		if !busy {
			// nobody else publishes: the whole emission offer is the trader's to farm
			p.0[0].kind = Kind::Publisher(PublisherStrategy::Idle);
		}
		let boss = p.add(
			Kind::Publisher(PublisherStrategy::Wash { interval: 5, reward: reward * UNIT }),
			0,
			"wash trader",
		);
		for _ in 0..3 {
			p.add(miner(MinerStrategy::Wash { boss }), 100 * UNIT, "wash trader");
		}
		for _ in 0..3 {
			// bonded for a seat on its own tasks (5 % of the reward) and certified only for the
			// type nobody else judges: the coalition earns nothing but what the wash brings
			let bond = (reward * UNIT).max(100 * UNIT);
			let v = p.add(validator(ValidatorStrategy::Wash { boss }), bond, "wash trader");
			p.0[v as usize].types = vec![TaskType::Other];
		}
		push(
			name,
			if busy {
				"a publisher, three miners and three validators, all one person, trade tasks among themselves beside the honest market, scored 100"
			} else {
				"the same wash trader in an otherwise empty market: the whole emission offer is there to farm"
			},
			p,
			None,
		);
	}

	// --- bribery (panels are drawn privately: nobody is known to sit before it commits) ---
	for (name, blind, buyers, description) in [
		(
			"bribery, blind",
			true,
			1,
			"a miner pays three validators 10 TOS each on every task it solves, before anyone can know who sits, for a lift of 10 on its scores if they do",
		),
		(
			"seat selling",
			false,
			1,
			"three validators sell their seats: one whose ticket wins shows its proof to a miner, which pays it 10 TOS for a lift of 10 on its scores",
		),
		(
			"seat selling, many buyers",
			false,
			3,
			"the same three sellers, and three miners buying: a seller lifts whichever buyer solves the task, a different miner from round to round",
		),
	] {
		let mut p = Population::honest();
		// the same skill as the honest counterpart each is compared with
		let bribers: Vec<u32> = (0..buyers)
			.map(|_| {
				p.add(
					miner(MinerStrategy::Honest { skill: 65, innovation: 50 }),
					100 * UNIT,
					"briber",
				)
			})
			.collect();
		for _ in 0..3 {
			let v = p.add(
				validator(ValidatorStrategy::Bribable { lift: 10, sigma: 4 }),
				500 * UNIT,
				"bribed validator",
			);
			// not one of the cheaters (what the briber pays is the briber's cost), nor honest
			p.0[v as usize].cheater = false;
		}
		let mut s = scenario(name, description, p, blocks, seed);
		s.bribery = bribers
			.into_iter()
			.map(|briber| crate::engine::Bribery { briber, fee: 10 * UNIT, blind })
			.collect();
		out.push(s);
	}

	for s in &mut out {
		s.target = target(&s.name);
		// the cheaters keep what a fine could reach out of its reach
		s.lean = s.name.ends_with(", earnings moved out");
	}
	out
}

/// Each strategy's target (issues 16 and 17): collusion caught in 80 % of its rounds where a
/// detector can see it, copies and pre-computation in 95 %.
fn target(name: &str) -> Target {
	let name = name.trim_end_matches(", earnings moved out");
	let detection = match name {
		"whale colluder"
		| "whale split over 3 identities"
		| "colluder inside the clip band"
		| "colluder rotating partners"
		| "framing an honest miner"
		| "false verdicts on the best miner"
		| "rubber stamp 50"
		| "rubber stamp 100"
		| "rubber stamp 0"
		| "frivolous disputes"
		| "publisher's zero-scoring panel" => Some(80),
		"copy with a false fingerprint"
		| "near-duplicate, honest fingerprint"
		| "leaked copy committed first"
		| "pre-computation"
		| "one solution, three identities"
		| "junk crowding the slots" => Some(95),
		con if con.starts_with("long con") => Some(95),
		// a bias smaller than the outlier margin is, round by round, honest noise; a copied
		// commitment is refused before it is a round; wash trading breaks no rule a detector
		// sees, it just never pays
		"colluder just inside the outlier margin" | "copied commitment" => None,
		// a bribe is a transfer no rule sees, and the lift it buys is inside the margin: held
		// to the earnings target (the validators it pays are caught leaning over rounds)
		"bribery, blind" | "seat selling" | "seat selling, many buyers" => None,
		// an appeal is heard by sealed members, committed before there was a result to copy:
		// the copier has none (its target: it never cheats, and earns what honest play does);
		// on a drawn appeal panel (no sealed member revealed), a copy of a result the appeal
		// overturns is flagged and unpaid
		"appeal copier, frivolous disputes" => None,
		// panels are drawn privately: a validator that will not judge never takes the seat
		// its ticket wins, so there is no silent round to catch — the task goes to the
		// council when nobody else can sit — and the strategy is bounded by what it earns
		"publisher's silent panel" => None,
		wash if wash.starts_with("wash trading") => None,
		other => panic!("no target for the scenario {other:?}"),
	};
	let victim_not_below_cheater = matches!(
		name,
		"copy with a false fingerprint"
			| "near-duplicate, honest fingerprint"
			| "leaked copy committed first"
	);
	let no_crowding_out = name == "junk crowding the slots";
	// emission that follows value: self-dealing of any size mints less than it costs
	let loses_money = name.starts_with("wash trading");
	let unplayable = name == "appeal copier, frivolous disputes";
	Target { detection, victim_not_below_cheater, no_crowding_out, loses_money, unplayable }
}
