//! Benchmarks (frame-benchmarking v2) of every call, and of each kind of deadline the hook
//! meets, at their worst: full candidate lists, full panels, the most solutions.

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
	let bond = T::MinBond::get().max(1u32.into());
	T::Currency::set_balance(&who, bond.saturating_mul(1_000u32.into()));
	Pallet::<T>::apply_validator(
		RawOrigin::Signed(who.clone()).into(),
		SpecializationSet::from_types(&TaskType::ALL),
		bond.saturating_mul(10u32.into()),
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

fn scores<T: Config>(s: u32) -> ScoresOf<T> {
	let score = SolutionScore { quality: Score::MAX, innovation: Score::MAX };
	BoundedVec::truncate_from(alloc::vec![score; s as usize])
}

/// A round of `s` solutions judged by `p` validators, in `phase`; members in `revealed` have
/// committed and revealed.
fn round<T: Config>(
	p: u32,
	s: u32,
	phase: RoundPhase<BlockNumberFor<T>>,
	revealed: bool,
) -> Vec<T::AccountId>
where
	T::Currency: Mutate<T::AccountId>,
{
	let panel: Vec<(T::AccountId, u128)> = (0..p).map(|i| (validator::<T>(i), 1)).collect();
	let solvers: Vec<T::AccountId> = (0..s).map(|i| account("miner", i, 0)).collect();
	for (who, _) in panel.iter().filter(|_| revealed) {
		ScoreCommits::<T>::insert(TASK, who, H256::zero());
		ScoreReveals::<T>::insert(TASK, who, scores::<T>(s));
	}
	let result = if matches!(phase, RoundPhase::Provisional { .. }) {
		scores::<T>(s)
	} else {
		BoundedVec::new()
	};
	Rounds::<T>::insert(
		TASK,
		Round {
			task_type: TaskType::CodeGeneration,
			publisher: account("publisher", 0, 0),
			solvers: BoundedVec::truncate_from(solvers),
			panel: BoundedVec::truncate_from(panel.clone()),
			window: 10u32.into(),
			phase,
			result,
			appeal: None,
		},
	);
	panel.into_iter().map(|(v, _)| v).collect()
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
		let panel = round::<T>(
			T::MaxPanel::get(),
			T::MaxSolutions::get(),
			RoundPhase::Commit { until: now + 10u32.into() },
			false,
		);
		let who = panel.last().expect("a panel").clone();
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), TASK, H256::repeat_byte(1));
		assert!(ScoreCommits::<T>::contains_key(TASK, &who));
	}

	#[benchmark]
	fn reveal_scores(s: Linear<1, { T::MaxSolutions::get() }>) {
		let now = at::<T>(1);
		let panel = round::<T>(
			T::MaxPanel::get(),
			s,
			RoundPhase::Reveal { until: now + 10u32.into() },
			false,
		);
		let who = panel.last().expect("a panel").clone();
		let salt = H256::repeat_byte(2);
		ScoreCommits::<T>::insert(TASK, &who, score_commitment(&scores::<T>(s), &salt, &who));
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), TASK, scores::<T>(s), salt);
		assert!(ScoreReveals::<T>::contains_key(TASK, &who));
	}

	#[benchmark]
	fn dispute(c: Linear<1, { T::MaxCandidates::get() }>) {
		let now = at::<T>(1);
		round::<T>(
			1,
			T::MaxSolutions::get(),
			RoundPhase::Provisional { until: now + 10u32.into() },
			true,
		);
		for i in 0..c {
			certified::<T>(1_000 + i, TaskType::CodeGeneration);
		}
		let disputer: T::AccountId = account("publisher", 0, 0);
		T::Currency::set_balance(
			&disputer,
			Pallet::<T>::params().dispute_bond.saturating_mul(10u32.into()).max(T::MinBond::get()),
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
			T::MaxSolutions::get(),
			RoundPhase::Commit { until: now },
			false,
		);
		#[block]
		{
			Pallet::<T>::on_deadline(TASK, now);
		}
		assert!(matches!(Rounds::<T>::get(TASK).map(|r| r.phase), Some(RoundPhase::Reveal { .. })));
	}

	#[benchmark]
	fn on_deadline_reveal(
		p: Linear<1, { T::MaxPanel::get() }>,
		s: Linear<1, { T::MaxSolutions::get() }>,
	) {
		let now = at::<T>(1);
		round::<T>(p, s, RoundPhase::Reveal { until: now }, true);
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
		round::<T>(p, 1, RoundPhase::Reveal { until: now }, false);
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
	fn on_deadline_final(
		p: Linear<1, { T::MaxPanel::get() }>,
		s: Linear<1, { T::MaxSolutions::get() }>,
	) {
		let now = at::<T>(1);
		round::<T>(p, s, RoundPhase::Provisional { until: now }, true);
		#[block]
		{
			Pallet::<T>::on_deadline(TASK, now);
		}
		assert!(!Rounds::<T>::contains_key(TASK));
	}

	#[benchmark]
	fn begin_validation(c: Linear<1, { T::MaxCandidates::get() }>) {
		at::<T>(1);
		for i in 0..c {
			certified::<T>(i, TaskType::CodeGeneration);
		}
		let publisher: T::AccountId = account("publisher", 0, 0);
		let solvers: Vec<T::AccountId> =
			(0..T::MaxSolutions::get()).map(|i| account("miner", i, 0)).collect();
		#[block]
		{
			<Pallet<T> as TaskValidation<_, _>>::begin_validation(ValidationRequest {
				task_id: TASK,
				task_type: TaskType::CodeGeneration,
				publisher: &publisher,
				solvers: &solvers,
				panel_size: T::MaxPanel::get(),
				validation_blocks: 10u32.into(),
			});
		}
		assert!(Rounds::<T>::contains_key(TASK));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
