//! Settlement: the judged result paid out of the escrow, exactly once — the split the rewards
//! pallet gives ([`RewardPolicy`]), the refund, the burned network fee, the treasury's rest —
//! with the bonds forfeited or returned, and the record of who was paid what
//! ([`tos_primitives::TaskPayments`], what a confirmed fraud claws back: at least the
//! task's reward).

use super::*;

impl<T: Config> Pallet<T> {
	/// How early each solver committed: the whole at the task's earliest allowed block,
	/// nothing in the commit window's last block.
	pub fn earliness_of(task_id: TaskId, task: &TaskInfoOf<T>) -> Vec<(T::AccountId, Perbill)> {
		let window = task.commit_end.saturating_sub(task.earliest_commit);
		Commitments::<T>::iter_prefix(task_id)
			.filter(|(_, c)| c.solution.is_some() && !c.flagged)
			.map(|(miner, c)| {
				let left =
					task.commit_end.saturating_sub(c.committed_at).saturating_sub(1u32.into());
				let early = Perbill::from_rational(
					left.min(window.saturating_sub(1u32.into())),
					window.saturating_sub(1u32.into()).max(1u32.into()),
				);
				(miner, early)
			})
			.collect()
	}

	/// Pays a judged task out: the split's payouts (what a payee cannot receive goes to the
	/// treasury), the refund, the rest to the treasury; forfeits the bonds of false
	/// fingerprints and of junk and returns the others; records each solution's score and
	/// reward.
	pub(crate) fn settle(task_id: TaskId, outcome: &ValidationOutcome<T::AccountId>) {
		let Some(mut task) = Tasks::<T>::get(task_id).filter(|t| t.is_judging()) else {
			frame_support::defensive!("validation only judges tasks it was handed");
			return;
		};
		let terms = SettlementTerms {
			published_at: task.published_at,
			reward: task.reward,
			quality_threshold: task.quality_threshold,
		};
		let payouts =
			T::Rewards::split_escrow(&terms, &Self::earliness_of(task_id, &task), outcome);
		let total = payouts
			.payouts
			.iter()
			.try_fold(payouts.refund, |sum, (_, amount)| sum.checked_add(amount))
			.filter(|sum| *sum <= task.reward);
		let (paid_out, refund) = match total {
			Some(_) => (payouts.payouts, payouts.refund),
			None => {
				frame_support::defensive!("the split stays within the escrow by construction");
				(Vec::new(), task.reward)
			},
		};
		let mut paid = BalanceOf::<T>::zero();
		for (who, amount) in paid_out.iter() {
			if Self::pay_from_escrow(&task.publisher, who, *amount) {
				paid.saturating_accrue(*amount);
				let miner = Commitments::<T>::mutate(task_id, who, |c| {
					c.as_mut().map(|c| c.reward.saturating_accrue(*amount)).is_some()
				});
				// a miner's pay vests until the task is cleaned up
				if miner {
					Self::vest(task_id, who, *amount);
				}
				Self::deposit_event(Event::RewardPaid {
					task_id,
					who: who.clone(),
					amount: *amount,
				});
			}
		}
		let junk = Self::params().junk_quality;
		for solution in outcome.solutions.iter() {
			let forfeit = match solution.fate {
				SolutionFate::FalseFingerprint => Some(Forfeit::FalseFingerprint),
				SolutionFate::Judged { .. } if outcome.judged && solution.score.quality < junk => {
					Some(Forfeit::BelowMinimumQuality)
				},
				_ => None,
			};
			// a completion is work the panel accepted: not junk, not a false fingerprint
			// (a honeypot is the protocol's, not a miner's record)
			if !matches!(solution.fate, SolutionFate::Honeypot) && outcome.judged {
				let completion = if forfeit.is_none() { Score::MAX } else { Score::default() };
				T::Reputation::record(
					&solution.miner,
					task.task_type,
					OutcomeScores::only(ReputationDimension::Completion, completion),
					task.reward.saturated_into::<u128>(),
				);
			}
			Commitments::<T>::mutate(task_id, &solution.miner, |c| {
				let Some(c) = c else { return };
				c.score = Some(solution.score);
				// the bond has done its job: forfeited, or back to the miner now
				let bond = core::mem::take(&mut c.bond);
				match forfeit {
					Some(reason) => {
						Self::to_treasury(HoldReason::SubmissionBond, &solution.miner, bond);
						Self::deposit_event(Event::BondForfeited {
							task_id,
							miner: solution.miner.clone(),
							bond,
							reason,
						});
					},
					None => Self::release(HoldReason::SubmissionBond, &solution.miner, bond),
				}
			});
		}
		Self::release(HoldReason::TaskEscrow, &task.publisher, refund);
		// the network fee is burned (the split leaves it unpaid, so the rest covers it) and
		// bounds the emission the task earns; rounding and what a payee could not receive go
		// to the treasury
		let rest = task.reward.saturating_sub(paid).saturating_sub(refund);
		let burned = T::Rewards::network_fee(task.published_at, task.reward).min(rest);
		Self::burn(HoldReason::TaskEscrow, &task.publisher, burned);
		let to_treasury = rest.saturating_sub(burned);
		Self::to_treasury(HoldReason::TaskEscrow, &task.publisher, to_treasury);
		T::Rewards::note_work(outcome, payouts.winners > 0, burned);
		let now = frame_system::Pallet::<T>::block_number();
		task.status = TaskStatus::Settled { at: now };
		Tasks::<T>::insert(task_id, task);
		Self::schedule(now.saturating_add(Self::params().retention), task_id);
		Self::deposit_event(Event::TaskSettled {
			task_id,
			winners: payouts.winners,
			paid,
			refunded: refund,
			burned,
			to_treasury,
		});
	}
}

impl<T: Config> Pallet<T> {
	/// Holds `amount` of `who`'s pay from `task_id` until the task is cleaned up.
	fn vest(task_id: TaskId, who: &T::AccountId, amount: BalanceOf<T>) {
		if T::Currency::hold(&HoldReason::PayVesting.into(), who, amount).is_ok() {
			Unvested::<T>::mutate(task_id, who, |pay| {
				*pay = Some(pay.unwrap_or_else(Zero::zero).saturating_add(amount))
			});
		} else {
			frame_support::defensive!("pay just received can be held");
		}
	}
}

impl<T: Config> tos_primitives::TaskPayments<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn paid(task_id: TaskId, who: &T::AccountId) -> BalanceOf<T> {
		Commitments::<T>::get(task_id, who).map_or_else(Zero::zero, |c| c.reward)
	}

	fn prize(task_id: TaskId, who: &T::AccountId) -> BalanceOf<T> {
		if !Commitments::<T>::contains_key(task_id, who) {
			return Zero::zero();
		}
		Tasks::<T>::get(task_id).map_or_else(Zero::zero, |task| task.reward)
	}

	fn take_unvested(who: &T::AccountId, amount: BalanceOf<T>, to: &T::AccountId) -> BalanceOf<T> {
		let held = T::Currency::balance_on_hold(&HoldReason::PayVesting.into(), who);
		let amount = amount.min(held);
		if amount.is_zero() {
			return amount;
		}
		T::Currency::transfer_on_hold(
			&HoldReason::PayVesting.into(),
			who,
			to,
			amount,
			Precision::BestEffort,
			Restriction::Free,
			Fortitude::Force,
		)
		.unwrap_or_else(|_| Zero::zero())
	}
}
