//! Benchmarks (frame-benchmarking v2) of every call, the hook at an era boundary, and the
//! settlement of a task with the most solutions and validators.

use super::*;
use frame_benchmarking::v2::*;
use frame_system::RawOrigin;
use tos_primitives::{JudgedSolution, Score, SolutionScore, ValidatorResult};

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn claim_rewards() {
		let who: T::AccountId = account("miner", 0, 0);
		T::Currency::set_balance(&who, T::Currency::minimum_balance());
		let pot = Pallet::<T>::pot();
		let amount = T::Currency::minimum_balance().saturating_mul(1_000u32.into());
		T::Currency::set_balance(&pot, amount.saturating_add(T::Currency::minimum_balance()));
		TotalEmitted::<T>::put(amount);
		EraPools::<T>::insert(
			0,
			EraPool {
				miners: amount,
				validators: Zero::zero(),
				miner_points: 2,
				validator_points: 0,
			},
		);
		EraPoints::<T>::insert(0, &who, (1u128, 0u128));
		frame_system::Pallet::<T>::set_block_number(T::EraLength::get());
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), 0);
		assert!(!EraPoints::<T>::contains_key(0, &who));
	}

	#[benchmark]
	fn set_split() -> Result<(), BenchmarkError> {
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let split = RewardSplit {
			participant_min: Score::new(31).unwrap_or_default(),
			..Default::default()
		};
		// the worst case: a real change, the history full, its oldest entry dropped
		let old = RewardSplit::default();
		let full = (0..crate::SPLIT_HISTORY).map(|i| (i.into(), old)).collect::<Vec<_>>();
		SplitHistory::<T>::put(BoundedVec::truncate_from(full));
		frame_system::Pallet::<T>::set_block_number(crate::SPLIT_HISTORY.into());
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, split);
		assert_eq!(Split::<T>::get(), Some(split));
		assert_eq!(SplitHistory::<T>::get().first().map(|(until, _)| *until), Some(1u32.into()));
		Ok(())
	}

	#[benchmark]
	fn on_initialize() {
		// the first block of an era, ending the last: both sides mint and pass an offer on
		let now = T::EraLength::get();
		let offer = T::Currency::minimum_balance().saturating_mul(1_000u32.into());
		let points: u128 = T::Currency::minimum_balance().saturated_into();
		EraPools::<T>::insert(
			0,
			EraPool {
				miners: offer,
				validators: offer,
				miner_points: points,
				validator_points: points,
			},
		);
		frame_system::Pallet::<T>::set_block_number(now);
		#[block]
		{
			Pallet::<T>::on_initialize(now);
		}
		assert!(!TotalEmitted::<T>::get().is_zero());
	}

	#[benchmark]
	fn settle(s: Linear<1, { T::MaxSolutions::get() }>, v: Linear<1, { T::MaxValidators::get() }>) {
		// the worst case for finding the task's split: a full history, none of it for this
		// task (all of it ended by block 0), so every entry is read and then the split in force
		let kept = (0..crate::SPLIT_HISTORY).map(|_| (0u32.into(), RewardSplit::default()));
		SplitHistory::<T>::put(BoundedVec::truncate_from(kept.collect::<Vec<_>>()));
		let solvers: Vec<T::AccountId> = (0..s).map(|i| account("miner", i, 0)).collect();
		let outcome = ValidationOutcome {
			solutions: solvers
				.iter()
				.map(|w| JudgedSolution {
					miner: w.clone(),
					score: SolutionScore { quality: Score::MAX, innovation: Score::MAX },
					// every solution a copy of the first: the group sizes cost the most
					fate: SolutionFate::Judged { group: 0 },
				})
				.collect(),
			validators: (0..v)
				.map(|i| ValidatorResult {
					validator: account("validator", i, 0),
					accuracy: Score::MAX,
					pay_weight: 1,
				})
				.collect(),
			judged: true,
		};
		let terms = SettlementTerms {
			published_at: Zero::zero(),
			reward: T::Currency::minimum_balance().saturating_mul(1_000_000u32.into()),
			quality_threshold: Score::default(),
		};
		let early: Vec<_> = solvers.iter().map(|w| (w.clone(), Perbill::one())).collect();
		let payouts;
		#[block]
		{
			payouts = <Pallet<T> as RewardPolicy<_, _, _>>::split_escrow(&terms, &early, &outcome);
			<Pallet<T> as RewardPolicy<_, _, _>>::note_work(&outcome, true, terms.reward);
		}
		assert_eq!(payouts.winners, s);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
