//! Runs one scenario through the runtime: registers the agents, lets each act in every block,
//! watches the events, and measures what every agent ended with.

use std::collections::{BTreeMap, BTreeSet};

use crate::{
	agents::{self, AgentSpec, Disguise, Kind, MinerStrategy, Plan, PublisherStrategy},
	content,
	market::{self, Judgement, Observation, Phase, Stage, Terms},
	rng::Rng,
	world::{self, AccountId},
};
use sp_core::H256;
use tos_primitives::{FraudKind, MinerLevel, TaskId, TaskType};
use tos_runtime::{Balance, UNIT};

/// A population and how long it plays.
#[derive(Clone, Debug)]
pub struct Scenario {
	/// The strategy it measures (the report's row).
	pub name: String,
	/// What the cheaters do, in a sentence.
	pub description: &'static str,
	/// Everyone taking part, cheaters included.
	pub agents: Vec<AgentSpec>,
	/// Blocks in which publishers publish (the run goes on until their tasks are settled).
	pub blocks: u32,
	/// The seed of every random choice.
	pub seed: u64,
	/// The terms of the tasks published.
	pub terms: Terms,
	/// An honest agent the cheaters aim at (a framed or copied miner), for the report.
	pub victim: Option<u32>,
	/// What the mechanism must achieve against the strategy.
	pub target: Target,
	/// The miners bribing the validators that take bribes, if any do (each validator is paid
	/// by at most one of them a task: the first of the task's solvers here).
	pub bribery: Vec<Bribery>,
	/// The cheating miners keep little a fine could reach: before each cheating commitment
	/// each moves what it may spend, beyond eight submission bonds and a margin, to an account
	/// of its own outside the market (counted in its return). A fine then reaches its bonds
	/// and that float only.
	pub lean: bool,
}

/// A miner paying validators to lift its scores: each [`ValidatorStrategy::Bribable`] one
/// lifts the briber's solution on a task it was paid for.
///
/// [`ValidatorStrategy::Bribable`]: crate::agents::ValidatorStrategy::Bribable
#[derive(Clone, Copy, Debug)]
pub struct Bribery {
	/// The miner paying.
	pub briber: u32,
	/// What it pays a validator for a task.
	pub fee: Balance,
	/// Blind: it pays every bribable validator on each task it solves as the draw opens,
	/// not knowing who will sit. Otherwise the validators sell their seats: one whose
	/// ticket wins shows its proof to the briber, which pays it before it commits.
	pub blind: bool,
}

impl Bribery {
	/// The briber pays validator `v` its fee; returns what it paid (nothing if it could not).
	fn pay(&self, accounts: &[AccountId], v: u32) -> Balance {
		let (from, to) = (&accounts[self.briber as usize], &accounts[v as usize]);
		if market::pay(from, to, self.fee).is_ok() {
			self.fee
		} else {
			0
		}
	}
}

/// What the mechanism must achieve against a strategy, besides what it must achieve against
/// every one (cheating returns at most half of honest play or loses against it; honest agents
/// flagged in at most 1 % of their rounds and never slashed; every escrow exact). The test
/// suite checks it on the short run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Target {
	/// The least share of cheating rounds the chain must flag (%); `None` where no rule can
	/// see the cheat (it is then bounded by what it can earn).
	pub detection: Option<u8>,
	/// The victim must end at least as well off as the cheater (a leaked copy never
	/// out-earns its author).
	pub victim_not_below_cheater: bool,
	/// No more honest commitments refused for a full task than without the cheaters.
	pub no_crowding_out: bool,
	/// The cheaters lose money outright (wash trading: emission must cost more than it mints).
	pub loses_money: bool,
	/// A strategy the rules leave no chance to play: met when its agents never cheated and
	/// earned no more than honest play (they played honestly); held to the others otherwise.
	pub unplayable: bool,
}

/// What one run measured.
#[derive(Clone, Debug, Default)]
pub struct RunResult {
	/// Each agent's gain over the run (free and held balance, emission claimed), in planck.
	pub returns: Vec<i128>,
	/// Each agent's level at the end (its score's, capped by its record's value).
	pub levels: Vec<MinerLevel>,
	/// Rounds in which a cheater cheated (a miner's dishonest commitment, a validator's
	/// dishonest reveal).
	pub cheat_rounds: u32,
	/// …and in which the chain flagged it.
	pub cheat_detected: u32,
	/// Rounds in which an honest agent took part.
	pub honest_rounds: u32,
	/// …and in which the chain flagged it.
	pub honest_flagged: u32,
	/// Of those, the honest validators' rounds (panels they revealed on)…
	pub honest_judging_rounds: u32,
	/// …and the flagged ones.
	pub honest_judging_flagged: u32,
	/// Honest agents' stake slashed, in planck.
	pub honest_slashed: Balance,
	/// Tasks whose escrow did not add up to the planck.
	pub escrow_errors: u32,
	/// Blocks after which the money in accounts was not the total issuance, or the issuance
	/// had moved by other than the emission minted less the fees burned.
	pub money_errors: u32,
	/// Tasks published, settled (paid out), and expired or refunded.
	pub published: u32,
	pub settled: u32,
	pub expired: u32,
	/// Honest commitments refused because the task was full.
	pub honest_refused_full: u32,
	/// Storage invariant failures (should be none).
	pub invariant_errors: Vec<String>,
	/// Per agent, the final consensus quality of each of its solutions judged (honeypots and
	/// excluded solutions too: what the tally said).
	pub qualities: Vec<Vec<u8>>,
	/// Tasks the council judged, disputes opened, honeypots declared.
	pub council: u32,
	pub disputes: u32,
	pub honeypots: u32,
	/// How many panels (first panels and appeals) reached their reveal window with each
	/// number of members: what the private draws seated.
	pub panel_sizes: BTreeMap<u32, u32>,
	/// What a briber paid the validators that take bribes, in planck.
	pub bribes_paid: Balance,
}

/// The honeypot provider's nonce and secret (known to governance and the provider only).
const HONEYPOT_NONCE: H256 = H256::repeat_byte(0x4e);
const HONEYPOT_SECRET: H256 = H256::repeat_byte(0x53);

/// What a validator committed to in one round.
struct Committed {
	judgements: Option<Vec<Judgement>>,
	salt: H256,
	cheated: bool,
	revealed: bool,
}

/// The simulation's side of a task: who planned what.
struct Book {
	publisher: u32,
	reward: Balance,
	plans: BTreeMap<u32, Plan>,
}

/// Runs `scenario`; with `counterfactual`, every cheater plays its honest counterpart.
pub fn run(scenario: &Scenario, counterfactual: bool) -> RunResult {
	let agents: Vec<AgentSpec> = scenario
		.agents
		.iter()
		.map(|a| {
			if counterfactual && (a.cheater || a.beneficiary) {
				a.honest_counterpart()
			} else {
				a.clone()
			}
		})
		.collect();
	let accounts: Vec<AccountId> = (0..agents.len() as u32).map(world::account).collect();
	let index_of: BTreeMap<AccountId, u32> =
		accounts.iter().cloned().enumerate().map(|(i, a)| (a, i as u32)).collect();
	// each validator's key pair: its account, and the seat key of its private draws
	let validators: Vec<(u32, sp_core::sr25519::Pair)> = (0..agents.len() as u32)
		.filter(|&i| matches!(agents[i as usize].kind, Kind::Validator(_)))
		.map(|i| (i, world::pair(i)))
		.collect();
	let mut rngs: Vec<Rng> = (0..agents.len() as u64).map(|i| Rng::new(scenario.seed, i)).collect();
	let mut result = RunResult::default();
	let mut ext = world::genesis();
	let start: Vec<Balance> = ext.execute_with(|| {
		world::start_block(1);
		// everyone joins
		for (i, agent) in agents.iter().enumerate() {
			let who = &accounts[i];
			world::fund(who, 10_000_000 * UNIT);
			match &agent.kind {
				Kind::Miner(_) => market::register_miner(who, agent.bond).expect("miners register"),
				Kind::Validator(_) => market::become_validator(who, agent.bond, &agent.types)
					.expect("validators join"),
				Kind::Honeypots(_) => {
					market::register_miner(who, agent.bond).expect("the provider mines");
					market::add_honeypot_provider(who, HONEYPOT_NONCE)
						.expect("governance registers it");
				},
				Kind::Publisher(_) => {},
			}
		}
		let start = accounts.iter().map(world::total_balance).collect();
		world::end_block();
		start
	});
	// each block runs in the externalities, then its changes are committed to the in-memory
	// trie, so the next block's state root is computed over its own changes only
	ext.commit_all().expect("in-memory backend commits");
	{
		let mut books: BTreeMap<TaskId, Book> = BTreeMap::new();
		let mut committed: BTreeMap<(TaskId, bool, u32), Committed> = BTreeMap::new();
		let mut cheats: BTreeSet<(TaskId, u32)> = BTreeSet::new();
		let mut honest_in: BTreeSet<(TaskId, u32)> = BTreeSet::new();
		let mut flagged: BTreeSet<(TaskId, u32)> = BTreeSet::new();
		let mut paid: BTreeMap<TaskId, Balance> = BTreeMap::new();
		let mut disputed: BTreeSet<TaskId> = BTreeSet::new();
		let mut council: BTreeSet<(TaskId, bool)> = BTreeSet::new();
		// the tasks each bribable validator was paid for (none in the honest counterfactual)
		let bribery: &[Bribery] = if counterfactual { &[] } else { &scenario.bribery };
		// (task, validator) → the briber that paid it
		let mut bribed: BTreeMap<(TaskId, u32), u32> = BTreeMap::new();
		// the private draws each validator has tried its ticket in: (task, appeal, attempt)
		let mut tried: BTreeSet<(TaskId, bool, u8, u32)> = BTreeSet::new();
		// the panels that reached their reveal window, and their sizes
		let mut sized: BTreeSet<(TaskId, bool)> = BTreeSet::new();
		let mut disputers: BTreeMap<TaskId, u32> = BTreeMap::new();
		// who committed to each task; the tasks each validator was flagged in; validators the
		// detector confirmed colluders, for the council to follow up
		let mut solvers_of: BTreeMap<TaskId, BTreeSet<u32>> = BTreeMap::new();
		let mut flagged_judging: BTreeMap<u32, BTreeSet<TaskId>> = BTreeMap::new();
		let mut confirmed_colluders: Vec<u32> = Vec::new();
		// copies in settled tasks, for their authors (or, an author being a cheater itself,
		// anyone honest) to report
		let mut copies: Vec<(TaskId, u32)> = Vec::new();
		// each task's solvers in the round's order, for its final result
		let mut solver_order: BTreeMap<TaskId, Vec<u32>> = BTreeMap::new();
		result.qualities = vec![Vec::new(); agents.len()];
		let limit = scenario.blocks + 600;
		// the money check's last reading: issuance, and what was emitted by then
		let mut books_of_money = ext.execute_with(|| (world::total_issuance(), market::emitted()));
		let mut n = 1;
		loop {
			n += 1;
			let publishing = n <= scenario.blocks;
			if !publishing && books.is_empty() || n > limit {
				break;
			}
			ext.execute_with(|| {
				world::start_block(n);
				// the council follows up a colluder the detector confirmed: in every round it
				// was flagged in, the miners it favoured that the council finds tied to it (the
				// simulation's council knows the truth: the colluder's partners) are reported
				// and the report confirmed — their pay from that task is clawed back and they
				// are punished as the colluder's coalition
				for colluder in std::mem::take(&mut confirmed_colluders) {
					let partners = match &agents[colluder as usize].kind {
						Kind::Validator(agents::ValidatorStrategy::Colluder {
							partners, ..
						}) => partners.clone(),
						// every briber that paid it
						Kind::Validator(agents::ValidatorStrategy::Bribable { .. }) => bribed
							.iter()
							.filter(|((_, v), _)| *v == colluder)
							.map(|(_, b)| *b)
							.collect::<BTreeSet<u32>>()
							.into_iter()
							.collect(),
						_ => continue,
					};
					let Some(reporter) = agents.iter().position(|a| !a.cheater && !a.beneficiary)
					else {
						continue;
					};
					for task in flagged_judging.remove(&colluder).unwrap_or_default() {
						let solvers = solvers_of.get(&task).cloned().unwrap_or_default();
						for partner in partners.iter().filter(|p| solvers.contains(p)) {
							let _ = market::report(
								&accounts[reporter],
								&accounts[*partner as usize],
								FraudKind::Collusion,
								task,
							);
						}
					}
				}
				// a copy's author reports it, naming the task, once the task is settled; the
				// council, on the content's evidence (the simulation's council knows who copied
				// whom), confirms it: the copier gives back its pay and the task's reward
				for (task, copier) in std::mem::take(&mut copies) {
					let honest = |i: &u32| {
						let a = &agents[*i as usize];
						!a.cheater && !a.beneficiary && matches!(a.kind, Kind::Miner(_))
					};
					let Some(reporter) = copied_from(&agents[copier as usize].kind)
						.filter(honest)
						.or_else(|| (0..agents.len() as u32).find(|i| honest(i)))
					else {
						continue;
					};
					let _ = market::report(
						&accounts[reporter as usize],
						&accounts[copier as usize],
						FraudKind::Plagiarism,
						task,
					);
				}
				// publishers
				for (i, agent) in agents.iter().enumerate() {
					let (interval, terms) = match &agent.kind {
						Kind::Publisher(PublisherStrategy::Honest { interval, task_type }) => {
							(*interval, Terms { task_type: *task_type, ..scenario.terms.clone() })
						},
						// a wash trader's tasks: its own type, its three miners, its panel
						Kind::Publisher(PublisherStrategy::Wash { interval, reward }) => (
							*interval,
							Terms {
								task_type: TaskType::Other,
								reward: *reward,
								max_solutions: 3,
								panel_size: 3,
								..scenario.terms.clone()
							},
						),
						Kind::Publisher(PublisherStrategy::Prizes { interval, reward, .. }) => {
							(*interval, Terms { reward: *reward, ..scenario.terms.clone() })
						},
						_ => continue,
					};
					let due = match &agent.kind {
						Kind::Publisher(PublisherStrategy::Prizes { from, .. }) => {
							n >= *from && (n - from) % interval == 0
						},
						_ => n % interval == 0,
					};
					if !publishing || !due {
						continue;
					}
					let spec = H256(rngs[i].bytes32());
					let Ok(task) = market::publish(&accounts[i], &terms, spec) else { continue };
					result.published += 1;
					let plans = plan(&agents, &mut rngs, n, result.published, &terms, i as u32);
					books.insert(task, Book { publisher: i as u32, reward: terms.reward, plans });
				}
				// miners
				for (&task, book) in books.iter() {
					let Some(view) = market::task(task) else { continue };
					for (&miner, plan) in book.plans.iter() {
						let who = &accounts[miner as usize];
						if view.phase == Phase::Open
							&& plan.commit_at == n
							&& !market::has_committed(who, task)
						{
							let s = &plan.solution;
							let commitment = plan.commitment.unwrap_or_else(|| {
								market::commitment(&s.hash, &s.fingerprint, &s.salt, who)
							});
							if scenario.lean && plan.cheat && agents[miner as usize].cheater {
								// the submission bonds of as many commitments as may be open
								// at once, and a margin
								let keep = 8 * view.submission_bond + 10 * UNIT;
								let spare = world::spendable(who).saturating_sub(keep);
								let _ = market::pay(who, &stash(miner), spare);
							}
							let outcome = market::commit(who, task, commitment);
							if outcome.is_ok() {
								solvers_of.entry(task).or_default().insert(miner);
							}
							match outcome {
								Ok(()) if plan.cheat && agents[miner as usize].cheater => {
									cheats.insert((task, miner));
								},
								Ok(())
									if !agents[miner as usize].cheater
										&& !agents[miner as usize].beneficiary
										// a griefer in the world of another strategy is no
										// honest miner either
										&& !matches!(
											agents[miner as usize].kind,
											Kind::Miner(MinerStrategy::Griefer { .. })
										) =>
								{
									honest_in.insert((task, miner));
								},
								Ok(()) => {},
								Err(e) if !plan.cheat && format!("{e:?}").contains("TaskFull") => {
									result.honest_refused_full += 1
								},
								Err(_) => {},
							}
						}
						if view.phase == Phase::Reveal
							&& n >= view.commit_end + plan.reveal_delay
							&& market::has_committed(who, task)
							&& !market::has_revealed(who, task)
						{
							let s = &plan.solution;
							let _ = market::reveal(who, task, s.hash, s.salt, s.fingerprint);
						}
					}
				}
				// validators and disputers
				for (&task, book) in books.iter() {
					let Some(round) = market::round(task) else { continue };
					solver_order.entry(task).or_insert_with(|| {
						round
							.solvers
							.iter()
							.map(|s| index_of.get(s).copied().unwrap_or(u32::MAX))
							.collect()
					});
					let truth: Vec<agents::Seen> = round
						.solvers
						.iter()
						.map(|s| {
							let agent = index_of.get(s).copied();
							let plan = agent.and_then(|i| book.plans.get(&i));
							agents::Seen {
								agent,
								truth: plan
									.map(|p| (p.solution.quality, p.solution.innovation))
									.unwrap_or((50, 50)),
								content: plan
									.map(|p| p.solution.content_fingerprint)
									.unwrap_or_default(),
								declared: market::revealed_fingerprint(task, s),
							}
						})
						.collect();
					// the council judges what no panel could, honestly
					if round.stage == Stage::Council && !council.contains(&(task, round.appeal)) {
						council.insert((task, round.appeal));
						let judgements: Vec<Judgement> = (0..truth.len())
							.map(|i| {
								let (fingerprint_ok, copy_of) = agents::verdicts(&truth, i);
								Judgement {
									fingerprint_ok,
									copy_of,
									..Judgement::scores(truth[i].truth.0, truth[i].truth.1)
								}
							})
							.collect();
						let _ = market::council_judge(task, &judgements);
						result.council += 1;
						continue;
					}
					// the honeypot provider declares its honeypot once the panel has committed
					if round.stage == Stage::Reveal {
						for (i, solver) in round.solvers.iter().enumerate() {
							let Some(&h) = index_of.get(solver) else { continue };
							if !matches!(agents[h as usize].kind, Kind::Honeypots(_)) {
								continue;
							}
							let (q, inn) = truth[i].truth;
							if market::declare_honeypot(
								solver,
								task,
								solver,
								HONEYPOT_NONCE,
								q,
								inn,
								HONEYPOT_SECRET,
							)
							.is_ok()
							{
								result.honeypots += 1;
							}
						}
					}
					// the briber, on a task it solves: blind, it pays every validator that takes
					// bribes as the draw opens
					let briber_solves = bribery
						.iter()
						.find(|b| round.solvers.contains(&accounts[b.briber as usize]));
					if let Some(b) =
						briber_solves.filter(|b| b.blind && round.stage == Stage::Commit)
					{
						for (v, _) in validators.iter() {
							if agents[*v as usize].bribable() && !bribed.contains_key(&(task, *v)) {
								bribed.insert((task, *v), b.briber);
								result.bribes_paid += b.pay(&accounts, *v);
							}
						}
					}
					// what an appeal panel reviews: the provisional result
					let reviewing = round.appeal.then_some(&round);
					// a private draw: each validator evaluates its ticket once, in private, and
					// takes the seat it wins with its commitment (one who would not judge the
					// task does not take it)
					if round.stage == Stage::Commit {
						if let Some((appeal, attempt)) = market::draw_of(task) {
							for (v, pair) in validators.iter() {
								let key = (task, round.appeal, *v);
								if committed.contains_key(&key)
									|| !tried.insert((task, appeal, attempt, *v))
								{
									continue;
								}
								let Some(proof) = market::seat(pair, task) else { continue };
								let Kind::Validator(strategy) = &agents[*v as usize].kind else {
									continue;
								};
								// selling its seat: it shows the briber its winning proof and is
								// paid before it commits
								if let Some(b) = briber_solves.filter(|b| !b.blind) {
									if agents[*v as usize].bribable()
										&& !bribed.contains_key(&(task, *v))
									{
										bribed.insert((task, *v), b.briber);
										result.bribes_paid += b.pay(&accounts, *v);
									}
								}
								let strategy = bought(strategy, bribed.get(&(task, *v)).copied());
								let rng = &mut rngs[*v as usize];
								let (judgements, cheated) = agents::judge(
									rng,
									&strategy,
									book.publisher,
									&truth,
									reviewing,
								);
								let salt = H256(rng.bytes32());
								let Some(j) = judgements else { continue };
								let who = &accounts[*v as usize];
								if market::commit_with_seat(who, task, &j, salt, proof).is_ok() {
									committed.insert(
										key,
										Committed {
											judgements: Some(j),
											salt,
											cheated,
											revealed: false,
										},
									);
								}
							}
						}
					}
					if round.stage == Stage::Reveal && sized.insert((task, round.appeal)) {
						*result.panel_sizes.entry(round.panel.len() as u32).or_default() += 1;
					}
					// who reveals now: the panel in its reveal window, the sealed members (who
					// committed with the first panel) once its result is provisional
					let revealing: Vec<(&AccountId, bool)> = match round.stage {
						Stage::Provisional => round.sealed.iter().map(|m| (m, false)).collect(),
						_ => round.panel.iter().map(|m| (m, round.appeal)).collect(),
					};
					for (member, appeal) in revealing {
						let Some(&v) = index_of.get(member) else { continue };
						let Kind::Validator(strategy) = &agents[v as usize].kind else { continue };
						let key = (task, appeal, v);
						match round.stage {
							Stage::Commit if !committed.contains_key(&key) => {
								let strategy = bought(strategy, bribed.get(&(task, v)).copied());
								let (judgements, cheated) = agents::judge(
									&mut rngs[v as usize],
									&strategy,
									book.publisher,
									&truth,
									reviewing,
								);
								let salt = H256(rngs[v as usize].bytes32());
								if let Some(j) = &judgements {
									let _ = market::commit_scores(member, task, j, salt);
								}
								committed.insert(
									key,
									Committed { judgements, salt, cheated, revealed: false },
								);
							},
							Stage::Reveal | Stage::Provisional => {
								if let Some(c) = committed.get_mut(&key).filter(|c| !c.revealed) {
									c.revealed = true;
									if let Some(j) = &c.judgements {
										if market::reveal_scores(member, task, j, c.salt).is_ok() {
											if c.cheated && agents[v as usize].cheater {
												cheats.insert((task, v));
											} else if !agents[v as usize].cheater
												&& !agents[v as usize].bribable()
											{
												honest_in.insert((task, v));
											}
										}
									} else if c.cheated {
										cheats.insert((task, v));
									}
								}
							},
							_ => {},
						}
					}
					if round.stage == Stage::Provisional
						&& !round.appeal && !disputed.contains(&task)
					{
						for (i, solver) in round.solvers.iter().enumerate() {
							let Some(&m) = index_of.get(solver) else { continue };
							// a griefer disputes everything; an honest miner disputes a result
							// that underrates it badly, or excludes its honest solution as one
							// whose fingerprint is false
							let griefer = matches!(
								agents[m as usize].kind,
								Kind::Miner(MinerStrategy::Griefer { .. })
							);
							let honest_miner = matches!(
								agents[m as usize].kind,
								Kind::Miner(MinerStrategy::Honest { .. })
							);
							let (quality, _) = truth[i].truth;
							let given = round.result.get(i).map_or(0, |r| r.quality.get());
							let excluded = round.fates.get(i)
								== Some(&tos_primitives::SolutionFate::FalseFingerprint);
							let wronged = honest_miner
								&& (excluded
									|| given < quality.saturating_sub(25)
										&& quality >= scenario.terms.quality_threshold);
							if (griefer || wronged) && market::dispute(solver, task).is_ok() {
								disputed.insert(task);
								result.disputes += 1;
								if griefer && agents[m as usize].cheater {
									cheats.insert((task, m));
									disputers.insert(task, m);
								}
								break;
							}
						}
						// an honest publisher disputes a result far from what the solutions are
						// worth (it pays for the allocation, and gets its bond back if right)
						let publisher = &accounts[book.publisher as usize];
						let honest_publisher = !agents[book.publisher as usize].cheater;
						let off = truth.iter().zip(round.result.iter()).any(|(seen, given)| {
							seen.agent.is_some_and(|a| {
								!matches!(agents[a as usize].kind, Kind::Honeypots(_))
							}) && seen.truth.0.abs_diff(given.quality.get()) > 25
						});
						if honest_publisher
							&& off && !disputed.contains(&task)
							&& market::dispute(publisher, task).is_ok()
						{
							disputed.insert(task);
							result.disputes += 1;
						}
					}
				}
				world::end_block();
				// money, counted independently of settlement's own figures: every account's
				// balance adds up to the issuance, and the issuance moved by the emission
				// minted less the fees burned
				let burned: Balance = world::events()
					.iter()
					.map(|e| match e {
						tos_runtime::RuntimeEvent::Tasks(
							pallet_tos_tasks::Event::TaskSettled { burned, .. },
						) => *burned,
						tos_runtime::RuntimeEvent::Tasks(
							pallet_tos_tasks::Event::TaskExpired { fee, .. },
						) => *fee,
						_ => 0,
					})
					.sum();
				let (issuance, emitted) = (world::total_issuance(), market::emitted());
				let (before, emitted_before) = books_of_money;
				if world::money_in_accounts() != issuance
					|| issuance + burned != before + (emitted - emitted_before)
				{
					result.money_errors += 1;
				}
				books_of_money = (issuance, emitted);
				let observations = market::observe(&world::events());
				if std::env::var("SIM_DEBUG").is_ok() {
					for o in observations.iter() {
						match o {
							Observation::Flagged { who, task, kind } => {
								let i = index_of.get(who).copied();
								eprintln!(
									"block {n}: flagged {i:?} ({}) in {task:?}: {kind}",
									i.map_or("?", |i| agents[i as usize].group)
								);
							},
							Observation::Slashed { who, amount } => {
								let i = index_of.get(who).copied();
								eprintln!(
									"block {n}: slashed {i:?} ({}) {}",
									i.map_or("?", |i| agents[i as usize].group),
									amount / UNIT
								);
							},
							Observation::Appealed { task, overturned } => {
								eprintln!("block {n}: appeal on {task}: overturned {overturned}");
							},
							_ => {},
						}
					}
				}
				for observation in observations.iter() {
					if let Observation::Paid { task, amount, .. } = observation {
						*paid.entry(*task).or_default() += amount;
					}
				}
				for observation in observations {
					match observation {
						Observation::Flagged { who, task: Some(task), kind } => {
							if let Some(&i) = index_of.get(&who) {
								flagged.insert((task, i));
								if matches!(agents[i as usize].kind, Kind::Validator(_)) {
									if kind == "collusion" {
										confirmed_colluders.push(i);
									} else {
										flagged_judging.entry(i).or_default().insert(task);
									}
								}
							}
						},
						Observation::Flagged { .. } => {},
						Observation::Appealed { task, overturned } => {
							// a griefer's dispute the appeal upheld the result against: caught
							if let Some(&griefer) = disputers.get(&task) {
								if !overturned {
									flagged.insert((task, griefer));
								}
							}
						},
						Observation::Grouped { task, miners } => {
							let members: Vec<u32> =
								miners.iter().filter_map(|m| index_of.get(m).copied()).collect();
							let cheating = |i: &u32| {
								agents[*i as usize].cheater || agents[*i as usize].beneficiary
							};
							for i in members.iter() {
								// a cheater's copy grouped is caught; honest work grouped with
								// nothing but honest work is a false flag
								if cheating(i) || members.iter().all(|o| !cheating(o)) {
									flagged.insert((task, *i));
								}
							}
						},
						Observation::Slashed { who, amount } => {
							if let Some(&i) = index_of.get(&who) {
								let agent = &agents[i as usize];
								if !agent.cheater && !agent.beneficiary && !agent.bribable() {
									result.honest_slashed += amount;
								}
							}
						},
						Observation::Paid { .. } => {},
						Observation::Final { task, qualities } => {
							let order = solver_order.remove(&task).unwrap_or_default();
							for (agent, quality) in order.into_iter().zip(qualities) {
								if let Some(q) = result.qualities.get_mut(agent as usize) {
									q.push(quality);
								}
							}
						},
						// a cheating commitment that lost its slot before it was revealed
						// cheated nobody: not a round to catch
						Observation::Bumped { task, miner } => {
							if let Some(&i) = index_of.get(&miner) {
								cheats.remove(&(task, i));
							}
						},
						Observation::Settled { task, refunded, burned, to_treasury, .. } => {
							result.settled += 1;
							copies.extend(
								cheats
									.range((task, 0)..=(task, u32::MAX))
									.filter(|&&(_, i)| {
										copied_from(&agents[i as usize].kind).is_some()
									})
									.copied(),
							);
							let reward = books.get(&task).map(|b| b.reward).unwrap_or_default();
							let total = paid.get(&task).copied().unwrap_or_default()
								+ refunded + burned + to_treasury;
							if total != reward {
								result.escrow_errors += 1;
							}
						},
						Observation::Expired { task, refunded, fee } => {
							result.expired += 1;
							let reward = books.get(&task).map(|b| b.reward).unwrap_or_default();
							if refunded + fee != reward {
								result.escrow_errors += 1;
							}
						},
					}
				}
				if n % 50 == 0 {
					if let Err(e) = market::check_invariants() {
						result.invariant_errors.push(format!("block {n}: {e:?}"));
					}
				}
				books.retain(|task, _| {
					market::task(*task).is_some_and(|t| {
						matches!(t.phase, Phase::Open | Phase::Reveal | Phase::Judging)
					})
				});
			});
			ext.commit_all().expect("in-memory backend commits");
		}
		ext.execute_with(|| {
			if std::env::var("SIM_DEBUG").is_ok() {
				for (i, who) in accounts.iter().enumerate() {
					let r = tos_runtime::MinerReputation::reputation_of(who);
					eprintln!(
						"agent {i} ({}): score {:?} record {} dims {:?}",
						agents[i].group, r.score, r.record, r.dimensions
					);
				}
			}
			// emission: what each account's points are worth now (its eras' pools as they stand)
			let emission: Vec<Balance> = accounts.iter().map(market::emission_value).collect();

			result.returns = accounts
				.iter()
				.zip(start.iter())
				.zip(emission.iter())
				.enumerate()
				.map(|(i, ((who, start), emission))| {
					let stashed = world::total_balance(&stash(i as u32));
					(world::total_balance(who) + stashed + emission) as i128 - *start as i128
				})
				.collect();
			result.levels = accounts.iter().map(tos_runtime::MinerReputation::level_of).collect();
			if std::env::var("SIM_DEBUG").is_ok() {
				for (i, r) in result.returns.iter().enumerate() {
					eprintln!("agent {i} ({}): return {}", agents[i].group, r / UNIT as i128);
				}
			}
			result.cheat_rounds = cheats.len() as u32;
			result.cheat_detected = cheats.iter().filter(|c| flagged.contains(c)).count() as u32;
			result.honest_rounds = honest_in.len() as u32;
			result.honest_flagged = honest_in.iter().filter(|c| flagged.contains(c)).count() as u32;
			let judging: Vec<&(TaskId, u32)> = honest_in
				.iter()
				.filter(|(_, i)| matches!(agents[*i as usize].kind, Kind::Validator(_)))
				.collect();
			result.honest_judging_rounds = judging.len() as u32;
			result.honest_judging_flagged =
				judging.iter().filter(|c| flagged.contains(c)).count() as u32;
		});
	}
	result
}

/// Whose solution a cheating miner of this kind submits a copy of, if it copies.
fn copied_from(kind: &Kind) -> Option<u32> {
	match kind {
		Kind::Miner(
			MinerStrategy::Copier { victim, .. }
			| MinerStrategy::LongCon { victim, .. }
			| MinerStrategy::Sybil { leader: victim },
		) => Some(*victim),
		_ => None,
	}
}

/// Where a lean cheater `i` keeps its money, out of the market's reach.
fn stash(i: u32) -> AccountId {
	world::account(1_000_000 + i)
}

/// Every miner's plan for a task published in block `now` by `publisher`.
fn plan(
	agents: &[AgentSpec],
	rngs: &mut [Rng],
	now: u32,
	ordinal: u32,
	terms: &Terms,
	publisher: u32,
) -> BTreeMap<u32, Plan> {
	let min_solve = market::min_solve_time(terms.task_type);
	// a long con cheats on a task worth its wait, and works honestly on every other
	let conning = |prize: &Balance| terms.reward >= *prize;
	let mut plans = BTreeMap::new();
	let honest_commit = |rng: &mut Rng| now + min_solve + rng.range(1, 4) as u32;
	// a wash trader's task is its own identities' alone (nobody else's solution would be paid
	// from its escrow): the most an outsider-free wash can mint
	let wash =
		matches!(agents[publisher as usize].kind, Kind::Publisher(PublisherStrategy::Wash { .. }));
	let washer = |kind: &Kind| matches!(kind, Kind::Miner(MinerStrategy::Wash { boss }) if *boss == publisher);
	// the miners who work for themselves first; copiers and sybils need their victims' plans
	for (i, agent) in agents.iter().enumerate() {
		if wash != washer(&agent.kind) {
			continue;
		}
		if let Kind::Honeypots(provider) = &agent.kind {
			let rng = &mut rngs[i];
			if !rng.chance(provider.percent) {
				continue;
			}
			// junk or a reference solution, of a quality the provider knows
			let mut solution =
				if rng.chance(50) { agents::junk(rng) } else { agents::work(rng, 90, 60) };
			solution.salt =
				market::honeypot_salt(solution.quality, solution.innovation, &HONEYPOT_SECRET);
			let commit_at = honest_commit(rng);
			plans.insert(
				i as u32,
				Plan { commit_at, solution, reveal_delay: 0, cheat: false, commitment: None },
			);
			continue;
		}
		let Kind::Miner(strategy) = &agent.kind else { continue };
		let rng = &mut rngs[i];
		let plan = match strategy {
			MinerStrategy::LongCon { prize, .. } if conning(prize) => continue,
			MinerStrategy::Honest { skill, innovation }
			| MinerStrategy::Griefer { skill, innovation }
			| MinerStrategy::LongCon { skill, innovation, .. } => {
				if !rng.chance(70) {
					continue;
				}
				let solution = agents::work(rng, *skill, *innovation);
				Plan {
					commit_at: honest_commit(rng),
					solution,
					reveal_delay: rng.range(0, 2) as u32,
					cheat: false,
					commitment: None,
				}
			},
			MinerStrategy::Junk => Plan {
				commit_at: now + 1,
				solution: agents::junk(rng),
				reveal_delay: 0,
				cheat: true,
				commitment: None,
			},
			MinerStrategy::Precompute { skill, innovation } => {
				let solution = agents::work(rng, *skill, *innovation);
				Plan {
					commit_at: now + 1,
					solution,
					reveal_delay: 0,
					cheat: true,
					commitment: None,
				}
			},
			MinerStrategy::Partner => {
				let solution = agents::work(rng, 20, 20);
				Plan {
					commit_at: honest_commit(rng),
					solution,
					reveal_delay: 0,
					cheat: true,
					commitment: None,
				}
			},
			// (only ever on its boss's tasks)
			MinerStrategy::Wash { .. } if wash => Plan {
				commit_at: honest_commit(rng),
				solution: agents::work(rng, 20, 20),
				reveal_delay: 0,
				cheat: true,
				commitment: None,
			},
			MinerStrategy::RotatingPartner { slot, of } => {
				// one identity per pair of tasks, in turn
				if (ordinal / 2) % of != *slot {
					continue;
				}
				let solution = agents::work(rng, 20, 20);
				Plan {
					commit_at: honest_commit(rng),
					solution,
					reveal_delay: 0,
					cheat: true,
					commitment: None,
				}
			},
			_ => continue,
		};
		plans.insert(i as u32, plan);
	}
	for (i, agent) in agents.iter().enumerate() {
		let Kind::Miner(strategy) = &agent.kind else { continue };
		if wash {
			break;
		}
		let rng = &mut rngs[i];
		let plan = match strategy {
			MinerStrategy::Copier { victim, disguise, before } => {
				let Some(original) = plans.get(victim).cloned() else { continue };
				let solution = match disguise {
					Disguise::Exact => content::exact_copy(rng, &original.solution),
					Disguise::NearDuplicate => content::near_copy(rng, &original.solution, 9),
					Disguise::FalseFingerprint => {
						let copy = content::near_copy(rng, &original.solution, 1);
						content::with_false_fingerprint(rng, copy)
					},
				};
				let commit_at = if *before {
					original.commit_at.saturating_sub(1).max(now + 1)
				} else {
					original.commit_at + 1
				};
				Plan { commit_at, solution, reveal_delay: 0, cheat: true, commitment: None }
			},
			MinerStrategy::CommitmentCopier { victim } => {
				let Some(original) = plans.get(victim).cloned() else { continue };
				// the victim's commitment, byte for byte, a block after it appears
				let s = &original.solution;
				let commitment =
					market::commitment(&s.hash, &s.fingerprint, &s.salt, &world::account(*victim));
				let solution = original.solution.clone();
				Plan {
					commit_at: original.commit_at + 1,
					solution,
					reveal_delay: 0,
					cheat: true,
					commitment: Some(commitment),
				}
			},
			MinerStrategy::LongCon { skill, innovation, victim, prize } if conning(prize) => {
				match plans.get(victim).cloned() {
					Some(original) => Plan {
						commit_at: original.commit_at + 1,
						solution: content::near_copy(rng, &original.solution, 9),
						reveal_delay: 0,
						cheat: true,
						commitment: None,
					},
					// nothing to copy: its own work, as on any other task
					None if rng.chance(70) => Plan {
						commit_at: honest_commit(rng),
						solution: agents::work(rng, *skill, *innovation),
						reveal_delay: rng.range(0, 2) as u32,
						cheat: false,
						commitment: None,
					},
					None => continue,
				}
			},
			MinerStrategy::Sybil { leader } => {
				let Some(original) = plans.get(leader).cloned() else { continue };
				let copy = content::near_copy(rng, &original.solution, 1);
				let solution = content::with_false_fingerprint(rng, copy);
				Plan {
					commit_at: original.commit_at,
					solution,
					reveal_delay: 0,
					cheat: true,
					commitment: None,
				}
			},
			_ => continue,
		};
		plans.insert(i as u32, plan);
	}
	plans
}

/// How a validator that takes bribes judges a task: as a colluder lifting the briber that
/// paid it for the task, if one did, honestly otherwise; any other strategy as it is.
fn bought(strategy: &agents::ValidatorStrategy, paid_by: Option<u32>) -> agents::ValidatorStrategy {
	match (strategy, paid_by) {
		(agents::ValidatorStrategy::Bribable { lift, sigma }, Some(briber)) => {
			agents::ValidatorStrategy::Colluder {
				partners: vec![briber],
				boost: agents::Boost::Lift(*lift),
				sigma: *sigma,
			}
		},
		(other, _) => other.clone(),
	}
}
