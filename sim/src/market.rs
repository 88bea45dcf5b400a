//! The market's calls, storage and events as the agents see them. The only module that knows
//! the pallets' call shapes, so a change of a call changes this file and nothing else.

use crate::world::{self, AccountId};
use frame_support::{dispatch::DispatchResult, BoundedVec};
use sp_core::H256;
use tos_primitives::{
	sortition, Fingerprint, MinerLevel, Score, SolutionScore, SpecializationSet, TaskId, TaskType,
};
use tos_runtime::{Balance, Runtime, RuntimeCall, RuntimeEvent};

use pallet_tos_fraud_flags as fraud;
use pallet_tos_miner_reputation as reputation;
use pallet_tos_rewards as rewards;
use pallet_tos_tasks as tasks;
use pallet_tos_validation_voting as validation;

/// What a publisher asks for.
#[derive(Clone, Debug)]
pub struct Terms {
	pub task_type: TaskType,
	pub reward: Balance,
	pub commit_blocks: u32,
	pub reveal_blocks: u32,
	pub validation_blocks: u32,
	pub max_solutions: u32,
	pub panel_size: u32,
	pub quality_threshold: u8,
}

/// Where a task is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
	Open,
	Reveal,
	Judging,
	Settled,
	Expired,
	/// Cleaned up, or never existed.
	Gone,
}

/// A task as agents see it.
#[derive(Clone, Debug)]
pub struct TaskView {
	pub publisher: AccountId,
	pub task_type: TaskType,
	pub reward: Balance,
	/// The bond a commitment to it puts up.
	pub submission_bond: Balance,
	pub published_at: u32,
	pub commit_end: u32,
	pub reveal_end: u32,
	pub phase: Phase,
	pub commitments: u32,
	pub max_solutions: u32,
}

/// Where a panel is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
	/// Members commit to scores.
	Commit,
	/// Members reveal them.
	Reveal,
	/// The result may be disputed.
	Provisional,
	/// Waiting for the council.
	Council,
	/// Waiting for a draw.
	Waiting,
}

/// A round of judging as agents see it.
#[derive(Clone, Debug)]
pub struct RoundView {
	/// The panel scoring now.
	pub panel: Vec<AccountId>,
	/// The solutions, in the order scores are given.
	pub solvers: Vec<AccountId>,
	pub stage: Stage,
	/// An appeal panel is scoring (not the sealed members, who hear a dispute in the
	/// provisional stage).
	pub appeal: bool,
	/// The sealed members: seated and committed with the first panel, revealing in the
	/// provisional stage.
	pub sealed: Vec<AccountId>,
	/// The provisional consensus, per solver (from the provisional stage on, an appeal's
	/// included), and each solution's provisional fate.
	pub result: Vec<SolutionScore>,
	pub fates: Vec<tos_primitives::SolutionFate>,
	/// The honeypots declared so far, by solution index, with their known scores.
	pub honeypots: Vec<(u32, SolutionScore)>,
}

/// One validator's view of one solution: its scores and its verdicts on the content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Judgement {
	pub quality: u8,
	pub innovation: u8,
	/// The revealed fingerprint is the content's.
	pub fingerprint_ok: bool,
	/// A copy of this other solution (by index).
	pub copy_of: Option<u32>,
}

impl Judgement {
	/// Scores with verdicts that find nothing.
	pub fn scores(quality: u8, innovation: u8) -> Self {
		Self { quality, innovation, fingerprint_ok: true, copy_of: None }
	}
}

/// What happened, as the report counts it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Observation {
	/// `who` was flagged (a detector's flag of fraud, or a round's flag of a validator).
	Flagged { who: AccountId, task: Option<TaskId>, kind: &'static str },
	/// `who` lost stake.
	Slashed { who: AccountId, amount: Balance },
	/// Solutions found to be copies of each other (they share one reward).
	Grouped { task: TaskId, miners: Vec<AccountId> },
	/// An appeal decided a dispute.
	Appealed { task: TaskId, overturned: bool },
	/// A task's escrow was settled: `paid` to participants, `refunded` to the publisher,
	/// `burned` (the network fee), `to_treasury` to the treasury.
	Settled {
		task: TaskId,
		paid: Balance,
		refunded: Balance,
		burned: Balance,
		to_treasury: Balance,
	},
	/// A task expired: the escrow went back less a fee.
	Expired { task: TaskId, refunded: Balance, fee: Balance },
	/// A solution was paid.
	Paid { task: TaskId, who: AccountId, amount: Balance },
	/// A full task gave `miner`'s slot to a commitment of higher priority.
	Bumped { task: TaskId, miner: AccountId },
	/// A task's final consensus: per solution, in the round's order, its quality.
	Final { task: TaskId, qualities: Vec<u8> },
}

fn task_call(call: tasks::Call<Runtime>) -> RuntimeCall {
	RuntimeCall::Tasks(call)
}

fn validation_call(call: validation::Call<Runtime>) -> RuntimeCall {
	RuntimeCall::ValidationVoting(call)
}

/// Registers `who` as a miner of every task type.
pub fn register_miner(who: &AccountId, bond: Balance) -> DispatchResult {
	world::signed(
		who,
		RuntimeCall::MinerReputation(reputation::Call::register_miner {
			specializations: SpecializationSet::from_types(&TaskType::ALL),
			bond,
		}),
	)
}

/// `who` applies to validate every task type, and governance certifies it for `types`.
pub fn become_validator(who: &AccountId, bond: Balance, types: &[TaskType]) -> DispatchResult {
	world::signed(
		who,
		validation_call(validation::Call::apply_validator {
			specializations: SpecializationSet::from_types(&TaskType::ALL),
			bond,
		}),
	)?;
	for task_type in types {
		world::root(validation_call(validation::Call::certify {
			who: who.clone(),
			specialization: *task_type,
		}))?;
	}
	Ok(())
}

/// Publishes a task; returns its id.
pub fn publish(
	who: &AccountId,
	terms: &Terms,
	content_hash: H256,
) -> Result<TaskId, sp_runtime::DispatchError> {
	let task_id = tasks::NextTaskId::<Runtime>::get();
	let spec = tasks::TaskSpec {
		task_type: terms.task_type,
		content_hash,
		uri: BoundedVec::truncate_from(b"sim://spec".to_vec()),
		reward: terms.reward,
		commit_blocks: terms.commit_blocks,
		reveal_blocks: terms.reveal_blocks,
		validation_blocks: terms.validation_blocks,
		max_solutions: terms.max_solutions,
		min_level: MinerLevel::Novice,
		panel_size: terms.panel_size,
		quality_threshold: Score::new(terms.quality_threshold).unwrap_or_default(),
	};
	world::signed(who, task_call(tasks::Call::publish_task { spec }))?;
	Ok(task_id)
}

/// A miner's commitment to a solution.
pub fn commitment(
	solution_hash: &H256,
	fingerprint: &Fingerprint,
	salt: &H256,
	who: &AccountId,
) -> H256 {
	tasks::commitment_of(solution_hash, fingerprint, salt, who)
}

/// Commits `commitment` to `task`.
pub fn commit(who: &AccountId, task: TaskId, commitment: H256) -> DispatchResult {
	world::signed(who, task_call(tasks::Call::commit_solution { task_id: task, commitment }))
}

/// Reveals a solution.
pub fn reveal(
	who: &AccountId,
	task: TaskId,
	solution_hash: H256,
	salt: H256,
	fingerprint: Fingerprint,
) -> DispatchResult {
	world::signed(
		who,
		task_call(tasks::Call::reveal_solution {
			task_id: task,
			solution_hash,
			salt,
			fingerprint,
			uri: BoundedVec::truncate_from(b"sim://solution".to_vec()),
		}),
	)
}

fn score(value: u8) -> Score {
	Score::new(value.min(100)).unwrap_or_default()
}

fn judgements_of(judgements: &[Judgement]) -> Vec<validation::Judgement> {
	judgements
		.iter()
		.map(|j| validation::Judgement {
			quality: score(j.quality),
			innovation: score(j.innovation),
			fingerprint_ok: j.fingerprint_ok,
			copy_of: j.copy_of,
		})
		.collect()
}

/// Commits to `judgements` of `task`'s solutions.
pub fn commit_scores(
	who: &AccountId,
	task: TaskId,
	judgements: &[Judgement],
	salt: H256,
) -> DispatchResult {
	let commitment = validation::score_commitment(&judgements_of(judgements), &salt, who);
	world::signed(
		who,
		validation_call(validation::Call::commit_scores { task_id: task, commitment }),
	)
}

/// The seat `pair`'s validator wins in `task`'s open private draw, if it wins one: the proof
/// it takes the seat with. What a validator's program does each time a draw opens — its VRF
/// over the draw's message, the ticket against its threshold — in private.
pub fn seat(pair: &sp_core::sr25519::Pair, task: TaskId) -> Option<sortition::SeatProof> {
	use sp_core::Pair as _;
	let draw = validation::Draws::<Runtime>::get(task)?;
	let weight = validation::Pallet::<Runtime>::weight_of(&AccountId::from(pair.public()));
	sortition::try_seat(pair, &draw.message(task), weight, draw.eligible, draw.seats)
}

/// Which draw of `task`'s panel is open: whether it is an appeal's, and its attempt.
pub fn draw_of(task: TaskId) -> Option<(bool, u8)> {
	validation::Draws::<Runtime>::get(task).map(|d| (d.appeal, d.attempt))
}

/// Takes the seat `proof` wins and commits to `judgements` of `task`'s solutions.
pub fn commit_with_seat(
	who: &AccountId,
	task: TaskId,
	judgements: &[Judgement],
	salt: H256,
	proof: sortition::SeatProof,
) -> DispatchResult {
	let commitment = validation::score_commitment(&judgements_of(judgements), &salt, who);
	world::signed(
		who,
		validation_call(validation::Call::commit_with_seat { task_id: task, commitment, proof }),
	)
}

/// `from` pays `to` `amount` (a bribe, off the market's books).
pub fn pay(from: &AccountId, to: &AccountId, amount: Balance) -> DispatchResult {
	world::signed(
		from,
		RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: to.clone().into(),
			value: amount,
		}),
	)
}

/// Reveals the judgements committed to.
pub fn reveal_scores(
	who: &AccountId,
	task: TaskId,
	judgements: &[Judgement],
	salt: H256,
) -> DispatchResult {
	world::signed(
		who,
		validation_call(validation::Call::reveal_scores {
			task_id: task,
			judgements: BoundedVec::truncate_from(judgements_of(judgements)),
			salt,
		}),
	)
}

/// The council judges a task referred to it.
pub fn council_judge(task: TaskId, judgements: &[Judgement]) -> DispatchResult {
	world::root(validation_call(validation::Call::council_judge {
		task_id: task,
		judgements: BoundedVec::truncate_from(judgements_of(judgements)),
	}))
}

/// Governance registers `who` (with `nonce`) as a honeypot provider.
pub fn add_honeypot_provider(who: &AccountId, nonce: H256) -> DispatchResult {
	world::root(validation_call(validation::Call::add_honeypot_provider {
		key: validation::honeypot_key(who, &nonce),
	}))
}

/// The salt that binds a honeypot's known scores.
pub fn honeypot_salt(quality: u8, innovation: u8, secret: &H256) -> H256 {
	validation::honeypot_salt(
		&SolutionScore { quality: score(quality), innovation: score(innovation) },
		secret,
	)
}

/// A provider declares `solver`'s solution to `task` (its own, in the simulation) a honeypot of
/// the given known quality.
pub fn declare_honeypot(
	who: &AccountId,
	task: TaskId,
	solver: &AccountId,
	nonce: H256,
	quality: u8,
	innovation: u8,
	secret: H256,
) -> DispatchResult {
	world::signed(
		who,
		validation_call(validation::Call::declare_honeypot {
			task_id: task,
			solver: solver.clone(),
			nonce,
			known: SolutionScore { quality: score(quality), innovation: score(innovation) },
			secret,
		}),
	)
}

/// The fingerprint `solver` revealed for `task`, if it revealed.
pub fn revealed_fingerprint(task: TaskId, solver: &AccountId) -> Option<Fingerprint> {
	tasks::Commitments::<Runtime>::get(task, solver).and_then(|c| c.solution).map(|s| s.fingerprint)
}

/// `reporter` reports `target` for `kind` of fraud in `task`, and the council confirms it:
/// the target gives back its pay from the task and the task's reward on top, and is punished
/// (`pallet-tos-fraud-flags`).
pub fn report(
	reporter: &AccountId,
	target: &AccountId,
	kind: tos_primitives::FraudKind,
	task: TaskId,
) -> DispatchResult {
	let report_id = fraud::NextReportId::<Runtime>::get();
	world::signed(
		reporter,
		RuntimeCall::FraudFlags(fraud::Call::report_fraud {
			target: target.clone(),
			kind,
			task_id: Some(task),
			evidence: H256::repeat_byte(0xc0),
		}),
	)?;
	world::root(RuntimeCall::FraudFlags(fraud::Call::confirm { report_id }))
}

/// Disputes `task`'s provisional result.
pub fn dispute(who: &AccountId, task: TaskId) -> DispatchResult {
	world::signed(who, validation_call(validation::Call::dispute { task_id: task }))
}

/// What `who`'s unclaimed emission points are worth now: its share of each era's pool as
/// the pool stands (the current era's is still filling, the same for everyone).
pub fn emission_value(who: &AccountId) -> Balance {
	rewards::EraPoints::<Runtime>::iter()
		.filter(|(_, account, _)| account == who)
		.map(|(era, _, points)| rewards::Pallet::<Runtime>::era_share(era, points))
		.sum()
}

/// Everything the emission has minted so far.
pub fn emitted() -> Balance {
	rewards::TotalEmitted::<Runtime>::get()
}

/// Sets the minimum solve time of `task_type` (governance).
pub fn set_min_solve_time(task_type: TaskType, blocks: u32) -> DispatchResult {
	world::root(RuntimeCall::FraudFlags(fraud::Call::set_min_solve_time { task_type, blocks }))
}

/// The minimum solve time of `task_type`, in blocks.
pub fn min_solve_time(task_type: TaskType) -> u32 {
	fraud::MinSolveTime::<Runtime>::get(task_type)
}

/// `task` as agents see it.
pub fn task(id: TaskId) -> Option<TaskView> {
	let task = tasks::Tasks::<Runtime>::get(id)?;
	let phase = match task.status {
		tasks::TaskStatus::Open => Phase::Open,
		tasks::TaskStatus::Reveal => Phase::Reveal,
		tasks::TaskStatus::Validating
		| tasks::TaskStatus::Provisional
		| tasks::TaskStatus::Disputed => Phase::Judging,
		tasks::TaskStatus::Settled { .. } => Phase::Settled,
		tasks::TaskStatus::Expired { .. } => Phase::Expired,
	};
	Some(TaskView {
		publisher: task.publisher,
		task_type: task.task_type,
		reward: task.reward,
		submission_bond: task.submission_bond,
		published_at: task.published_at,
		commit_end: task.commit_end,
		reveal_end: task.reveal_end,
		phase,
		commitments: task.commitments,
		max_solutions: task.max_solutions,
	})
}

/// Whether `who` has committed to `task`.
pub fn has_committed(who: &AccountId, task: TaskId) -> bool {
	tasks::Commitments::<Runtime>::contains_key(task, who)
}

/// Whether `who` has revealed for `task`.
pub fn has_revealed(who: &AccountId, task: TaskId) -> bool {
	tasks::Commitments::<Runtime>::get(task, who).is_some_and(|c| c.solution.is_some())
}

/// The round judging `task`, if one is.
pub fn round(task: TaskId) -> Option<RoundView> {
	let round = validation::Rounds::<Runtime>::get(task)?;
	let stage = match round.phase {
		validation::RoundPhase::Commit { .. } => Stage::Commit,
		validation::RoundPhase::Reveal { .. } => Stage::Reveal,
		validation::RoundPhase::Provisional { .. } => Stage::Provisional,
		validation::RoundPhase::Council { .. } => Stage::Council,
		validation::RoundPhase::Draw { .. } => Stage::Waiting,
	};
	Some(RoundView {
		panel: round.panel.iter().map(|(v, _)| v.clone()).collect(),
		solvers: round.solvers.to_vec(),
		stage,
		appeal: round.appeal.is_some() && stage != Stage::Provisional,
		sealed: validation::Reserves::<Runtime>::get(task)
			.map(|r| r.iter().map(|(v, _)| v.clone()).collect())
			.unwrap_or_default(),
		result: round.provisional.as_ref().map(|p| p.result.to_vec()).unwrap_or_default(),
		fates: round.provisional.map(|p| p.fates.to_vec()).unwrap_or_default(),
		honeypots: round.honeypots.to_vec(),
	})
}

/// Whether `who` has committed scores for `task` in the current panel.
pub fn has_committed_scores(who: &AccountId, task: TaskId) -> bool {
	validation::ScoreCommits::<Runtime>::contains_key(task, who)
}

/// Whether `who` has revealed scores for `task`.
pub fn has_revealed_scores(who: &AccountId, task: TaskId) -> bool {
	validation::ScoreReveals::<Runtime>::contains_key(task, who)
}

/// The observations in `events`.
pub fn observe(events: &[RuntimeEvent]) -> Vec<Observation> {
	let mut out = Vec::new();
	for event in events {
		match event {
			RuntimeEvent::FraudFlags(fraud::Event::Flagged { who, kind, task_id, .. }) => {
				let kind = match kind {
					tos_primitives::FraudKind::Plagiarism => "plagiarism",
					tos_primitives::FraudKind::Collusion => "collusion",
					tos_primitives::FraudKind::PreComputation => "pre-computation",
				};
				out.push(Observation::Flagged { who: who.clone(), task: *task_id, kind });
			},
			RuntimeEvent::FraudFlags(fraud::Event::Slashed { who, amount, .. }) => {
				out.push(Observation::Slashed { who: who.clone(), amount: *amount });
			},
			RuntimeEvent::ValidationVoting(validation::Event::ValidatorPenalised {
				task_id,
				validator,
				slashed,
				reason,
			}) => {
				out.push(Observation::Slashed { who: validator.clone(), amount: *slashed });
				let kind = match reason {
					validation::Penalty::MissedHoneypot => "honeypot",
					validation::Penalty::NoReveal => "silent",
					validation::Penalty::Overturned => "overturned",
				};
				out.push(Observation::Flagged {
					who: validator.clone(),
					task: Some(*task_id),
					kind,
				});
			},
			RuntimeEvent::ValidationVoting(validation::Event::ValidatorFlagged {
				task_id,
				validator,
			}) => {
				out.push(Observation::Flagged {
					who: validator.clone(),
					task: Some(*task_id),
					kind: "outlier",
				});
			},
			RuntimeEvent::ValidationVoting(validation::Event::FingerprintRejected {
				task_id,
				miner,
			}) => {
				out.push(Observation::Flagged {
					who: miner.clone(),
					task: Some(*task_id),
					kind: "fingerprint",
				});
			},
			RuntimeEvent::ValidationVoting(validation::Event::AppealDecided {
				task_id,
				overturned,
			}) => {
				out.push(Observation::Appealed { task: *task_id, overturned: *overturned });
			},
			RuntimeEvent::ValidationVoting(validation::Event::ResultFinal { task_id, scores }) => {
				out.push(Observation::Final {
					task: *task_id,
					qualities: scores.iter().map(|s| s.quality.get()).collect(),
				});
			},
			RuntimeEvent::Tasks(tasks::Event::CommitmentBumped { task_id, miner, .. }) => {
				out.push(Observation::Bumped { task: *task_id, miner: miner.clone() });
			},
			RuntimeEvent::ValidationVoting(validation::Event::CopiesGrouped {
				task_id,
				miners,
			}) => {
				out.push(Observation::Grouped { task: *task_id, miners: miners.clone() });
			},
			RuntimeEvent::Tasks(tasks::Event::TaskSettled {
				task_id,
				paid,
				refunded,
				burned,
				to_treasury,
				..
			}) => {
				out.push(Observation::Settled {
					task: *task_id,
					paid: *paid,
					refunded: *refunded,
					burned: *burned,
					to_treasury: *to_treasury,
				});
			},
			RuntimeEvent::Tasks(tasks::Event::RewardPaid { task_id, who, amount }) => {
				out.push(Observation::Paid { task: *task_id, who: who.clone(), amount: *amount });
			},
			RuntimeEvent::Tasks(tasks::Event::BondForfeited { task_id, miner, reason, .. }) => {
				let kind = match reason {
					tasks::Forfeit::NotRevealed => "unrevealed",
					tasks::Forfeit::PreComputation => "pre-computation",
					tasks::Forfeit::FalseFingerprint => "fingerprint",
					tasks::Forfeit::BelowMinimumQuality => "junk",
				};
				out.push(Observation::Flagged { who: miner.clone(), task: Some(*task_id), kind });
			},
			RuntimeEvent::Tasks(tasks::Event::TaskExpired { task_id, refunded, fee }) => {
				out.push(Observation::Expired { task: *task_id, refunded: *refunded, fee: *fee });
			},
			_ => {},
		}
	}
	out
}

/// Runs every AI-mining pallet's storage invariants.
pub fn check_invariants() -> Result<(), sp_runtime::TryRuntimeError> {
	tasks::Pallet::<Runtime>::do_try_state()?;
	pallet_tos_randomness::Pallet::<Runtime>::current().ok_or("no randomness")?;
	validation::Pallet::<Runtime>::do_try_state()?;
	rewards::Pallet::<Runtime>::do_try_state()?;
	fraud::Pallet::<Runtime>::do_try_state()?;
	reputation::Pallet::<Runtime>::do_try_state()?;
	Ok(())
}
