//! Benchmarks (frame-benchmarking v2) of every call, and of the hook at its worst case: a
//! block full of reveal windows closing on tasks with the most commitments, none revealed
//! (every bond forfeited, every miner's reputation recorded).

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::fungible::Mutate;
use frame_system::RawOrigin;
use tos_primitives::{MinerLevel, TaskType};

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let who: T::AccountId = account(name, index, 0);
	// a million minimum rewards: enough for any reward, deposit and bond the benchmarks use
	let plenty = Pallet::<T>::params().min_reward.saturating_mul(1_000_000u32.into());
	T::Currency::set_balance(&who, plenty);
	who
}

fn spec<T: Config>() -> TaskSpecOf<T> {
	let params = Pallet::<T>::params();
	TaskSpec {
		task_type: TaskType::CodeGeneration,
		content_hash: H256::repeat_byte(1),
		uri: BoundedVec::truncate_from(alloc::vec![b'u'; T::MaxUriLen::get() as usize]),
		// below the reward levels: a Novice may take it
		reward: params.min_reward.saturating_mul(100u32.into()).min(params.reward_levels[0]),
		commit_blocks: params.min_window,
		reveal_blocks: params.min_window,
		validation_blocks: params.min_window,
		max_solutions: T::MaxSolutions::get(),
		min_level: MinerLevel::Novice,
		panel_size: 1,
		quality_threshold: Score::MAX,
	}
}

fn published<T: Config>() -> (T::AccountId, TaskId)
where
	T::Currency: Mutate<T::AccountId>,
{
	let publisher = funded::<T>("publisher", 0);
	let id = NextTaskId::<T>::get();
	Pallet::<T>::publish_task(RawOrigin::Signed(publisher.clone()).into(), spec::<T>())
		.expect("a funded publisher publishes");
	(publisher, id)
}

fn committed<T: Config>(task: TaskId, index: u32) -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let miner = funded::<T>("miner", index);
	T::BenchmarkHelper::make_miner(&miner);
	let hash = commitment_of(
		&H256::repeat_byte(2),
		&Fingerprint::default(),
		&H256::repeat_byte(3),
		&miner,
	);
	Pallet::<T>::commit_solution(RawOrigin::Signed(miner.clone()).into(), task, hash)
		.expect("an eligible miner commits");
	miner
}

fn advance_to<T: Config>(block: BlockNumberFor<T>) {
	frame_system::Pallet::<T>::set_block_number(block);
}

/// Calls the hook at `at` until `task` leaves the phase it is in: the deadline queue's cursor
/// crosses a bounded number of blocks per call, so a deadline far ahead takes several calls.
fn reach<T: Config>(task: TaskId, at: BlockNumberFor<T>) {
	advance_to::<T>(at);
	let status = |task| Tasks::<T>::get(task).map(|t| t.status);
	let before = status(task);
	for _ in 0..200 {
		Pallet::<T>::on_initialize(at);
		if status(task) != before {
			return;
		}
	}
	panic!("task {task} still {before:?} at its deadline");
}

/// A task with `s` solutions revealed and handed to validation: its publisher, its id and its
/// miners. The commit window is 200 blocks (or the longest the rules allow), so that a
/// commitment at its end is past the type's minimum solve time (an earlier one is pre-computation, excluded:
/// nothing to judge).
fn judging<T: Config>(s: u32) -> (T::AccountId, TaskId, Vec<T::AccountId>)
where
	T::Currency: Mutate<T::AccountId>,
{
	let publisher = funded::<T>("publisher", 0);
	let task = NextTaskId::<T>::get();
	let window = Pallet::<T>::params().max_window.min(200u32.into());
	let spec = TaskSpec { commit_blocks: window, ..spec::<T>() };
	Pallet::<T>::publish_task(RawOrigin::Signed(publisher.clone()).into(), spec)
		.expect("a funded publisher publishes");
	let info = Tasks::<T>::get(task).expect("published");
	advance_to::<T>(info.commit_end - 1u32.into());
	let miners: Vec<T::AccountId> = (0..s).map(|i| committed::<T>(task, i)).collect();
	reach::<T>(task, info.commit_end);
	for miner in miners.iter() {
		Pallet::<T>::reveal_solution(
			RawOrigin::Signed(miner.clone()).into(),
			task,
			H256::repeat_byte(2),
			H256::repeat_byte(3),
			Fingerprint::default(),
			Default::default(),
		)
		.expect("the commitment matches");
	}
	reach::<T>(task, info.reveal_end);
	let status = Tasks::<T>::get(task).map(|t| t.status);
	assert!(matches!(status, Some(TaskStatus::Validating)), "with validation: {status:?}");
	(publisher, task, miners)
}

/// Makes `task`'s deadline the only one queued, at block `at`, and moves the chain to it: the
/// hook's next block has that one deadline to handle.
fn due_alone<T: Config>(task: TaskId, at: BlockNumberFor<T>) {
	let _ = Deadlines::<T>::clear(u32::MAX, None);
	Deadlines::<T>::insert(at, task, ());
	DeadlineCursor::<T>::put(at);
	advance_to::<T>(at);
}

/// A judged outcome in which each of `miners` wins alone with full marks and each of
/// `validators` was fully accurate: every one of them is paid.
fn all_winning<T: Config>(
	miners: &[T::AccountId],
	validators: Vec<T::AccountId>,
) -> ValidationOutcome<T::AccountId> {
	ValidationOutcome {
		solutions: miners
			.iter()
			.enumerate()
			.map(|(i, miner)| tos_primitives::JudgedSolution {
				miner: miner.clone(),
				score: tos_primitives::SolutionScore {
					quality: Score::MAX,
					innovation: Score::MAX,
				},
				fate: SolutionFate::Judged { group: i as u32 },
			})
			.collect(),
		validators: validators
			.into_iter()
			.map(|validator| tos_primitives::ValidatorResult {
				validator,
				accuracy: Score::MAX,
				pay_weight: 1,
			})
			.collect(),
		judged: true,
	}
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn publish_task() {
		let publisher = funded::<T>("publisher", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(publisher), spec::<T>());
		assert!(Tasks::<T>::contains_key(0));
	}

	#[benchmark]
	fn cancel_task() {
		let (publisher, task) = published::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(publisher), task);
		assert!(!Tasks::<T>::contains_key(task));
	}

	#[benchmark]
	fn commit_solution(s: Linear<1, { T::MaxSolutions::get() }>) {
		// a full task of `s` commitments, and a miner of higher priority who bumps one
		let publisher = funded::<T>("publisher", 0);
		let task = NextTaskId::<T>::get();
		Pallet::<T>::publish_task(
			RawOrigin::Signed(publisher).into(),
			TaskSpec { max_solutions: s, ..spec::<T>() },
		)
		.expect("a funded publisher publishes");
		for i in 1..=s {
			committed::<T>(task, i);
		}
		let miner = funded::<T>("miner", 0);
		T::BenchmarkHelper::make_miner(&miner);
		T::BenchmarkHelper::raise_priority(&miner);
		#[extrinsic_call]
		_(RawOrigin::Signed(miner.clone()), task, H256::repeat_byte(9));
		assert!(Commitments::<T>::contains_key(task, &miner));
	}

	#[benchmark]
	fn reveal_solution() {
		let (_, task) = published::<T>();
		let miner = committed::<T>(task, 0);
		let commit_end = Tasks::<T>::get(task).expect("published").commit_end;
		advance_to::<T>(commit_end);
		Pallet::<T>::on_initialize(commit_end);
		let uri = BoundedVec::truncate_from(alloc::vec![b's'; T::MaxUriLen::get() as usize]);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(miner.clone()),
			task,
			H256::repeat_byte(2),
			H256::repeat_byte(3),
			Fingerprint::default(),
			uri,
		);
		assert!(Commitments::<T>::get(task, &miner).and_then(|c| c.solution).is_some());
	}

	#[benchmark]
	fn rate_solution() {
		let (publisher, task, miners) = judging::<T>(1);
		let miner = miners[0].clone();
		let outcome = ValidationOutcome {
			solutions: alloc::vec![tos_primitives::JudgedSolution {
				miner: miner.clone(),
				score: Default::default(),
				fate: SolutionFate::Judged { group: 0 },
			}],
			validators: Vec::new(),
			judged: false,
		};
		<Pallet<T> as TaskPhases<_>>::judged(task, &outcome);
		#[extrinsic_call]
		_(RawOrigin::Signed(publisher), task, miner.clone(), Score::MAX);
		assert!(Ratings::<T>::contains_key(task, &miner));
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, T::DefaultParams::get());
		Ok(())
	}

	#[benchmark]
	fn on_deadline(s: Linear<1, { T::MaxSolutions::get() }>) {
		// the hook's one due deadline: a reveal window's close with `s` commitments and no
		// reveal, every bond forfeited
		let (_, task) = published::<T>();
		for i in 0..s {
			committed::<T>(task, i);
		}
		Tasks::<T>::mutate(task, |t| {
			if let Some(t) = t {
				t.status = TaskStatus::Reveal;
			}
		});
		let at = Tasks::<T>::get(task).expect("published").reveal_end;
		due_alone::<T>(task, at);
		#[block]
		{
			Pallet::<T>::on_initialize(at);
		}
		assert!(matches!(
			Tasks::<T>::get(task).map(|t| t.status),
			Some(TaskStatus::Expired { .. })
		));
	}

	#[benchmark]
	fn clean_up(s: Linear<1, { T::MaxSolutions::get() }>) {
		// the hook's one due deadline: a settled task's retention ends, with `s` commitments,
		// each miner's pay vesting and released now
		let (_, task, miners) = judging::<T>(s);
		<Pallet<T> as TaskPhases<_>>::judged(task, &all_winning::<T>(&miners, Vec::new()));
		assert_eq!(Unvested::<T>::iter_prefix(task).count() as u32, s, "every miner paid");
		let Some(TaskStatus::Settled { at }) = Tasks::<T>::get(task).map(|t| t.status) else {
			panic!("settled");
		};
		let at = at.saturating_add(Pallet::<T>::params().retention);
		due_alone::<T>(task, at);
		#[block]
		{
			Pallet::<T>::on_initialize(at);
		}
		assert!(Tasks::<T>::get(task).is_none());
		assert_eq!(Unvested::<T>::iter_prefix(task).count(), 0);
	}

	#[benchmark]
	fn settle(s: Linear<1, { T::MaxSolutions::get() }>, v: Linear<0, 21>) {
		// `s` revealed solutions, all winning, and `v` validators (up to the runtime's largest
		// panel): every one paid
		let (_, task, miners) = judging::<T>(s);
		let validators: Vec<T::AccountId> = (0..v).map(|i| funded::<T>("validator", i)).collect();
		let outcome = all_winning::<T>(&miners, validators);
		#[block]
		{
			<Pallet<T> as TaskPhases<_>>::judged(task, &outcome);
		}
		assert!(matches!(
			Tasks::<T>::get(task).map(|t| t.status),
			Some(TaskStatus::Settled { .. })
		));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
