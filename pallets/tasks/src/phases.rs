//! The phase machine: each task's next deadline is queued under its block and handled in
//! `on_initialize` — the reveal window's close (forfeits, the first plagiarism filter, the
//! hand-over to validation), expiry, the clean-up after the retention period — and the
//! validation pallet's news of a task being judged ([`TaskPhases`]).

use super::*;

impl<T: Config> Pallet<T> {
	/// Queues `task_id`'s next deadline at `at`; never lost, handled in order (see
	/// `tos_primitives::deadlines`).
	pub(crate) fn schedule(at: BlockNumberFor<T>, task_id: TaskId) {
		Queue::<T>::schedule(at, task_id);
	}

	/// What a deadline of a task with `commitments` may cost at most: the heavier of its
	/// benchmarks (the reveal window's close, each bond forfeited; the clean-up, each miner's
	/// pay released), the plagiarism filter over the solutions, and the hand-over to
	/// validation (a panel drawn).
	pub(crate) fn deadline_weight(commitments: u32) -> Weight {
		let commitments = commitments.min(T::MaxSolutions::get());
		T::WeightInfo::on_deadline(commitments)
			.max(T::WeightInfo::clean_up(commitments))
			.saturating_add(T::Fraud::solutions_weight(commitments))
			.saturating_add(T::Validation::weight())
	}

	/// A task's deadline arrived: move it to its next phase.
	pub(crate) fn on_deadline(task_id: TaskId, now: BlockNumberFor<T>) {
		let Some(mut task) = Tasks::<T>::get(task_id) else { return };
		match task.status {
			TaskStatus::Open if now >= task.commit_end => {
				if task.commitments == 0 {
					Self::expire(task_id, &mut task, now);
				} else {
					task.status = TaskStatus::Reveal;
					Self::schedule(task.reveal_end, task_id);
					Self::deposit_event(Event::RevealStarted {
						task_id,
						commitments: task.commitments,
					});
				}
			},
			TaskStatus::Reveal if now >= task.reveal_end => {
				Self::close_reveals(task_id, &mut task, now)
			},
			TaskStatus::Expired { at } | TaskStatus::Settled { at }
				if now >= at.saturating_add(Self::params().retention) =>
			{
				Self::clean_up(task_id, &task);
				return;
			},
			_ => return,
		}
		Tasks::<T>::insert(task_id, task);
	}

	/// The reveal window closed: forfeit the bonds of unrevealed and pre-computed
	/// commitments, pair the copies the first filter finds, and hand the revealed solutions
	/// to validation (or expire the task if there are none).
	pub(crate) fn close_reveals(task_id: TaskId, task: &mut TaskInfoOf<T>, now: BlockNumberFor<T>) {
		let mut solvers = Vec::new();
		let mut revealed = Vec::new();
		// at most `max_solutions` entries
		for (miner, mut commitment) in Commitments::<T>::iter_prefix(task_id) {
			T::Miners::commitment_closed(&miner);
			let forfeit = match (&commitment.solution, commitment.flagged) {
				(Some(_), true) => Some(Forfeit::PreComputation),
				(None, _) => Some(Forfeit::NotRevealed),
				(Some(solution), false) => {
					revealed.push(RevealedSolution {
						miner: miner.clone(),
						committed_at: commitment.committed_at,
						solution_hash: solution.solution_hash,
						fingerprint: solution.fingerprint,
					});
					solvers.push(miner.clone());
					None
				},
			};
			if let Some(reason) = forfeit {
				let bond = core::mem::take(&mut commitment.bond);
				Self::to_treasury(HoldReason::SubmissionBond, &miner, bond);
				Commitments::<T>::insert(task_id, &miner, commitment);
				Self::deposit_event(Event::BondForfeited {
					task_id,
					miner: miner.clone(),
					bond,
					reason,
				});
				// nothing delivered: a failed completion now; a revealed solution's completion
				// waits for its judgement (`settle`), so that revealing junk earns nothing
				T::Reputation::record(
					&miner,
					task.task_type,
					OutcomeScores::only(ReputationDimension::Completion, Score::default()),
					task.reward.saturated_into::<u128>(),
				);
			}
		}
		if solvers.is_empty() {
			Self::expire(task_id, task, now);
			return;
		}
		let copies = T::Fraud::similar_pairs(task_id, &revealed);
		task.status = TaskStatus::Validating;
		T::Validation::begin_validation(ValidationRequest {
			task_id,
			task_type: task.task_type,
			publisher: &task.publisher,
			reward: task.reward,
			solvers: &solvers,
			copies: &copies,
			panel_size: task.panel_size,
			validation_blocks: task.validation_blocks,
		});
		Self::deposit_event(Event::ValidationStarted { task_id, solutions: solvers.len() as u32 });
	}

	/// Refunds the publisher less the network fee, and schedules the clean-up.
	pub(crate) fn expire(task_id: TaskId, task: &mut TaskInfoOf<T>, now: BlockNumberFor<T>) {
		let fee = T::Rewards::network_fee(task.published_at, task.reward).min(task.reward);
		let refunded = task.reward.saturating_sub(fee);
		Self::burn(HoldReason::TaskEscrow, &task.publisher, fee);
		Self::release(HoldReason::TaskEscrow, &task.publisher, refunded);
		task.status = TaskStatus::Expired { at: now };
		Self::schedule(now.saturating_add(Self::params().retention), task_id);
		Self::deposit_event(Event::TaskExpired { task_id, refunded, fee });
	}

	/// Removes a finished task with its commitments and ratings, returning the deposit and
	/// any bond still held, and releasing the miners' vesting pay (what a fraud left of it).
	pub(crate) fn clean_up(task_id: TaskId, task: &TaskInfoOf<T>) {
		for (miner, commitment) in Commitments::<T>::drain_prefix(task_id) {
			Self::release(HoldReason::SubmissionBond, &miner, commitment.bond);
		}
		// what a fraud left of each miner's pay: releasing more than is held would fail for an
		// account a claw-back emptied (and reaped), which a release of nothing never asks
		for (miner, pay) in Unvested::<T>::drain_prefix(task_id) {
			let held = T::Currency::balance_on_hold(&HoldReason::PayVesting.into(), &miner);
			Self::release(HoldReason::PayVesting, &miner, pay.min(held));
		}
		let _ = CommitmentHashes::<T>::clear_prefix(task_id, T::MaxSolutions::get(), None);
		let _ = Ratings::<T>::clear_prefix(task_id, T::MaxSolutions::get(), None);
		Self::release(HoldReason::TaskDeposit, &task.publisher, task.deposit);
		Tasks::<T>::remove(task_id);
		Self::deposit_event(Event::TaskCleanedUp { task_id });
	}

	/// Moves a task being judged to `status` (a no-op for any other task).
	pub(crate) fn set_judging_status(task_id: TaskId, status: TaskStatus<BlockNumberFor<T>>) {
		Tasks::<T>::mutate(task_id, |task| {
			if let Some(task) = task.as_mut().filter(|t| t.is_judging()) {
				task.status = status;
			}
		});
	}
}

impl<T: Config> TaskPhases<T::AccountId> for Pallet<T> {
	fn note_provisional(task_id: TaskId) {
		Self::set_judging_status(task_id, TaskStatus::Provisional);
	}

	fn note_disputed(task_id: TaskId) {
		Self::set_judging_status(task_id, TaskStatus::Disputed);
	}

	fn judged(task_id: TaskId, outcome: &ValidationOutcome<T::AccountId>) {
		Self::settle(task_id, outcome);
	}

	fn judged_weight(solutions: u32, validators: u32) -> Weight {
		T::WeightInfo::settle(solutions, validators)
			.saturating_add(T::Rewards::weight(solutions, validators))
	}
}
