//! The final result: reputation, the judges' pay weights, the appeal's money, and the hand-over
//! to the task pallet, which pays the escrow out.

use super::*;
use crate::consensus;
use alloc::vec::Vec;
use tos_primitives::{
	scoring::pro_rata, JudgedSolution, SolutionFate, ValidationOutcome, ValidatorResult,
};

impl<T: Config> Pallet<T> {
	/// The result is final: record reputation, hand it on, and forget the round.
	///
	/// The judges paid from the escrow are the first panel's members and the sealed members
	/// who revealed (a drawn appeal panel was paid from the losing side's bond already), each by
	/// accuracy against the final `result` × seat weight, nothing for a member with a score
	/// further than the outlier margin from the final result, a verdict the final `fates`
	/// reversed, or leaning towards one of the solvers (the fraud layer counts that round
	/// against it), or missing a honeypot. Every
	/// member's deviations from the final result go to the fraud layer's leaning detector.
	/// Returns the weight of the hand-over (the task pallet's settlement); what this function
	/// does itself is in the final deadline's benchmark, which its callers add.
	pub(crate) fn finalize(
		task_id: TaskId,
		round: RoundOf<T>,
		result: Vec<SolutionScore>,
		fates: Vec<SolutionFate>,
	) -> Weight {
		let params = Self::params();
		let (band, margin) = (params.clip_band, Self::outlier_margin(round.task_type));
		let noise = JudgingNoise::<T>::get(round.task_type);
		// the sealed members who revealed are judged and paid with the first panel
		let first = match round.appeal.as_ref() {
			Some(appeal) => &appeal.first_judges,
			None => &round.panel,
		};
		let judges: Vec<(T::AccountId, u128)> = first
			.iter()
			.cloned()
			.chain(
				Self::sealed(task_id)
					.into_iter()
					.filter(|(v, _)| ScoreReveals::<T>::contains_key(task_id, v)),
			)
			.collect();
		let seats = Self::seat_weights(&judges);
		let mut validators = Vec::new();
		// every judge's record against the *final* result: a member outvoted by a captured
		// first panel and vindicated by the appeal is neither flagged nor unpaid
		let note = |validator: &T::AccountId, given: &JudgementsOf<T>| {
			let accuracy = consensus::accuracy(given, &result, &round.honeypots, band);
			// leaning towards a solver (asked before this round is noted), or a verdict the
			// final fates reversed, counts as an outlier
			let outlier = Self::flagged(validator, given, &result, &fates, &round, margin, noise);
			T::Ledger::record(
				validator,
				round.task_type,
				OutcomeScores::only(ReputationDimension::ValidationAccuracy, accuracy),
				round.reward.unique_saturated_into(),
			);
			let deviations: Vec<(T::AccountId, i16)> = round
				.solvers
				.iter()
				.zip(consensus::deviations(given, &result, &round.honeypots))
				.filter_map(|(miner, d)| d.map(|d| (miner.clone(), d)))
				.collect();
			T::Fraud::note_judged(task_id, validator, outlier, &deviations);
			if outlier {
				Self::deposit_event(Event::ValidatorFlagged {
					task_id,
					validator: validator.clone(),
				});
			}
			(accuracy, outlier)
		};
		for ((validator, _), seat) in judges.iter().zip(seats) {
			let Some(given) = ScoreReveals::<T>::get(task_id, validator) else { continue };
			let (accuracy, outlier) = note(validator, &given);
			// no pay for a member with a score further than the outlier margin (at most the
			// clip band) from the final result, leaning towards a solver, or who missed a
			// honeypot
			let pay_weight = if outlier || round.unpaid.contains(validator) {
				0
			} else {
				u128::from(accuracy.get()).saturating_mul(seat)
			};
			validators.push(ValidatorResult { validator: validator.clone(), accuracy, pay_weight });
		}
		if round.appeal.is_some() {
			for (member, _) in round.panel.iter() {
				if let Some(given) = ScoreReveals::<T>::get(task_id, member) {
					note(member, &given);
				}
			}
		}
		let solutions: Vec<JudgedSolution<T::AccountId>> = round
			.solvers
			.iter()
			.zip(result.iter())
			.zip(fates.iter())
			.map(|((miner, score), fate)| JudgedSolution {
				miner: miner.clone(),
				score: if matches!(fate, SolutionFate::Judged { .. }) {
					*score
				} else {
					Default::default()
				},
				fate: *fate,
			})
			.collect();
		for solution in solutions.iter() {
			match solution.fate {
				SolutionFate::Judged { .. } => T::Ledger::record(
					&solution.miner,
					round.task_type,
					OutcomeScores::only(ReputationDimension::Quality, solution.score.quality)
						.with(ReputationDimension::Innovation, solution.score.innovation),
					round.reward.unique_saturated_into(),
				),
				SolutionFate::FalseFingerprint => Self::deposit_event(Event::FingerprintRejected {
					task_id,
					miner: solution.miner.clone(),
				}),
				SolutionFate::Honeypot => {},
			}
		}
		Self::announce_groups(task_id, &solutions);
		let outcome = ValidationOutcome { solutions, validators, judged: true };
		Self::close(task_id, &round, result);
		T::Tasks::judged(task_id, &outcome);
		// the fraud layer's notes are in the final deadline's benchmark, which callers add
		T::Tasks::judged_weight(outcome.solutions.len() as u32, outcome.validators.len() as u32)
	}

	/// Nobody could judge (no panel, and the council let its deadline pass): the task is
	/// settled unjudged.
	pub(crate) fn finalize_unjudged(task_id: TaskId, round: RoundOf<T>) -> Weight {
		let solutions: Vec<JudgedSolution<T::AccountId>> = round
			.solvers
			.iter()
			.enumerate()
			.map(|(i, miner)| JudgedSolution {
				miner: miner.clone(),
				score: Default::default(),
				// the chain's own filter's groups of copies: they share as one
				fate: SolutionFate::Judged {
					group: round.groups.get(i).copied().unwrap_or(i as u32),
				},
			})
			.collect();
		let n = solutions.len();
		let outcome = ValidationOutcome { solutions, validators: Vec::new(), judged: false };
		Self::close(task_id, &round, alloc::vec![SolutionScore::default(); n]);
		T::Tasks::judged(task_id, &outcome);
		T::Tasks::judged_weight(n as u32, 0)
	}

	/// Announces each group of copies of more than one solution.
	fn announce_groups(task_id: TaskId, solutions: &[JudgedSolution<T::AccountId>]) {
		let group_of = |s: &JudgedSolution<T::AccountId>| match s.fate {
			SolutionFate::Judged { group } => Some(group),
			_ => None,
		};
		for (i, solution) in solutions.iter().enumerate() {
			if group_of(solution) != Some(i as u32) {
				continue;
			}
			let miners: Vec<T::AccountId> = solutions
				.iter()
				.filter(|s| group_of(s) == Some(i as u32))
				.map(|s| s.miner.clone())
				.collect();
			if miners.len() > 1 {
				Self::deposit_event(Event::CopiesGrouped { task_id, miners });
			}
		}
	}

	/// Forgets the round: every member drawn may withdraw again (kept until now, so that a
	/// penalty could reach their bonds), commitments and reveals are cleared.
	fn close(task_id: TaskId, round: &RoundOf<T>, result: Vec<SolutionScore>) {
		for member in round.seated.iter() {
			ActivePanels::<T>::mutate_exists(member, |n| {
				*n = n.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0u32);
			});
		}
		let limit = MAX_SEATED;
		let _ = ScoreCommits::<T>::clear_prefix(task_id, limit, None);
		let _ = ScoreReveals::<T>::clear_prefix(task_id, limit, None);
		Rounds::<T>::remove(task_id);
		Draws::<T>::remove(task_id);
		Reserves::<T>::remove(task_id);
		Self::deposit_event(Event::ResultFinal { task_id, scores: result });
	}

	/// Whether the final `result` and `fates` flag `judge`, who gave `given`: a score further
	/// than `margin` from the result, a verdict the fates reversed, or leaning towards one of
	/// the round's solvers (asked before the round is noted).
	fn flagged(
		judge: &T::AccountId,
		given: &JudgementsOf<T>,
		result: &[SolutionScore],
		fates: &[SolutionFate],
		round: &RoundOf<T>,
		margin: u8,
		noise: u32,
	) -> bool {
		consensus::outside_band(given, result, &round.honeypots, margin)
			|| consensus::verdicts_reversed(given, fates)
			|| T::Fraud::leaning(judge, &round.solvers, noise)
	}

	/// An appeal `panel` (drawn, or the sealed members) found the first result `overturned`
	/// or not, and the final one is `result` and `fates`: decide the dispute and pay the panel
	/// from the losing side — the disputer's bond when the first result stood; when it was
	/// overturned, the bonds of the first panel's members whose scores lay further than twice
	/// the clip band from the final result or whose verdicts it reversed (the disputer gets
	/// its bond back). Members the final result flags are paid nothing; the others, by
	/// accuracy × seat when the result was overturned, by seat alone when it stood.
	pub(crate) fn settle_appeal(
		task_id: TaskId,
		round: &RoundOf<T>,
		panel: &[(T::AccountId, u128)],
		overturned: bool,
		result: &[SolutionScore],
		fates: &[SolutionFate],
	) {
		let Some(appeal) = round.appeal.as_ref() else { return };
		let params = Self::params();
		let (margin, noise) =
			(Self::outlier_margin(round.task_type), JudgingNoise::<T>::get(round.task_type));
		// the appeal panel's pay weights: none for a member the final result flags (a score
		// past the outlier margin, a verdict it reversed, leaning towards a solver) — one who
		// copied a provisional result the appeal overturned, without looking, is such a
		// member; for the others, when the appeal overturned the result, accuracy against it
		// × seat weight, and when it upheld it, the seat weight alone: a copy of a result that
		// stands is nearer the appeal's tally than any member who looked, and must not earn
		// more for it
		let seats = Self::seat_weights(panel);
		let members: Vec<(T::AccountId, u128)> = panel
			.iter()
			.zip(seats)
			.map(|((member, _), seat)| {
				let Some(given) = ScoreReveals::<T>::get(task_id, member) else {
					return (member.clone(), 0);
				};
				let accuracy =
					consensus::accuracy(&given, result, &round.honeypots, params.clip_band);
				let flagged = Self::flagged(member, &given, result, fates, round, margin, noise);
				let weight = if flagged || round.unpaid.contains(member) {
					0
				} else if overturned {
					u128::from(accuracy.get()).saturating_mul(seat)
				} else {
					seat
				};
				(member.clone(), weight)
			})
			.collect();
		let weights: Vec<u128> = members.iter().map(|(_, w)| *w).collect();
		let treasury = T::Treasury::get();
		if overturned {
			tos_primitives::holds::release::<_, T::Currency>(
				&HoldReason::DisputeBond.into(),
				&appeal.disputer,
				appeal.bond,
			);
			// every wrong first judge is slashed once, to the treasury, and the appeal members
			// are paid their shares of the sum from it: judges + members transfers, not judges ×
			// members (an appeal of 21 overturning ten judges: 31 transfers, not 220)
			let pot = Self::slash_wrong_judges(task_id, &appeal.first_judges, result, fates, round);
			let (shares, _) = pro_rata(pot.unique_saturated_into(), &weights);
			for ((member, _), share) in members.iter().zip(shares) {
				if share == 0 {
					continue;
				}
				// the treasury keeps its existential deposit, so this never fails in a runtime
				// whose treasury exists; if it did, the share would stay with the treasury
				let _ = <T::Currency as Mutate<T::AccountId>>::transfer(
					&treasury,
					member,
					share.unique_saturated_into(),
					Preservation::Preserve,
				);
			}
		} else {
			let bond: u128 = appeal.bond.unique_saturated_into();
			let (shares, rest) = pro_rata(bond, &weights);
			for ((member, _), share) in members.iter().zip(shares) {
				tos_primitives::holds::transfer::<_, T::Currency>(
					&HoldReason::DisputeBond.into(),
					&appeal.disputer,
					member,
					share.unique_saturated_into(),
				);
			}
			tos_primitives::holds::transfer::<_, T::Currency>(
				&HoldReason::DisputeBond.into(),
				&appeal.disputer,
				&treasury,
				rest.unique_saturated_into(),
			);
			Self::note_dispute_lost(&appeal.disputer);
		}
		Self::deposit_event(Event::AppealDecided { task_id, overturned });
	}

	/// Slashes to the treasury, once each, the first judges of an overturned result who were
	/// grossly wrong by the final one — a score further than twice the clip band from it, or a
	/// verdict it reversed (a fingerprint called false, a copy alleged, that the appeal or the
	/// council restored) — by the rules' overturn share of their bonds; returns the sum.
	pub(crate) fn slash_wrong_judges(
		task_id: TaskId,
		first_judges: &[(T::AccountId, u128)],
		result: &[SolutionScore],
		fates: &[SolutionFate],
		round: &RoundOf<T>,
	) -> BalanceOf<T> {
		let params = Self::params();
		let treasury = T::Treasury::get();
		let mut pot = BalanceOf::<T>::zero();
		for (judge, _) in first_judges.iter() {
			let wrong = ScoreReveals::<T>::get(task_id, judge).is_some_and(|given| {
				let gross = params.clip_band.saturating_mul(2);
				consensus::outside_band(&given, result, &round.honeypots, gross)
					|| consensus::verdicts_reversed(&given, fates)
			});
			if !wrong {
				continue;
			}
			let slashed =
				Self::slash(judge, params.overturn_slash * Self::bonded(judge), &treasury);
			pot.saturating_accrue(slashed);
			Self::deposit_event(Event::ValidatorPenalised {
				task_id,
				validator: judge.clone(),
				slashed,
				reason: Penalty::Overturned,
			});
		}
		pot
	}
}
