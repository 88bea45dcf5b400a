//! Benchmarks (frame-benchmarking v2) of every call, and of each kind of deadline the hook
//! meets, at their worst: full candidate lists, full panels, the most solutions, every
//! solution a copy of another (the most grouping work), an appeal that overturns (every
//! first judge slashed to every appeal member).

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::fungible::Mutate;
use frame_system::RawOrigin;

const TASK: TaskId = 1;

fn validator<T: Config>(index: u32) -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let who: T::AccountId = account("validator", index, 0);
	let bond = T::MinBond::get().max(1u32.into()).saturating_mul(10u32.into());
	T::Currency::set_balance(&who, bond.saturating_mul(1_000u32.into()));
	Pallet::<T>::apply_validator(
		RawOrigin::Signed(who.clone()).into(),
		SpecializationSet::from_types(&TaskType::ALL),
		bond,
	)
	.expect("a funded account applies");
	who
}

fn certified<T: Config>(index: u32, task_type: TaskType) -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let who = validator::<T>(index);
	mark_certified::<T>(&who, task_type);
	who
}

fn mark_certified<T: Config>(who: &T::AccountId, task_type: TaskType) {
	Certified::<T>::mutate(task_type, |list| list.try_push(who.clone()).expect("room"));
	Validators::<T>::mutate(who, |v| {
		if let Some(v) = v {
			v.certified = v.certified.with(task_type);
		}
	});
}

/// `s` judgements of `score`, each solution after the first a copy of the one before.
fn judgements<T: Config>(s: u32, score: u8) -> JudgementsOf<T> {
	let score = Score::new(score).unwrap_or_default();
	BoundedVec::truncate_from(
		(0..s)
			.map(|i| Judgement {
				quality: score,
				innovation: score,
				fingerprint_ok: true,
				copy_of: i.checked_sub(1),
			})
			.collect(),
	)
}

/// A round of `s` solutions judged by `p` validators (indices from `first`), in `phase`;
/// with `revealed`, every member committed and revealed `score`.
fn round<T: Config>(
	p: u32,
	first: u32,
	s: u32,
	phase: RoundPhase<BlockNumberFor<T>>,
	revealed: Option<u8>,
) -> RoundOf<T>
where
	T::Currency: Mutate<T::AccountId>,
{
	let panel: Vec<(T::AccountId, u128)> =
		(0..p).map(|i| (validator::<T>(first + i), 1_000)).collect();
	let solvers: Vec<T::AccountId> = (0..s).map(|i| account("miner", i, 0)).collect();
	if let Some(score) = revealed {
		for (who, _) in panel.iter() {
			ScoreCommits::<T>::insert(TASK, who, H256::zero());
			ScoreReveals::<T>::insert(TASK, who, judgements::<T>(s, score));
		}
	}
	for (who, _) in panel.iter() {
		ActivePanels::<T>::insert(who, 1);
	}
	let round = Round {
		task_type: TaskType::CodeGeneration,
		publisher: account("publisher", 0, 0),
		reward: T::MinBond::get(),
		solvers: BoundedVec::truncate_from(solvers),
		groups: BoundedVec::truncate_from((0..s).collect()),
		size: p,
		panel: BoundedVec::truncate_from(panel.clone()),
		seated: BoundedVec::truncate_from(panel.iter().map(|(v, _)| v.clone()).collect()),
		unpaid: BoundedVec::new(),
		window: 10u32.into(),
		phase,
		redraws: 0,
		honeypots: BoundedVec::new(),
		provisional: None,
		appeal: None,
	};
	Rounds::<T>::insert(TASK, round.clone());
	round
}

/// `round` under appeal by the publisher: a first panel of the largest size, which revealed
/// `first_score`, its result provisional; the disputer's bond held.
fn appealed<T: Config>(mut round: RoundOf<T>, s: u32, first_score: u8) -> RoundOf<T>
where
	T::Currency: Mutate<T::AccountId>,
{
	let first = (T::MaxPanel::get().saturating_sub(1) / 2).max(1);
	let judges: Vec<(T::AccountId, u128)> =
		(0..first).map(|i| (validator::<T>(10_000 + i), 1_000)).collect();
	for (who, _) in judges.iter() {
		ScoreReveals::<T>::insert(TASK, who, judgements::<T>(s, first_score));
		ActivePanels::<T>::insert(who, 1);
		let _ = round.seated.try_push(who.clone());
	}
	let disputer: T::AccountId = account("publisher", 0, 0);
	let bond = T::MinBond::get();
	T::Currency::set_balance(&disputer, bond.saturating_mul(10u32.into()));
	T::Currency::hold(&HoldReason::DisputeBond.into(), &disputer, bond).expect("funded");
	let score = Score::new(first_score).unwrap_or_default();
	round.provisional = Some(Provisional {
		result: BoundedVec::truncate_from(
			alloc::vec![SolutionScore { quality: score, innovation: score }; s as usize],
		),
		fates: BoundedVec::truncate_from(
			(0..s).map(|i| tos_primitives::SolutionFate::Judged { group: i }).collect(),
		),
	});
	round.appeal = Some(Appeal { disputer, bond, first_judges: BoundedVec::truncate_from(judges) });
	Rounds::<T>::insert(TASK, round.clone());
	round
}

/// 32 bytes from 64 hex digits.
fn hex32(hex: &str) -> [u8; 32] {
	let mut out = [0u8; 32];
	for (i, byte) in out.iter_mut().enumerate() {
		*byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex");
	}
	out
}

fn at<T: Config>(block: u32) -> BlockNumberFor<T> {
	let block: BlockNumberFor<T> = block.into();
	frame_system::Pallet::<T>::set_block_number(block);
	block
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn apply_validator() {
		let who: T::AccountId = account("validator", 0, 0);
		let bond = T::MinBond::get().max(1u32.into());
		T::Currency::set_balance(&who, bond.saturating_mul(10u32.into()));
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), SpecializationSet::from_types(&TaskType::ALL), bond);
		assert!(Validators::<T>::contains_key(&who));
	}

	#[benchmark]
	fn certify() -> Result<(), BenchmarkError> {
		let origin =
			T::CertifyOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		for i in 1..T::MaxCandidates::get() {
			certified::<T>(i, TaskType::CodeGeneration);
		}
		let who = validator::<T>(0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), TaskType::CodeGeneration);
		assert!(Certified::<T>::get(TaskType::CodeGeneration).contains(&who));
		Ok(())
	}

	#[benchmark]
	fn decertify() -> Result<(), BenchmarkError> {
		let origin =
			T::CertifyOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		for i in 1..T::MaxCandidates::get() {
			certified::<T>(i, TaskType::CodeGeneration);
		}
		let who = certified::<T>(0, TaskType::CodeGeneration);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), TaskType::CodeGeneration);
		assert!(!Certified::<T>::get(TaskType::CodeGeneration).contains(&who));
		Ok(())
	}

	#[benchmark]
	fn unbond() {
		// certified everywhere, last in every full list
		for task_type in TaskType::ALL {
			for i in 1..T::MaxCandidates::get() {
				let who: T::AccountId = account("other", i, 0);
				Certified::<T>::mutate(task_type, |list| list.try_push(who).expect("room"));
			}
		}
		let who = validator::<T>(0);
		for task_type in TaskType::ALL {
			mark_certified::<T>(&who, task_type);
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(Validators::<T>::get(&who).is_some_and(|v| v.unbonding.is_some()));
	}

	#[benchmark]
	fn withdraw_unbonded() {
		let who = validator::<T>(0);
		Pallet::<T>::unbond(RawOrigin::Signed(who.clone()).into()).expect("a validator");
		at::<T>(1);
		let later = frame_system::Pallet::<T>::block_number()
			.saturating_add(T::UnbondingDelay::get())
			.saturating_add(1u32.into());
		frame_system::Pallet::<T>::set_block_number(later);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
		assert!(!Validators::<T>::contains_key(&who));
	}

	#[benchmark]
	fn commit_scores() {
		let now = at::<T>(1);
		let round = round::<T>(
			T::MaxPanel::get(),
			0,
			T::MaxSolutions::get(),
			RoundPhase::Commit { until: now + 10u32.into() },
			None,
		);
		let who = round.panel.last().expect("a panel").0.clone();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), TASK, H256::repeat_byte(1));
		assert!(ScoreCommits::<T>::contains_key(TASK, &who));
	}

	#[benchmark]
	fn set_seat_key() {
		let who = validator::<T>(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), [7; 32]);
		assert_eq!(SeatKeys::<T>::get(&who).map(|(key, _)| key), Some([7; 32]));
	}

	#[benchmark]
	fn commit_with_seat() {
		let now = at::<T>(1);
		// the largest panel but one seat, the sitter last of the most candidates: every scan
		// at its longest, and a VRF proof checked
		let mut round = round::<T>(
			T::MaxPanel::get() - 1,
			0,
			T::MaxSolutions::get(),
			RoundPhase::Commit { until: now + 10u32.into() },
			None,
		);
		round.size = T::MaxPanel::get();
		Rounds::<T>::insert(TASK, round);
		for i in 1..T::MaxCandidates::get() {
			certified::<T>(1_000 + i, TaskType::CodeGeneration);
		}
		let who = certified::<T>(999, TaskType::CodeGeneration);
		// produced by @polkadot/util-crypto: the sr25519 pair of seed [9; 32] signing
		// `sortition::message([1; 32], TASK, false, 0)` in the context "tos-seat-1"
		// set before the draw opened (block 1, a window of 10 before the commit deadline)
		SeatKeys::<T>::insert(
			&who,
			(
				hex32("6a10be029d1ed283446587145a4f885225489b490424a0328dcce2a48ae6fe61"),
				BlockNumberFor::<T>::from(0u32),
			),
		);
		Draws::<T>::insert(
			TASK,
			Draw {
				seed: [1; 32],
				eligible: 1,
				seats: T::MaxPanel::get(),
				appeal: false,
				attempt: 0,
			},
		);
		let mut proof =
			tos_primitives::sortition::SeatProof { pre_output: [0; 32], proof: [0; 64] };
		proof.pre_output =
			hex32("d08231c5fd75ca3137f871912fe5dd832cf8603021e3600620fce77beb97ff2c");
		proof.proof[..32].copy_from_slice(&hex32(
			"aad9c7c1fbd51db4e2fd592a4afbecfddb065b9abbaad120691f49625adc3501",
		));
		proof.proof[32..].copy_from_slice(&hex32(
			"0bd7d90636ca20d1e0a8489615ffad7b4c9133e87083ba235f3a73672512bd0c",
		));
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), TASK, H256::repeat_byte(1), proof);
		assert!(ScoreCommits::<T>::contains_key(TASK, &who));
	}

	#[benchmark]
	fn reveal_scores(s: Linear<1, { T::MaxSolutions::get() }>) {
		let now = at::<T>(1);
		let round = round::<T>(
			T::MaxPanel::get(),
			0,
			s,
			RoundPhase::Reveal { until: now + 10u32.into() },
			None,
		);
		let who = round.panel.last().expect("a panel").0.clone();
		let salt = H256::repeat_byte(2);
		let given = judgements::<T>(s, 100);
		ScoreCommits::<T>::insert(TASK, &who, score_commitment(&given, &salt, &who));
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), TASK, given, salt);
		assert!(ScoreReveals::<T>::contains_key(TASK, &who));
	}

	#[benchmark]
	fn dispute() {
		let now = at::<T>(1);
		let round = round::<T>(
			3,
			0,
			T::MaxSolutions::get(),
			RoundPhase::Provisional { until: now + 10u32.into() },
			Some(100),
		);
		let disputer = round.publisher.clone();
		let params = Pallet::<T>::params();
		T::Currency::set_balance(
			&disputer,
			params.min_dispute_bond.max(T::MinBond::get()).saturating_mul(100u32.into()),
		);
		#[extrinsic_call]
		_(RawOrigin::Signed(disputer), TASK);
		assert!(Rounds::<T>::get(TASK).is_some_and(|r| r.appeal.is_some()));
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = Pallet::<T>::default_params();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);
		assert_eq!(Params::<T>::get(), Some(params));
		Ok(())
	}

	#[benchmark]
	fn council_judge(
		p: Linear<1, { T::MaxPanel::get() }>,
		s: Linear<1, { T::MaxSolutions::get() }>,
	) -> Result<(), BenchmarkError> {
		let origin =
			T::CouncilOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let now = at::<T>(1);
		// referred under appeal: the first judges revealed, the appeal panel too
		let round =
			round::<T>(p, 0, s, RoundPhase::Council { until: now + 10u32.into() }, Some(100));
		appealed::<T>(round, s, 0);
		let given = judgements::<T>(s, 100);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, TASK, given);
		assert!(!Rounds::<T>::contains_key(TASK));
		Ok(())
	}

	#[benchmark]
	fn add_honeypot_provider() -> Result<(), BenchmarkError> {
		let origin =
			T::CertifyOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, H256::repeat_byte(1));
		assert_eq!(HoneypotProviderCount::<T>::get(), 1);
		Ok(())
	}

	#[benchmark]
	fn remove_honeypot_provider() -> Result<(), BenchmarkError> {
		let origin =
			T::CertifyOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		HoneypotProviders::<T>::insert(H256::repeat_byte(1), ());
		HoneypotProviderCount::<T>::put(1);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, H256::repeat_byte(1));
		assert_eq!(HoneypotProviderCount::<T>::get(), 0);
		Ok(())
	}

	#[benchmark]
	fn declare_honeypot() {
		let now = at::<T>(1);
		round::<T>(
			T::MaxPanel::get(),
			0,
			T::MaxSolutions::get(),
			RoundPhase::Reveal { until: now + 10u32.into() },
			None,
		);
		// the provider's solution, submitted through another account, is the last; the task
		// carries all honeypots but one
		let provider: T::AccountId = account("provider", 0, 0);
		let solver: T::AccountId = account("miner", T::MaxSolutions::get() - 1, 0);
		let (nonce, secret) = (H256::repeat_byte(3), H256::repeat_byte(4));
		let known = SolutionScore::default();
		HoneypotProviders::<T>::insert(honeypot_key(&provider, &nonce), ());
		HoneypotProviderCount::<T>::put(1);
		T::BenchmarkHelper::revealed(TASK, &solver, honeypot_salt(&known, &secret));
		Rounds::<T>::mutate(TASK, |r| {
			if let Some(r) = r {
				for i in 0..MAX_HONEYPOTS - 1 {
					let _ = r.honeypots.try_push((i, known));
				}
			}
		});
		#[extrinsic_call]
		_(RawOrigin::Signed(provider), TASK, solver, nonce, known, secret);
		assert!(Rounds::<T>::get(TASK).is_some_and(|r| r.honeypots.is_full()));
	}

	#[benchmark]
	fn on_initialize_base() {
		let now = at::<T>(1);
		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}
	}

	#[benchmark]
	fn on_deadline_commit() {
		let now = at::<T>(1);
		round::<T>(
			T::MaxPanel::get(),
			0,
			T::MaxSolutions::get(),
			RoundPhase::Commit { until: now },
			None,
		);
		#[block]
		{
			Pallet::<T>::on_deadline(TASK, now);
		}
		assert!(matches!(Rounds::<T>::get(TASK).map(|r| r.phase), Some(RoundPhase::Reveal { .. })));
	}

	#[benchmark]
	fn on_deadline_draw(c: Linear<1, { T::MaxCandidates::get() }>) {
		let now = at::<T>(1);
		// a public draw seats the panel: heavier than a private one, which seats nobody
		T::BenchmarkHelper::public_draws();
		// an appeal of the largest panel drawn from `c` candidates
		let round = round::<T>(0, 0, T::MaxSolutions::get(), RoundPhase::Draw { at: now }, None);
		let mut round = appealed::<T>(round, T::MaxSolutions::get(), 100);
		round.size = T::MaxPanel::get();
		Rounds::<T>::insert(TASK, round);
		for i in 0..c {
			certified::<T>(20_000 + i, TaskType::CodeGeneration);
		}
		#[block]
		{
			Pallet::<T>::on_deadline(TASK, now);
		}
		assert!(Rounds::<T>::contains_key(TASK));
	}

	#[benchmark]
	fn on_deadline_reveal(
		p: Linear<1, { T::MaxPanel::get() }>,
		s: Linear<1, { T::MaxSolutions::get() }>,
	) {
		let now = at::<T>(1);
		let round = round::<T>(p, 0, s, RoundPhase::Reveal { until: now }, Some(100));
		// a quorum of one panel member, so that every size tallies
		let mut round = round;
		round.size = 1;
		Rounds::<T>::insert(TASK, round);
		#[block]
		{
			Pallet::<T>::on_deadline(TASK, now);
		}
		assert!(matches!(
			Rounds::<T>::get(TASK).map(|r| r.phase),
			Some(RoundPhase::Provisional { .. })
		));
	}

	#[benchmark]
	fn on_deadline_silent(p: Linear<1, { T::MaxPanel::get() }>) {
		let now = at::<T>(1);
		let mut round = round::<T>(p, 0, 1, RoundPhase::Reveal { until: now }, None);
		// nobody left to draw: the council is asked
		round.redraws = u8::MAX;
		Rounds::<T>::insert(TASK, round);
		#[block]
		{
			Pallet::<T>::on_deadline(TASK, now);
		}
		assert!(matches!(
			Rounds::<T>::get(TASK).map(|r| r.phase),
			Some(RoundPhase::Council { .. })
		));
	}

	#[benchmark]
	fn on_deadline_final(
		p: Linear<1, { T::MaxPanel::get() }>,
		s: Linear<1, { T::MaxSolutions::get() }>,
	) {
		let now = at::<T>(1);
		// an appeal panel of `p` overturns a first panel of the largest size: every first
		// judge is slashed to every appeal member, then the result is final
		let round = round::<T>(p, 0, s, RoundPhase::Reveal { until: now }, Some(100));
		let mut round = appealed::<T>(round, s, 0);
		round.size = 1;
		Rounds::<T>::insert(TASK, round);
		#[block]
		{
			Pallet::<T>::on_deadline(TASK, now);
		}
		assert!(!Rounds::<T>::contains_key(TASK));
	}

	#[benchmark]
	fn on_deadline_sealed(
		p: Linear<1, { T::MaxPanel::get() }>,
		s: Linear<1, { T::MaxSolutions::get() }>,
	) {
		let now = at::<T>(1);
		// `p` sealed members hear a disputed result of a first panel of the largest size and
		// overturn it: two tallies (theirs, to decide; everyone's is the upheld case's), every
		// first judge slashed to the sealed members, the bond back, then the result is final
		Params::<T>::put(ValidationParams { min_panel: 1, ..Pallet::<T>::params() });
		let round = round::<T>(0, 0, s, RoundPhase::Provisional { until: now }, None);
		let mut round = appealed::<T>(round, s, 0);
		let sealed: Vec<(T::AccountId, u128)> =
			(0..p).map(|i| (validator::<T>(30_000 + i), 1_000)).collect();
		for (who, _) in sealed.iter() {
			ScoreCommits::<T>::insert(TASK, who, H256::zero());
			ScoreReveals::<T>::insert(TASK, who, judgements::<T>(s, 100));
			ActivePanels::<T>::insert(who, 1);
			let _ = round.seated.try_push(who.clone());
		}
		Rounds::<T>::insert(TASK, round);
		Reserves::<T>::insert(TASK, BoundedVec::truncate_from(sealed));
		#[block]
		{
			Pallet::<T>::on_deadline(TASK, now);
		}
		assert!(!Rounds::<T>::contains_key(TASK));
	}

	#[benchmark]
	fn begin_validation(c: Linear<1, { T::MaxCandidates::get() }>) {
		at::<T>(1);
		T::BenchmarkHelper::public_draws();
		for i in 0..c {
			certified::<T>(i, TaskType::CodeGeneration);
		}
		let publisher: T::AccountId = account("publisher", 0, 0);
		let solvers: Vec<T::AccountId> =
			(0..T::MaxSolutions::get()).map(|i| account("miner", i, 0)).collect();
		// every solution paired with the next by the chain's filter
		let copies: Vec<(u32, u32)> = (1..T::MaxSolutions::get()).map(|i| (i - 1, i)).collect();
		#[block]
		{
			<Pallet<T> as TaskValidation<_, _, _>>::begin_validation(ValidationRequest {
				task_id: TASK,
				task_type: TaskType::CodeGeneration,
				publisher: &publisher,
				reward: T::MinBond::get(),
				solvers: &solvers,
				copies: &copies,
				panel_size: T::MaxPanel::get(),
				validation_blocks: 10u32.into(),
			});
		}
		assert!(Rounds::<T>::contains_key(TASK));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
