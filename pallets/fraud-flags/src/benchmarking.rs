//! Benchmarks (frame-benchmarking v2) of every call and detector, each on its flagging path
//! (a slash, a reputation record and a ban).

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::fungible::Mutate;
use frame_system::RawOrigin;
use tos_primitives::Fingerprint;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let who: T::AccountId = account(name, index, 0);
	let plenty = Pallet::<T>::params().report_bond.saturating_mul(1_000u32.into());
	T::Currency::set_balance(&who, plenty.max(1_000_000u32.into()));
	who
}

/// Gives `who` miner and validator bonds, and makes its next flag a ban.
fn repeat_offender<T: Config>(who: &T::AccountId) {
	T::BenchmarkHelper::stake(who);
	Offences::<T>::insert(who, Pallet::<T>::params().ban_after);
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn report_fraud() {
		let reporter = funded::<T>("reporter", 0);
		let target: T::AccountId = account("target", 0, 0);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(reporter),
			target,
			FraudKind::Plagiarism,
			Some(1),
			H256::repeat_byte(1),
		);
		assert!(Reports::<T>::contains_key(0));
	}

	#[benchmark]
	fn confirm() -> Result<(), BenchmarkError> {
		let origin =
			T::AdjudicateOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let reporter = funded::<T>("reporter", 0);
		let target = funded::<T>("target", 0);
		repeat_offender::<T>(&target);
		// naming a task it was paid from: its pay and the task's reward are taken back, from
		// its free balance, then its bonds
		let task = T::BenchmarkHelper::paid_task(&target);
		Pallet::<T>::report_fraud(
			RawOrigin::Signed(reporter).into(),
			target,
			FraudKind::Collusion,
			Some(task),
			H256::repeat_byte(1),
		)
		.expect("a funded reporter reports");
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 0);
		assert!(!Reports::<T>::contains_key(0));
		Ok(())
	}

	#[benchmark]
	fn dismiss() -> Result<(), BenchmarkError> {
		let origin =
			T::AdjudicateOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let reporter = funded::<T>("reporter", 0);
		Pallet::<T>::report_fraud(
			RawOrigin::Signed(reporter).into(),
			account("target", 0, 0),
			FraudKind::Collusion,
			None,
			H256::repeat_byte(1),
		)
		.expect("a funded reporter reports");
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 0);
		assert!(!Reports::<T>::contains_key(0));
		Ok(())
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
	fn set_min_solve_time() -> Result<(), BenchmarkError> {
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, TaskType::CodeGeneration, 10u32.into());
		assert_eq!(MinSolveTime::<T>::get(TaskType::CodeGeneration), 10u32.into());
		Ok(())
	}

	#[benchmark]
	fn check_commit() {
		MinSolveTime::<T>::insert(TaskType::CodeGeneration, BlockNumberFor::<T>::from(10u32));
		let miner = funded::<T>("miner", 0);
		let flagged;
		#[block]
		{
			flagged = Pallet::<T>::check_commit(1, TaskType::CodeGeneration, &miner, Zero::zero());
		}
		assert!(flagged);
	}

	#[benchmark]
	fn check_solutions(n: Linear<2, { T::MaxSolutions::get() }>) {
		// every solution a copy of the first: every pair found
		let solutions: Vec<_> = (0..n)
			.map(|i| RevealedSolution {
				miner: account("miner", i, 0),
				committed_at: i.into(),
				solution_hash: H256::repeat_byte(1),
				fingerprint: Fingerprint::default(),
			})
			.collect();
		let pairs;
		#[block]
		{
			pairs = Pallet::<T>::similar_pairs(1, &solutions);
		}
		assert_eq!(pairs.len() as u32, n * (n - 1) / 2);
	}

	#[benchmark]
	fn note_judged() {
		let validator = funded::<T>("validator", 0);
		let rounds = Pallet::<T>::params().collusion_rounds;
		JudgingRecords::<T>::insert(
			&validator,
			JudgingRecord { judged: rounds - 1, flagged: rounds - 1, since: Zero::zero() },
		);
		// the worst case: a full table of leanings, and a round of only miners new to it
		let mut leanings = Leanings::<T::AccountId>::default();
		for i in 0..MAX_LEANINGS {
			leanings.note(&[(account::<T::AccountId>("known", i, 0), 1)]);
		}
		JudgingLeanings::<T>::insert(&validator, leanings);
		let deviations: Vec<(T::AccountId, i16)> = (0..T::MaxSolutions::get())
			.map(|i| (account::<T::AccountId>("new", i, 0), 3))
			.collect();
		let miners: Vec<T::AccountId> = deviations.iter().map(|(m, _)| m.clone()).collect();
		let confirmed;
		#[block]
		{
			let leaning = Pallet::<T>::leaning(&validator, &miners, 0);
			confirmed = Pallet::<T>::note_judged(1, &validator, !leaning, &deviations);
		}
		assert!(confirmed);
		assert_eq!(JudgingLeanings::<T>::get(&validator).miners.len() as u32, MAX_LEANINGS);
	}

	#[benchmark]
	fn on_initialize(n: Linear<0, { T::MaxPunishmentsPerBlock::get() }>) {
		for i in 0..n {
			let validator = funded::<T>("validator", i);
			repeat_offender::<T>(&validator);
			for round in 0..Pallet::<T>::params().collusion_rounds {
				Pallet::<T>::note_judged(u64::from(round), &validator, true, &[]);
			}
		}
		#[block]
		{
			Pallet::<T>::on_initialize(Zero::zero());
		}
		assert_eq!(PunishmentQueue::<T>::get(), (u64::from(n), u64::from(n)));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
