//! The agents and their strategies: what each does in a block, given what it can see (the
//! chain's state) and what it knows (the truth about its own work, leaks it bought).

use crate::market::{Judgement, RoundView};
use crate::{
	content::{self, Solution},
	rng::{score, Rng},
};
use tos_primitives::SolutionFate;
use tos_runtime::Balance;

/// How a colluding validator favours its partner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Boost {
	/// 100 for the partner on both axes, 0 for everyone else.
	Extreme,
	/// Inside the clip band: the partner +15 quality and 100 innovation, rivals −15 quality.
	InBand,
	/// Just inside the outlier margin: the partner +11 quality, nothing else.
	Subtle,
	/// Steering inside the margin both ways: the partner `+points` on both axes, every rival
	/// `−points` on both axes.
	Steer(u8),
	/// A bribed lift: the partner `+points` on both axes, nobody else touched.
	Lift(u8),
}

/// How a copier makes its copy look original.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disguise {
	/// The same content under a fresh solution hash, with a fingerprint far from the
	/// original's (a false fingerprint).
	FalseFingerprint,
	/// A few tokens changed (a near-duplicate), with its honest fingerprint.
	NearDuplicate,
	/// The very same solution, hash and fingerprint.
	Exact,
}

/// What a miner does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MinerStrategy {
	/// Does the work: quality around `skill`, innovation around `innovation`, committed a
	/// few blocks after the task's minimum solve time.
	Honest { skill: u8, innovation: u8 },
	/// Submits garbage the moment a task opens, to hold slots and hope for a share.
	Junk,
	/// Commits a solution computed before the task was published, one block after it.
	Precompute { skill: u8, innovation: u8 },
	/// Buys a leaked copy of `victim`'s solution and commits it, `before` the author commits
	/// or after.
	Copier { victim: u32, disguise: Disguise, before: bool },
	/// Another identity of `leader`, submitting the leader's solution again (a near
	/// duplicate under a fresh hash and a false fingerprint).
	Sybil { leader: u32 },
	/// Does junk work and relies on a colluding validator.
	Partner,
	/// A partner identity used for two tasks in every `of` pairs (identity rotation).
	RotatingPartner { slot: u32, of: u32 },
	/// Commits a copy of `victim`'s commitment, byte for byte (it can never reveal it).
	CommitmentCopier { victim: u32 },
	/// Does honest work, and disputes every result of its tasks (with a validator friend in
	/// the appeal pool).
	Griefer { skill: u8, innovation: u8 },
	/// Does nothing (an idle identity).
	Idle,
	/// One of a wash trader's identities: submits anything to its `boss`'s tasks only, to be
	/// scored 100 by the trader's own validators.
	Wash { boss: u32 },
	/// A long con: does honest work, as `Honest` does, to build a record and a level, and on
	/// a task of `prize` or more submits a leaked copy of `victim`'s solution instead (a
	/// near-duplicate under its honest fingerprint, committed a block after the author).
	LongCon { skill: u8, innovation: u8, victim: u32, prize: Balance },
}

/// What a validator does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValidatorStrategy {
	/// Looks at each solution and scores it with noise of standard deviation `sigma`.
	Honest { sigma: u8 },
	/// Never looks: the same scores for every solution.
	Constant { quality: u8, innovation: u8 },
	/// Favours the miners in `partners` (agent indices) as `boost` says; otherwise scores
	/// with noise of standard deviation `sigma`, as an honest validator does.
	Colluder { partners: Vec<u32>, boost: Boost, sigma: u8 },
	/// Over-scores `victim`, a miner it never dealt with, to get it flagged.
	Framer { victim: u32 },
	/// Scores with noise of standard deviation `sigma`, as an honest validator does, but
	/// calls `victim`'s fingerprint false: a verdict to have a rival excluded.
	FalseVerdict { victim: u32, sigma: u8 },
	/// On the tasks of the publisher `boss`: never reveals (`zero` false) or scores
	/// everything 0 (`zero` true); honest elsewhere.
	PublisherSybil { boss: u32, zero: bool },
	/// One of a wash trader's identities: on the tasks of the publisher `boss` scores every
	/// solution 100 and finds nothing wrong; honest elsewhere.
	Wash { boss: u32 },
	/// Takes bribes: scores with noise of standard deviation `sigma`, as an honest validator
	/// does, except on a task a briber paid it for, where it lifts that briber's solution by
	/// `lift` on both axes (inside the outlier margin). The engine pays and tells.
	Bribable { lift: u8, sigma: u8 },
	/// Looks, with noise of standard deviation `sigma`, on a first panel; on an appeal panel
	/// copies the provisional result it is asked to review, without looking.
	AppealCopier { sigma: u8 },
}

/// What the protocol's honeypot provider does: in `percent` of the tasks, a solution of known
/// quality — junk or a reference solution, half and half — declared once the panel has
/// committed its scores.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoneypotProvider {
	pub percent: u64,
}

/// What a publisher does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublisherStrategy {
	/// Publishes a task every `interval` blocks.
	Honest { interval: u32, task_type: tos_primitives::TaskType },
	/// Wash trading for emission: a task of `reward` every `interval` blocks, of a type only
	/// its own validators judge, solved by its own miners alone.
	Wash { interval: u32, reward: Balance },
	/// A publisher of the occasional big task: one of `reward` in block `from`, then every
	/// `interval` blocks (of the honest market's type and terms otherwise).
	Prizes { from: u32, interval: u32, reward: Balance },
	/// Publishes nothing.
	Idle,
}

/// An agent's role and strategy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
	Publisher(PublisherStrategy),
	Miner(MinerStrategy),
	Validator(ValidatorStrategy),
	/// The protocol's honeypot provider (a registered miner whose key governance holds).
	Honeypots(HoneypotProvider),
}

/// One participant.
#[derive(Clone, Debug)]
pub struct AgentSpec {
	/// Its role and strategy.
	pub kind: Kind,
	/// Its stake (miner or validator bond).
	pub bond: Balance,
	/// The task types a validator is certified for.
	pub types: Vec<tos_primitives::TaskType>,
	/// Its report group: the strategy's name, or "honest …".
	pub group: &'static str,
	/// Counted as the scenario's cheater.
	pub cheater: bool,
	/// Counted with the cheaters' coalition (a partner who benefits).
	pub beneficiary: bool,
}

impl AgentSpec {
	/// The same agent playing honestly (the counterfactual): a miner does average work, a
	/// validator looks, a sybil identity stays idle.
	/// Whether it takes bribes (neither honest nor one of the cheaters it is paid by).
	pub fn bribable(&self) -> bool {
		matches!(self.kind, Kind::Validator(ValidatorStrategy::Bribable { .. }))
	}

	pub fn honest_counterpart(&self) -> AgentSpec {
		let kind = match &self.kind {
			Kind::Miner(MinerStrategy::Sybil { .. }) | Kind::Miner(MinerStrategy::Idle) => {
				Kind::Miner(MinerStrategy::Idle)
			},
			Kind::Miner(_) => Kind::Miner(MinerStrategy::Honest { skill: 65, innovation: 50 }),
			Kind::Validator(
				ValidatorStrategy::Colluder { sigma, .. }
				| ValidatorStrategy::FalseVerdict { sigma, .. }
				| ValidatorStrategy::AppealCopier { sigma },
			) => Kind::Validator(ValidatorStrategy::Honest { sigma: *sigma }),
			Kind::Validator(_) => Kind::Validator(ValidatorStrategy::Honest { sigma: 4 }),
			// a wash trader, honest, publishes nothing
			Kind::Publisher(PublisherStrategy::Wash { .. }) => {
				Kind::Publisher(PublisherStrategy::Idle)
			},
			publisher => publisher.clone(),
		};
		AgentSpec { kind, ..self.clone() }
	}
}

/// A miner's plan for one task: what it will submit and when.
#[derive(Clone, Debug)]
pub struct Plan {
	/// The block to commit in.
	pub commit_at: u32,
	/// The solution (content, hash, fingerprint, salt and its true worth).
	pub solution: Solution,
	/// Blocks after the reveal window opens to reveal in.
	pub reveal_delay: u32,
	/// Whether the plan is a cheat (for the detection rate).
	pub cheat: bool,
	/// A commitment to send instead of the solution's own (a copied commitment).
	pub commitment: Option<sp_core::H256>,
}

/// A miner's own work on a task of `task_id` with the given skill.
pub fn work(rng: &mut Rng, skill: u8, innovation: u8) -> Solution {
	let quality = score(i64::from(skill) + rng.normal(8));
	let innovation = score(i64::from(innovation) + rng.normal(10));
	content::original(rng, quality, innovation)
}

/// Junk: near-zero quality.
pub fn junk(rng: &mut Rng) -> Solution {
	let quality = score(rng.range(0, 10));
	let innovation = score(rng.range(0, 10));
	content::original(rng, quality, innovation)
}

/// What a validator who looks sees of one solution: whose it is, its true worth, the
/// fingerprint of its content and the one its miner revealed.
#[derive(Clone, Copy, Debug)]
pub struct Seen {
	pub agent: Option<u32>,
	pub truth: (u8, u8),
	pub content: tos_primitives::Fingerprint,
	pub declared: Option<tos_primitives::Fingerprint>,
}

/// The verdicts of a validator who looks at solution `i` of `solutions`: is the revealed
/// fingerprint the content's, and which other solution, if any, has content within the
/// documented near-duplicate distance.
pub fn verdicts(solutions: &[Seen], i: usize) -> (bool, Option<u32>) {
	let me = &solutions[i];
	let fingerprint_ok = me.declared.is_none_or(|d| d == me.content);
	let near = u32::from(tos_primitives::fingerprint::NEAR_DUPLICATE_BITS);
	let copy_of = solutions
		.iter()
		.enumerate()
		.find(|(j, other)| *j != i && other.content.hamming_distance(&me.content) <= near)
		.map(|(j, _)| j as u32);
	(fingerprint_ok, copy_of)
}

/// A validator's judgement of `truth` (quality, innovation), with its noise.
pub fn honest_judgement(rng: &mut Rng, sigma: u8, truth: (u8, u8)) -> Judgement {
	let sigma = i64::from(sigma);
	Judgement::scores(
		score(i64::from(truth.0) + rng.normal(sigma)),
		score(i64::from(truth.1) + rng.normal(sigma)),
	)
}

/// What `strategy` judges for `solvers`, on a task published by `publisher` — on an appeal
/// panel, reviewing the `provisional` result. `None`: it does not reveal. The second value:
/// whether this was a cheat.
pub fn judge(
	rng: &mut Rng,
	strategy: &ValidatorStrategy,
	publisher: u32,
	solvers: &[Seen],
	provisional: Option<&RoundView>,
) -> (Option<Vec<Judgement>>, bool) {
	let honest = |rng: &mut Rng, sigma: u8| {
		solvers
			.iter()
			.enumerate()
			.map(|(i, seen)| {
				let (fingerprint_ok, copy_of) = verdicts(solvers, i);
				Judgement { fingerprint_ok, copy_of, ..honest_judgement(rng, sigma, seen.truth) }
			})
			.collect::<Vec<_>>()
	};
	match strategy {
		ValidatorStrategy::Honest { sigma } => (Some(honest(rng, *sigma)), false),
		ValidatorStrategy::AppealCopier { sigma } => match (provisional, honest(rng, *sigma)) {
			// (what looking would have given is drawn all the same, so that its noise
			// elsewhere is its honest counterpart's)
			// everything the first panel's result says, as it stands: its scores (a declared
			// honeypot's known ones), its verdicts read back from the fates
			(Some(round), _) if round.result.len() == solvers.len() => (
				Some(
					(0..solvers.len())
						.map(|i| {
							let score = round
								.honeypots
								.iter()
								.find(|(h, _)| *h as usize == i)
								.map_or(round.result[i], |(_, known)| *known);
							let fate = round.fates.get(i).copied();
							Judgement {
								fingerprint_ok: fate != Some(SolutionFate::FalseFingerprint),
								copy_of: match fate {
									Some(SolutionFate::Judged { group }) if group as usize != i => {
										Some(group)
									},
									_ => None,
								},
								..Judgement::scores(score.quality.get(), score.innovation.get())
							}
						})
						.collect(),
				),
				true,
			),
			(_, looked) => (Some(looked), false),
		},
		// unpaid, it is honest (the engine judges a paid one as a colluder lifting the briber)
		ValidatorStrategy::Bribable { sigma, .. } => (Some(honest(rng, *sigma)), false),
		ValidatorStrategy::Constant { quality, innovation } => {
			(Some(solvers.iter().map(|_| Judgement::scores(*quality, *innovation)).collect()), true)
		},
		ValidatorStrategy::Colluder { partners, boost, sigma } => {
			let mut scores = honest(rng, *sigma);
			let favoured: Vec<bool> =
				solvers.iter().map(|s| s.agent.is_some_and(|w| partners.contains(&w))).collect();
			if !favoured.contains(&true) {
				return (Some(scores), false);
			}
			for (judgement, favoured) in scores.iter_mut().zip(favoured) {
				*judgement = match (boost, favoured) {
					(Boost::Extreme, true) => {
						Judgement { quality: 100, innovation: 100, ..*judgement }
					},
					(Boost::Extreme, false) => {
						Judgement { quality: 0, innovation: 0, ..*judgement }
					},
					(Boost::InBand, true) => Judgement {
						quality: judgement.quality.saturating_add(15).min(100),
						innovation: 100,
						..*judgement
					},
					(Boost::InBand, false) => {
						Judgement { quality: judgement.quality.saturating_sub(15), ..*judgement }
					},
					(Boost::Subtle, true) => Judgement {
						quality: judgement.quality.saturating_add(11).min(100),
						..*judgement
					},
					(Boost::Subtle, false) => *judgement,
					(Boost::Steer(points), true) => Judgement {
						quality: judgement.quality.saturating_add(*points).min(100),
						innovation: judgement.innovation.saturating_add(*points).min(100),
						..*judgement
					},
					(Boost::Steer(points), false) => Judgement {
						quality: judgement.quality.saturating_sub(*points),
						innovation: judgement.innovation.saturating_sub(*points),
						..*judgement
					},
					(Boost::Lift(points), true) => Judgement {
						quality: judgement.quality.saturating_add(*points).min(100),
						innovation: judgement.innovation.saturating_add(*points).min(100),
						..*judgement
					},
					(Boost::Lift(_), false) => *judgement,
				};
			}
			(Some(scores), true)
		},
		ValidatorStrategy::FalseVerdict { victim, sigma } => {
			let mut judgements = honest(rng, *sigma);
			let mut cheated = false;
			for (judgement, seen) in judgements.iter_mut().zip(solvers) {
				if seen.agent == Some(*victim) {
					judgement.fingerprint_ok = false;
					cheated = true;
				}
			}
			(Some(judgements), cheated)
		},
		ValidatorStrategy::Framer { victim } => {
			let mut scores = honest(rng, 4);
			let mut cheated = false;
			for (judgement, seen) in scores.iter_mut().zip(solvers) {
				if seen.agent == Some(*victim) {
					*judgement = Judgement { quality: 100, innovation: 100, ..*judgement };
					cheated = true;
				}
			}
			(Some(scores), cheated)
		},
		ValidatorStrategy::Wash { boss } => {
			if publisher != *boss {
				return (Some(honest(rng, 4)), false);
			}
			(Some(solvers.iter().map(|_| Judgement::scores(100, 100)).collect()), true)
		},
		ValidatorStrategy::PublisherSybil { boss, zero } => {
			if publisher != *boss {
				return (Some(honest(rng, 4)), false);
			}
			if *zero {
				(Some(solvers.iter().map(|_| Judgement::scores(0, 0)).collect()), true)
			} else {
				(None, true)
			}
		},
	}
}
