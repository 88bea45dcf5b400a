//! A round's life: the first draw, commits and reveals, the tally, refills of a panel that did
//! not reveal, disputes and their appeal panels, the council, and honeypot declarations.
//!
//! ```text
//!              ┌────────── refill (too few revealed) ──────────┐
//!              ▼                                               │
//! begin ──▶ Commit ──▶ Reveal ──tally──▶ Provisional ──▶ final  │
//!   │          ▲                 │  │        │ dispute          │
//!   │          │                 │  └────────┼──────────────────┘
//!   │        Draw ◀──────────────┼───────────┘ (appeal panel, next block)
//!   │          │                 │ (appeal tallied) ──▶ final
//!   └──────────┴─▶ Council ──────┴──▶ final (the council's, or on its deadline the first)
//! ```

use super::*;
use crate::consensus::{self, Ballot, Rules};
use alloc::vec::Vec;
use sp_runtime::traits::Convert as _;
use tos_primitives::SolutionFate;

impl<T: Config> Pallet<T> {
	/// How many members of a panel of `size` must reveal for its tally to stand: the larger
	/// of `min_panel` and a majority, at most the panel.
	pub fn quorum(size: u32) -> u32 {
		let params = Self::params();
		size.min(params.min_panel.max(size / 2 + 1))
	}

	/// The largest first panel: its appeal (`2n + 1`) must fit [`Config::MaxPanel`].
	fn largest_first_panel() -> u32 {
		(T::MaxPanel::get().saturating_sub(1) / 2).max(1)
	}

	/// A task's reveal window closed with solutions: draw its first panel.
	pub(crate) fn begin(
		request: ValidationRequest<'_, T::AccountId, BalanceOf<T>, BlockNumberFor<T>>,
	) {
		let params = Self::params();
		let now = frame_system::Pallet::<T>::block_number();
		let n = request.solvers.len();
		let size = request.panel_size.max(params.min_panel).min(Self::largest_first_panel());
		// half the validation blocks to commit, the rest to reveal; at least one each
		let window = (request.validation_blocks / 2u32.into()).max(1u32.into());
		let mut round = Round {
			task_type: request.task_type,
			publisher: request.publisher.clone(),
			reward: request.reward,
			solvers: BoundedVec::truncate_from(request.solvers.to_vec()),
			groups: BoundedVec::truncate_from(consensus::groups(n, request.copies)),
			size,
			panel: BoundedVec::new(),
			seated: BoundedVec::new(),
			unpaid: BoundedVec::new(),
			window,
			phase: RoundPhase::Draw { at: now },
			redraws: 0,
			honeypots: BoundedVec::new(),
			provisional: None,
			appeal: None,
		};
		Self::fill(request.task_id, &mut round, now);
		Self::store(request.task_id, round);
	}

	/// Stores `round` and queues its next deadline.
	fn store(task_id: TaskId, round: RoundOf<T>) {
		let at = match round.phase {
			RoundPhase::Draw { at } => at,
			RoundPhase::Commit { until }
			| RoundPhase::Reveal { until }
			| RoundPhase::Provisional { until }
			| RoundPhase::Council { until } => until,
		};
		Self::schedule(at, task_id);
		Rounds::<T>::insert(task_id, round);
	}

	/// Draws members for the panel now judging until it has `round.size` (those who revealed
	/// stay), and opens its commit window — or refers the task to the council when the panel
	/// could not reach a quorum.
	fn fill(task_id: TaskId, round: &mut RoundOf<T>, now: BlockNumberFor<T>) {
		let appeal = round.appeal.is_some();
		let have = round.panel.len() as u32;
		let mut exclude: Vec<T::AccountId> = round.seated.to_vec();
		exclude.push(round.publisher.clone());
		exclude.extend(round.solvers.iter().cloned());
		let seed = Self::seed(task_id, appeal, round.redraws);
		let want = Self::seats_wanted(task_id, round)
			.saturating_sub(have)
			.min(T::MaxPanel::get().saturating_sub(have));
		let room = MAX_SEATED.saturating_sub(round.seated.len() as u32) as usize;
		if T::PrivateDraws::get() {
			// nobody is named: each candidate's own ticket decides, shown with its commitment
			let candidates = Self::candidates(round.task_type, round.reward, &exclude);
			if have.saturating_add(candidates.len().min(room) as u32) < Self::quorum(round.size) {
				Self::refer(task_id, round, now);
				return;
			}
			let weights = candidates.iter().map(|(_, w)| *w).collect();
			let (eligible, seats) = Self::thresholds(weights, want);
			let attempt = round.redraws;
			Draws::<T>::insert(task_id, Draw { seed: seed.0, eligible, seats, appeal, attempt });
			round.phase = RoundPhase::Commit { until: now.saturating_add(round.window) };
			Self::deposit_event(Event::DrawOpened { task_id, seats: want, appeal, attempt });
			return;
		}
		let drawn = Self::select_panel(round.task_type, round.reward, want, seed, &exclude);
		let drawn: Vec<_> = drawn.into_iter().take(room).collect();
		if have.saturating_add(drawn.len() as u32) < Self::quorum(round.size) {
			Self::refer(task_id, round, now);
			return;
		}
		for (member, weight) in drawn.iter() {
			// cannot fail: bounded by the room computed above and by `MaxPanel`
			let _ = round.seated.try_push(member.clone());
			let _ = round.panel.try_push((member.clone(), *weight));
			ActivePanels::<T>::mutate(member, |n| *n = Some(n.unwrap_or(0).saturating_add(1)));
		}
		round.phase = RoundPhase::Commit { until: now.saturating_add(round.window) };
		Self::deposit_event(Event::PanelSelected {
			task_id,
			panel: round.panel.iter().map(|(v, _)| v.clone()).collect(),
			new: drawn.into_iter().map(|(v, _)| v).collect(),
			appeal,
		});
	}

	/// A private draw's `(eligible, seats)` for candidates of `weights` when `want` seats are
	/// asked: a candidate wins with probability `seats × weight / eligible`, at most 1. Taken
	/// plainly (`eligible` the total weight, `seats = want`), a candidate heavier than
	/// `1 / want` of the total would need more than one seat and the draw would seat fewer than
	/// `want` on average (3.9 of 5 in the simulation's market). So the heaviest are made
	/// certain, one by one, while they would be: the `m` certain ones leave `want − m` seats to
	/// the rest, drawn over the rest's weight — on average exactly `want` (all of them when
	/// there are no more than `want`). A certain candidate's threshold is then at least 1
	/// (`(want − m) × its weight ≥ the rest's weight`), so it is certain under the same check
	/// as everyone's, [`tos_primitives::sortition::wins`].
	pub fn thresholds(mut weights: Vec<u128>, want: u32) -> (u128, u32) {
		weights.sort_unstable_by(|a, b| b.cmp(a));
		let mut rest = weights.iter().fold(0u128, |sum, w| sum.saturating_add(*w));
		let mut certain = 0u32;
		for w in weights.iter() {
			let seats = want.saturating_sub(certain);
			// the last seat, and the last candidate, keep a threshold over a weight that is not
			// zero (with nothing left to draw over, nobody would win)
			if seats <= 1 || *w >= rest || w.saturating_mul(seats.into()) < rest {
				break;
			}
			certain += 1;
			rest = rest.saturating_sub(*w);
		}
		(rest, want.saturating_sub(certain))
	}

	/// No panel can judge: the council has until its deadline.
	fn refer(task_id: TaskId, round: &mut RoundOf<T>, now: BlockNumberFor<T>) {
		let until = now.saturating_add(Self::params().council_blocks);
		round.phase = RoundPhase::Council { until };
		Self::deposit_event(Event::ReferredToCouncil { task_id, until });
	}

	/// A round's deadline arrived: move it on. Returns the weight used.
	pub(crate) fn on_deadline(task_id: TaskId, now: BlockNumberFor<T>) -> Weight {
		let Some(mut round) = Rounds::<T>::get(task_id) else {
			return T::WeightInfo::on_deadline_commit();
		};
		let (panel, solutions) = (round.panel.len() as u32, round.solvers.len() as u32);
		match round.phase {
			RoundPhase::Draw { at } if now >= at => {
				Self::fill(task_id, &mut round, now);
				Self::store(task_id, round);
				T::WeightInfo::on_deadline_draw(T::MaxCandidates::get())
			},
			RoundPhase::Commit { until } if now >= until => {
				// a private draw closes with its commit window; too few sat to reach a
				// quorum: those who did stay, and the rest are drawn again (or the council)
				if Draws::<T>::take(task_id).is_some()
					&& (round.panel.len() as u32) < Self::quorum(round.size)
				{
					if round.redraws < Self::params().max_redraws {
						round.redraws = round.redraws.saturating_add(1);
						Self::fill(task_id, &mut round, now);
					} else {
						Self::refer(task_id, &mut round, now);
					}
					Self::store(task_id, round);
					return T::WeightInfo::on_deadline_draw(T::MaxCandidates::get());
				}
				if Self::sealing(task_id, &round) {
					Self::seal(task_id, &mut round);
				}
				round.phase = RoundPhase::Reveal { until: now.saturating_add(round.window) };
				Self::store(task_id, round);
				T::WeightInfo::on_deadline_commit()
			},
			RoundPhase::Reveal { until } if now >= until => {
				Self::close_reveals(task_id, round, now)
			},
			RoundPhase::Provisional { until } if now >= until => {
				Self::close_provisional(task_id, round, now)
			},
			RoundPhase::Council { until } if now >= until => {
				// the council let its deadline pass: the first result stands, and a disputer who
				// could not be heard gets its bond back; with no result, the best evidence on
				// chain decides — the scores the members short of a quorum revealed — and with
				// none at all the task is unjudged (its escrow shared by the work delivered,
				// never refunded: the publisher has seen it)
				match round.provisional.clone() {
					Some(provisional) => {
						if let Some(appeal) = round.appeal.as_ref() {
							tos_primitives::holds::release::<_, T::Currency>(
								&HoldReason::DisputeBond.into(),
								&appeal.disputer,
								appeal.bond,
							);
							Self::deposit_event(Event::AppealDecided {
								task_id,
								overturned: false,
							});
						}
						Self::finalize(
							task_id,
							round,
							provisional.result.to_vec(),
							provisional.fates.to_vec(),
						)
					},
					// the final deadline's benchmark tallies a panel of that size too
					None if !round.panel.is_empty() => {
						let tally = Self::tally_panel(task_id, &round);
						Self::finalize(task_id, round, tally.result, tally.fates)
					},
					None => Self::finalize_unjudged(task_id, round),
				}
				.saturating_add(T::WeightInfo::on_deadline_final(panel, solutions))
			},
			_ => T::WeightInfo::on_deadline_commit(),
		}
	}

	/// The reveal window closed: penalise the silent, refill a panel short of its quorum, or
	/// tally — a first panel's result becomes provisional, an appeal's final.
	fn close_reveals(task_id: TaskId, mut round: RoundOf<T>, now: BlockNumberFor<T>) -> Weight {
		let params = Self::params();
		let solutions = round.solvers.len() as u32;
		let (revealed, silent) = Self::heard(task_id, &round, &round.panel);
		let silent_weight = T::WeightInfo::on_deadline_silent(silent);
		let weight = T::WeightInfo::on_deadline_reveal(revealed.len() as u32, solutions)
			.saturating_add(silent_weight);
		round.panel = BoundedVec::truncate_from(revealed);
		if (round.panel.len() as u32) < Self::quorum(round.size) {
			// scores are on chain now: a refill seats nobody sealed (a round that was revealing
			// when sealed seats were switched on has no split to mark it)
			if !Reserves::<T>::contains_key(task_id) {
				Reserves::<T>::insert(task_id, BoundedVec::new());
			}
			if round.redraws < params.max_redraws {
				round.redraws = round.redraws.saturating_add(1);
				Self::fill(task_id, &mut round, now);
			} else {
				Self::refer(task_id, &mut round, now);
			}
			Self::store(task_id, round);
			return weight.saturating_add(T::WeightInfo::on_deadline_draw(T::MaxCandidates::get()));
		}

		// each member's leanings and the type's learnt noise are read and written inside the
		// measured `on_deadline_reveal` (an appeal's close, the disputer's record included, is
		// charged the measured `on_deadline_final`, its costliest path: an overturned appeal)
		let tally = Self::tally_panel(task_id, &round);
		for (b, (member, _)) in round.panel.clone().iter().enumerate() {
			if tally.missed[b] {
				Self::penalise(task_id, member, params.honeypot_slash, Penalty::MissedHoneypot);
				if !round.unpaid.contains(member) {
					let _ = round.unpaid.try_push(member.clone());
				}
			}
		}
		if round.appeal.is_none() {
			let until = now.saturating_add(params.dispute_blocks);
			round.provisional = Some(Provisional {
				result: BoundedVec::truncate_from(tally.result.clone()),
				fates: BoundedVec::truncate_from(tally.fates),
			});
			round.phase = RoundPhase::Provisional { until };
			Self::store(task_id, round);
			T::Tasks::note_provisional(task_id);
			Self::deposit_event(Event::ProvisionalResult {
				task_id,
				scores: tally.result,
				dispute_until: until,
			});
			weight
		} else {
			// the final deadline's benchmark is this branch: an appeal of that many members
			// tallied, a first panel of the largest size overturned, the result handed over
			let members = round.panel.len() as u32;
			let first = round.provisional.as_ref();
			let overturned = Self::overturns(first, &tally.result, &tally.fates, &round);
			Self::settle_appeal(
				task_id,
				&round,
				&round.panel,
				overturned,
				&tally.result,
				&tally.fates,
			);
			silent_weight
				.saturating_add(T::WeightInfo::on_deadline_final(members, solutions))
				.saturating_add(Self::finalize(task_id, round, tally.result, tally.fates))
		}
	}

	/// The tally of what the members of `round`'s panel revealed, each by its capped seat
	/// weight; a member the fraud layer finds leaning towards one of the solvers is not heard
	/// (its record of past rounds; see `FraudOracle::leaning`).
	fn tally_panel(task_id: TaskId, round: &RoundOf<T>) -> consensus::Tally {
		Self::tally_of(task_id, round, &round.panel, true)
	}

	/// The tally of what `members` revealed for `round`, as [`Self::tally_panel`]; its noise
	/// goes into the type's estimate when `learn` (once per panel: not again when its members'
	/// reveals are tallied with others).
	fn tally_of(
		task_id: TaskId,
		round: &RoundOf<T>,
		members: &[(T::AccountId, u128)],
		learn: bool,
	) -> consensus::Tally {
		let params = Self::params();
		let reveals: Vec<JudgementsOf<T>> = members
			.iter()
			.map(|(member, _)| ScoreReveals::<T>::get(task_id, member).unwrap_or_default())
			.collect();
		let seats = Self::seat_weights(members);
		let known = JudgingNoise::<T>::get(round.task_type);
		let ballots: Vec<Ballot<'_>> = reveals
			.iter()
			.zip(seats.iter())
			.zip(members.iter())
			.map(|((judgements, weight), (member, _))| Ballot {
				weight: *weight,
				judgements,
				set_aside: T::Fraud::leaning(member, &round.solvers, known),
			})
			.collect();
		let solutions = round.solvers.len();
		let noise = if learn {
			Self::learn_noise(
				round.task_type,
				consensus::noise(&ballots, solutions, &round.honeypots),
			)
		} else {
			known
		};
		let rules =
			Rules { clip_band: params.clip_band, outlier_margin: params.outlier_margin, noise };
		consensus::tally(&ballots, solutions, &round.honeypots, &round.groups, rules)
	}

	/// Takes a tally's `noise` into the type's running estimate ([`JudgingNoise`]: the
	/// first tally's figure, then each moves it by a [`NOISE_WINDOW`]th of the difference),
	/// and returns the estimate.
	pub(crate) fn learn_noise(task_type: TaskType, noise: Option<u32>) -> u32 {
		let known = JudgingNoise::<T>::get(task_type);
		let Some(noise) = noise else { return known };
		let learnt = if known == 0 {
			noise
		} else {
			known.saturating_sub(known / NOISE_WINDOW).saturating_add(noise / NOISE_WINDOW)
		};
		JudgingNoise::<T>::insert(task_type, learnt);
		learnt
	}

	/// The outlier margin in force on `task_type` (see [`consensus::Rules::margin`]).
	pub fn outlier_margin(task_type: TaskType) -> u8 {
		let params = Self::params();
		Rules {
			clip_band: params.clip_band,
			outlier_margin: params.outlier_margin,
			noise: JudgingNoise::<T>::get(task_type),
		}
		.margin()
	}

	/// The seat weights of `panel`: its members' stake weights, capped (see [`crate::panel`]).
	pub fn seat_weights(panel: &[(T::AccountId, u128)]) -> Vec<u128> {
		let mut weights: Vec<u128> = panel.iter().map(|(_, w)| *w).collect();
		crate::panel::cap_seats(&mut weights, Self::params().max_seat_share);
		weights
	}

	pub(crate) fn do_commit_scores(
		who: T::AccountId,
		task_id: TaskId,
		commitment: H256,
	) -> DispatchResult {
		let round = Rounds::<T>::get(task_id).ok_or(Error::<T>::UnknownRound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			matches!(round.phase, RoundPhase::Commit { until } if now < until),
			Error::<T>::NotCommitPhase
		);
		ensure!(round.on_panel(&who), Error::<T>::NotOnPanel);
		ensure!(!ScoreCommits::<T>::contains_key(task_id, &who), Error::<T>::AlreadyCommitted);
		ScoreCommits::<T>::insert(task_id, &who, commitment);
		Self::deposit_event(Event::ScoresCommitted { task_id, validator: who });
		Ok(())
	}

	/// The most members the panel now judging may have: twice the seats it asked for (a
	/// private draw's size varies), at most [`Config::MaxPanel`].
	pub fn seat_limit(task_id: TaskId, round: &RoundOf<T>) -> u32 {
		Self::seats_wanted(task_id, round).saturating_mul(2).min(T::MaxPanel::get())
	}

	/// Whether the draw now open for `round` is a first draw that also seats sealed members:
	/// [`Config::SealedSeats`], no provisional result nor dispute yet, and no split made (a
	/// round refilled after a reveal window counts as split: see [`Self::close_reveals`]).
	pub(crate) fn sealing(task_id: TaskId, round: &RoundOf<T>) -> bool {
		T::SealedSeats::get()
			&& round.appeal.is_none()
			&& round.provisional.is_none()
			&& !Reserves::<T>::contains_key(task_id)
	}

	/// The seats the panel now judging asks for: its size — on a first draw with sealed seats,
	/// its size and one more sealed (`2n + 1`, an appeal's size), at most [`Config::MaxPanel`].
	pub fn seats_wanted(task_id: TaskId, round: &RoundOf<T>) -> u32 {
		let size = if Self::sealing(task_id, round) {
			round.size.saturating_mul(2).saturating_add(1)
		} else {
			round.size
		};
		size.min(T::MaxPanel::get())
	}

	/// A first draw's commit window closed with a quorum: split those who committed into the
	/// panel, which reveals now, and the sealed members ([`Reserves`]), who reveal once its
	/// result is out. Of `n` seats asked for the panel, `n + 1` are sealed; the panel keeps its
	/// `n` when fewer sat, and what is over when more did. The heaviest sit on the panel.
	fn seal(task_id: TaskId, round: &mut RoundOf<T>) {
		let sat = round.panel.len() as u32;
		let sealed = sat.saturating_sub(round.size).min(round.size.saturating_add(1));
		if sealed == 0 {
			// no more sat than the panel asked for: nobody is sealed, the panel as it sat
			Reserves::<T>::insert(task_id, BoundedVec::new());
			return;
		}
		let mut members = core::mem::take(&mut round.panel).into_inner();
		let panel = sat.saturating_sub(sealed) as usize;
		let (seed, _) = T::Randomness::random(&(b"tos/sealed", task_id).encode());
		// Fisher–Yates, each swap's index from the seed
		for i in (1..members.len()).rev() {
			let random = BlakeTwo256::hash_of(&(seed, i as u32));
			let mut bytes = [0u8; 8];
			bytes.copy_from_slice(&random.as_bytes()[..8]);
			let j = (u64::from_le_bytes(bytes) % (i as u64 + 1)) as usize;
			members.swap(i, j);
		}
		// the heaviest sit on the panel (equals in the random order): a coalition whose
		// identities are certain of a seat in every draw is spent on the panel, as it was on
		// a first panel an appeal excludes, and cannot carry the members who hear the appeal
		members.sort_by(|(_, a), (_, b)| b.cmp(a));
		let sealed = members.split_off(panel);
		round.panel = BoundedVec::truncate_from(members);
		Self::deposit_event(Event::SeatsSealed {
			task_id,
			sealed: sealed.iter().map(|(v, _)| v.clone()).collect(),
		});
		Reserves::<T>::insert(task_id, BoundedVec::truncate_from(sealed));
	}

	/// `task_id`'s sealed members.
	pub fn sealed(task_id: TaskId) -> Vec<(T::AccountId, u128)> {
		Reserves::<T>::get(task_id).map(|r| r.into_inner()).unwrap_or_default()
	}

	/// Whether `task_id`'s sealed members can hear an appeal: at least `min_panel` of them.
	pub(crate) fn sealed_can_hear(task_id: TaskId) -> bool {
		Self::sealed(task_id).len() as u32 >= Self::params().min_panel
	}

	/// The dispute window closed. Sealed members who did not reveal are penalised, those who
	/// missed a honeypot go unpaid. When a quorum of them revealed, the final result is the
	/// tally of everyone who committed blind, panel and sealed together — unless a dispute
	/// was raised and the sealed members' own tally overturns the first result (see
	/// [`Self::overturns`]): then theirs is final and the first panel's grossly wrong judges
	/// are slashed, as on an appeal (a disputer's bond pays them when it stands). When they
	/// cannot hear it, the provisional result stands, or a dispute is heard by an appeal
	/// panel drawn in the next block.
	fn close_provisional(task_id: TaskId, mut round: RoundOf<T>, now: BlockNumberFor<T>) -> Weight {
		let Some(provisional) = round.provisional.clone() else {
			return T::WeightInfo::on_deadline_commit();
		};
		let params = Self::params();
		let drawn = Self::sealed(task_id);
		let (sealed, silent) = Self::heard(task_id, &round, &drawn);
		let solutions = round.solvers.len() as u32;
		let first = round.appeal.as_ref().map_or(round.panel.len(), |a| a.first_judges.len());
		// the sealed members hearing it and overturning a disputed result is the costliest
		// path (benchmarked); without them, the first panel's result made final
		let weight =
			T::WeightInfo::on_deadline_silent(silent).saturating_add(if sealed.is_empty() {
				T::WeightInfo::on_deadline_final(first as u32, solutions)
			} else {
				T::WeightInfo::on_deadline_sealed(sealed.len() as u32, solutions)
			});
		for (member, _) in sealed.iter() {
			let given = ScoreReveals::<T>::get(task_id, member).unwrap_or_default();
			if consensus::missed_honeypot(&given, &round.honeypots, params.clip_band) {
				Self::penalise(task_id, member, params.honeypot_slash, Penalty::MissedHoneypot);
				if !round.unpaid.contains(member) {
					let _ = round.unpaid.try_push(member.clone());
				}
			}
		}
		let hears = Self::sealed_can_hear(task_id)
			&& sealed.len() as u32 >= Self::quorum(drawn.len() as u32);
		if !hears {
			if round.appeal.is_some() {
				Self::draw_appeal(task_id, round, now);
				return weight;
			}
			let (result, fates) = (provisional.result.to_vec(), provisional.fates.to_vec());
			return weight.saturating_add(Self::finalize(task_id, round, result, fates));
		}
		// disputed, the sealed members hear the dispute: their tally decides whether the
		// first result stands, and when it does not it is final, the accused not heard; a
		// result that stands, disputed or not, is refined by everyone who committed blind,
		// panel and sealed together (noise alone would often move a score past the overturn
		// margin between two small tallies, and only a disputed result is judged for it)
		let first = round.appeal.as_ref().map_or(&round.panel, |a| &a.first_judges);
		let everyone: Vec<_> = first.iter().chain(sealed.iter()).cloned().collect();
		if round.appeal.is_none() {
			let tally = Self::tally_of(task_id, &round, &everyone, false);
			return weight.saturating_add(Self::finalize(
				task_id,
				round,
				tally.result,
				tally.fates,
			));
		}
		let tally = Self::tally_of(task_id, &round, &sealed, false);
		let overturned = Self::overturns(Some(&provisional), &tally.result, &tally.fates, &round);
		let tally =
			if overturned { tally } else { Self::tally_of(task_id, &round, &everyone, false) };
		Self::settle_appeal(task_id, &round, &sealed, overturned, &tally.result, &tally.fates);
		weight.saturating_add(Self::finalize(task_id, round, tally.result, tally.fates))
	}

	/// `round` is disputed and no sealed members can hear it: an appeal panel of `2n + 1`
	/// validators not yet drawn is drawn in the next block, with randomness the disputer could
	/// not know when it disputed.
	fn draw_appeal(task_id: TaskId, mut round: RoundOf<T>, now: BlockNumberFor<T>) {
		round.size = round.size.saturating_mul(2).saturating_add(1).min(T::MaxPanel::get());
		round.redraws = 0;
		round.phase = RoundPhase::Draw { at: now.saturating_add(1u32.into()) };
		Self::store(task_id, round);
	}

	/// Of `members`, those who revealed for `task_id`; the others lose the non-reveal share
	/// of their bonds, and their accuracy is recorded as nothing. Returns the revealed and
	/// how many were silent.
	fn heard(
		task_id: TaskId,
		round: &RoundOf<T>,
		members: &[(T::AccountId, u128)],
	) -> (Vec<(T::AccountId, u128)>, u32) {
		let params = Self::params();
		let mut revealed = Vec::new();
		let mut silent = 0u32;
		for (member, weight) in members.iter() {
			if ScoreReveals::<T>::contains_key(task_id, member) {
				revealed.push((member.clone(), *weight));
			} else {
				silent += 1;
				Self::penalise(task_id, member, params.non_reveal_slash, Penalty::NoReveal);
				T::Ledger::record(
					member,
					round.task_type,
					OutcomeScores::only(ReputationDimension::ValidationAccuracy, Score::default()),
					round.reward.unique_saturated_into(),
				);
			}
		}
		(revealed, silent)
	}

	pub(crate) fn do_commit_with_seat(
		who: T::AccountId,
		task_id: TaskId,
		commitment: H256,
		proof: tos_primitives::sortition::SeatProof,
	) -> DispatchResult {
		let mut round = Rounds::<T>::get(task_id).ok_or(Error::<T>::UnknownRound)?;
		let now = frame_system::Pallet::<T>::block_number();
		let RoundPhase::Commit { until } = round.phase else {
			return Err(Error::<T>::NotCommitPhase.into());
		};
		ensure!(now < until, Error::<T>::NotCommitPhase);
		let draw = Draws::<T>::get(task_id).ok_or(Error::<T>::NoDraw)?;
		ensure!(!round.on_panel(&who), Error::<T>::AlreadyCommitted);
		ensure!(
			!round.seated.contains(&who)
				&& round.publisher != who
				&& !round.solvers.contains(&who)
				&& Certified::<T>::get(round.task_type).contains(&who)
				&& Self::can_sit(&who, round.reward),
			Error::<T>::CannotSit
		);
		let key = match SeatKeys::<T>::get(&who) {
			Some((key, set_at)) => {
				// the draw opened a commit window ago, its seed known since
				ensure!(set_at < until.saturating_sub(round.window), Error::<T>::SeatKeyTooNew);
				key
			},
			None => T::DefaultSeatKey::convert(who.clone()).ok_or(Error::<T>::NoSeatKey)?,
		};
		let ticket = proof.ticket(&key, &draw.message(task_id)).ok_or(Error::<T>::BadSeatProof)?;
		let weight = Self::weight_of(&who);
		ensure!(
			tos_primitives::sortition::wins(ticket, weight, draw.eligible, draw.seats),
			Error::<T>::NotDrawn
		);
		ensure!(
			(round.panel.len() as u32) < Self::seat_limit(task_id, &round)
				&& (round.seated.len() as u32) < MAX_SEATED,
			Error::<T>::PanelFull
		);
		round.seated.try_push(who.clone()).map_err(|_| Error::<T>::PanelFull)?;
		round.panel.try_push((who.clone(), weight)).map_err(|_| Error::<T>::PanelFull)?;
		ActivePanels::<T>::mutate(&who, |n| *n = Some(n.unwrap_or(0).saturating_add(1)));
		ScoreCommits::<T>::insert(task_id, &who, commitment);
		Rounds::<T>::insert(task_id, round);
		Self::deposit_event(Event::Seated { task_id, validator: who.clone() });
		Self::deposit_event(Event::ScoresCommitted { task_id, validator: who });
		Ok(())
	}

	pub(crate) fn do_reveal_scores(
		who: T::AccountId,
		task_id: TaskId,
		judgements: JudgementsOf<T>,
		salt: H256,
	) -> DispatchResult {
		let round = Rounds::<T>::get(task_id).ok_or(Error::<T>::UnknownRound)?;
		let now = frame_system::Pallet::<T>::block_number();
		if Self::sealed(task_id).iter().any(|(v, _)| v == &who) {
			// a sealed member reveals in the dispute window, once the provisional result is out
			match round.phase {
				RoundPhase::Provisional { until } if now < until => {},
				RoundPhase::Commit { .. } | RoundPhase::Reveal { .. } => {
					return Err(Error::<T>::SealedUntilProvisional.into())
				},
				_ => return Err(Error::<T>::NotRevealPhase.into()),
			}
		} else {
			ensure!(
				matches!(round.phase, RoundPhase::Reveal { until } if now < until),
				Error::<T>::NotRevealPhase
			);
			ensure!(round.on_panel(&who), Error::<T>::NotOnPanel);
		}
		let commitment = ScoreCommits::<T>::get(task_id, &who).ok_or(Error::<T>::NoCommitment)?;
		ensure!(!ScoreReveals::<T>::contains_key(task_id, &who), Error::<T>::AlreadyRevealed);
		let n = round.solvers.len();
		ensure!(
			judgements.len() == n && judgements.iter().enumerate().all(|(i, j)| j.is_valid(i, n)),
			Error::<T>::InvalidScores
		);
		ensure!(
			score_commitment(&judgements, &salt, &who) == commitment,
			Error::<T>::CommitmentMismatch
		);
		ScoreReveals::<T>::insert(task_id, &who, judgements);
		Self::deposit_event(Event::ScoresRevealed { task_id, validator: who });
		Ok(())
	}

	pub(crate) fn do_dispute(who: T::AccountId, task_id: TaskId) -> DispatchResult {
		let mut round = Rounds::<T>::get(task_id).ok_or(Error::<T>::UnknownRound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(round.appeal.is_none(), Error::<T>::AlreadyDisputed);
		ensure!(
			matches!(round.phase, RoundPhase::Provisional { until } if now < until),
			Error::<T>::NotDisputable
		);
		ensure!(
			round.publisher == who || round.solvers.contains(&who),
			Error::<T>::NotAParticipant
		);
		let bond = Self::dispute_bond(&who, round.reward);
		T::Currency::hold(&HoldReason::DisputeBond.into(), &who, bond)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		round.appeal = Some(Appeal {
			disputer: who.clone(),
			bond,
			first_judges: core::mem::take(&mut round.panel),
		});
		if Self::sealed_can_hear(task_id) {
			// the sealed members hear it when the dispute window closes (its deadline queued)
			Rounds::<T>::insert(task_id, round);
		} else {
			Self::draw_appeal(task_id, round, now);
		}
		T::Tasks::note_disputed(task_id);
		Self::deposit_event(Event::Disputed { task_id, disputer: who, bond });
		Ok(())
	}

	/// The bond `who` puts up to dispute a result on a task of `reward`: the rules' share of
	/// the reward (at least their minimum), doubled for each dispute it lost in a row, the
	/// last within [`DISPUTE_MEMORY`] blocks — at most [`MAX_DISPUTE_DOUBLINGS`] times. A
	/// miner wronged by a panel wins its dispute and pays nothing; one who disputes every
	/// result to delay or to harass pays 5 %, 10 %, 20 %, … of the reward.
	pub fn dispute_bond(who: &T::AccountId, reward: BalanceOf<T>) -> BalanceOf<T> {
		let params = Self::params();
		let base = params.min_dispute_bond.max(params.dispute_bond_share * reward);
		let doublings = Self::disputes_lost(who).min(MAX_DISPUTE_DOUBLINGS);
		base.saturating_mul(BalanceOf::<T>::from(1u32 << doublings))
	}

	/// How many disputes `who` lost in a row, the last within [`DISPUTE_MEMORY`] blocks.
	fn disputes_lost(who: &T::AccountId) -> u32 {
		let now = frame_system::Pallet::<T>::block_number();
		LostDisputes::<T>::get(who)
			.filter(|(_, at)| now.saturating_sub(*at) <= DISPUTE_MEMORY.into())
			.map_or(0, |(lost, _)| lost)
	}

	/// `who`'s dispute was upheld against it: its next dispute bond doubles.
	pub(crate) fn note_dispute_lost(who: &T::AccountId) {
		let lost = Self::disputes_lost(who).saturating_add(1).min(MAX_DISPUTE_DOUBLINGS);
		LostDisputes::<T>::insert(who, (lost, frame_system::Pallet::<T>::block_number()));
	}

	pub(crate) fn do_council_judge(task_id: TaskId, judgements: JudgementsOf<T>) -> DispatchResult {
		let round = Rounds::<T>::get(task_id).ok_or(Error::<T>::UnknownRound)?;
		ensure!(matches!(round.phase, RoundPhase::Council { .. }), Error::<T>::NotReferred);
		let n = round.solvers.len();
		ensure!(
			judgements.len() == n && judgements.iter().enumerate().all(|(i, j)| j.is_valid(i, n)),
			Error::<T>::InvalidScores
		);
		// the council's one ballot decides the scores and the verdicts
		let ballot = [Ballot { weight: 1, judgements: &judgements, set_aside: false }];
		let rules = Rules { clip_band: 100, outlier_margin: 100, noise: 0 };
		let tally = consensus::tally(&ballot, n, &round.honeypots, &round.groups, rules);
		if let (Some(appeal), Some(first)) = (round.appeal.as_ref(), round.provisional.as_ref()) {
			let overturned = Self::overturns(Some(first), &tally.result, &tally.fates, &round);
			if overturned {
				tos_primitives::holds::release::<_, T::Currency>(
					&HoldReason::DisputeBond.into(),
					&appeal.disputer,
					appeal.bond,
				);
				// the first judges the council found grossly wrong are slashed as an appeal
				// panel's verdict would slash them (to the treasury: there are no members to
				// pay), so that framing a miner costs the same whoever hears the appeal
				let first = &appeal.first_judges;
				Self::slash_wrong_judges(task_id, first, &tally.result, &tally.fates, &round);
			} else {
				tos_primitives::holds::transfer::<_, T::Currency>(
					&HoldReason::DisputeBond.into(),
					&appeal.disputer,
					&T::Treasury::get(),
					appeal.bond,
				);
				Self::note_dispute_lost(&appeal.disputer);
			}
			Self::deposit_event(Event::AppealDecided { task_id, overturned });
		}
		Self::finalize(task_id, round, tally.result, tally.fates);
		Ok(())
	}

	/// Whether the final result overturns the `first` (provisional) one: it moves some score
	/// of a real solution by more than the overturn margin, or changes a solution's fate in
	/// kind (excluded ↔ judged, alone ↔ one of a group of copies).
	pub(crate) fn overturns(
		first: Option<&ProvisionalOf<T>>,
		final_result: &[SolutionScore],
		final_fates: &[SolutionFate],
		round: &RoundOf<T>,
	) -> bool {
		let Some(first) = first else { return false };
		let margin = Self::params().overturn_margin;
		let moved = first.result.iter().zip(final_result.iter()).enumerate().any(|(i, (a, b))| {
			!round.is_honeypot(i as u32)
				&& (a.quality.get().abs_diff(b.quality.get()) > margin
					|| a.innovation.get().abs_diff(b.innovation.get()) > margin)
		});
		moved || consensus::fates_differ(&first.fates, final_fates)
	}

	pub(crate) fn do_declare_honeypot(
		who: T::AccountId,
		task_id: TaskId,
		solver: T::AccountId,
		nonce: H256,
		known: SolutionScore,
		secret: H256,
	) -> DispatchResult {
		let mut round = Rounds::<T>::get(task_id).ok_or(Error::<T>::UnknownRound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(
			matches!(round.phase, RoundPhase::Reveal { until } if now < until),
			Error::<T>::NotDeclarable
		);
		// before the first reveal: a declaration made once scores are on chain could be kept
		// for the rounds where it catches someone
		ensure!(
			round.panel.iter().all(|(member, _)| !ScoreReveals::<T>::contains_key(task_id, member)),
			Error::<T>::DeclaredTooLate
		);
		ensure!(
			HoneypotProviders::<T>::contains_key(honeypot_key(&who, &nonce)),
			Error::<T>::NotHoneypotProvider
		);
		let index =
			round.solvers.iter().position(|s| s == &solver).ok_or(Error::<T>::NotASolver)?;
		ensure!(known.is_valid(), Error::<T>::InvalidScores);
		ensure!(
			T::Salts::revealed_salt(task_id, &solver) == Some(honeypot_salt(&known, &secret)),
			Error::<T>::HoneypotMismatch
		);
		ensure!(!round.is_honeypot(index as u32), Error::<T>::TooManyHoneypots);
		round
			.honeypots
			.try_push((index as u32, known))
			.map_err(|_| Error::<T>::TooManyHoneypots)?;
		Rounds::<T>::insert(task_id, round);
		Self::deposit_event(Event::HoneypotDeclared { task_id, index: index as u32 });
		Ok(())
	}
}
