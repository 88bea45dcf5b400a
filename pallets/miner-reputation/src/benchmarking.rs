//! Benchmarks (frame-benchmarking v2) of every call, each at its worst case.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOrigin, Get};
use frame_system::RawOrigin;

fn funded<T: Config>(name: &'static str) -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let who: T::AccountId = account(name, 0, 0);
	let amount = Pallet::<T>::params().min_bond.saturating_mul(1_000u32.into());
	T::Currency::set_balance(&who, amount.saturating_add(amount));
	who
}

fn registered<T: Config>(name: &'static str) -> T::AccountId
where
	T::Currency: Mutate<T::AccountId>,
{
	let who = funded::<T>(name);
	let bond = Pallet::<T>::params().min_bond.saturating_mul(100u32.into());
	Pallet::<T>::register_miner(RawOrigin::Signed(who.clone()).into(), all(), bond)
		.expect("a funded account registers");
	who
}

fn all() -> SpecializationSet {
	SpecializationSet::from_types(&TaskType::ALL)
}

#[benchmarks(where T::Currency: Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_miner() {
		let who = funded::<T>("miner");
		let bond = Pallet::<T>::params().min_bond;
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), all(), bond);
		assert!(Miners::<T>::contains_key(&who));
	}

	#[benchmark]
	fn update_specializations() {
		let who = registered::<T>("miner");
		let one = SpecializationSet::from_types(&[TaskType::CodeGeneration]);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), one);
		assert_eq!(Miners::<T>::get(&who).map(|m| m.specializations), Some(one));
	}

	#[benchmark]
	fn bond_extra() {
		let who = registered::<T>("miner");
		let amount = Pallet::<T>::params().min_bond;
		#[extrinsic_call]
		_(RawOrigin::Signed(who), amount);
	}

	#[benchmark]
	fn unbond() {
		let who = registered::<T>("miner");
		// worst case: one chunk short of the limit
		for _ in 0..<MaxUnlockingChunks as Get<u32>>::get() - 1 {
			Pallet::<T>::unbond(RawOrigin::Signed(who.clone()).into(), 1u32.into())
				.expect("bond is plenty");
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(who), 1u32.into());
	}

	#[benchmark]
	fn withdraw_unbonded() {
		let who = registered::<T>("miner");
		// worst case: every chunk ripe at once, and the miner leaves
		let bond = Miners::<T>::get(&who).expect("registered").bond;
		let chunks: u32 = <MaxUnlockingChunks as Get<u32>>::get();
		let part = bond / chunks.into();
		for i in 0..chunks {
			let amount = if i + 1 == chunks {
				bond.saturating_sub(part * (chunks - 1).into())
			} else {
				part
			};
			Pallet::<T>::unbond(RawOrigin::Signed(who.clone()).into(), amount).ok();
		}
		let later = frame_system::Pallet::<T>::block_number()
			.saturating_add(Pallet::<T>::params().unbonding_delay);
		frame_system::Pallet::<T>::set_block_number(later);
		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()));
	}

	#[benchmark]
	fn set_params() -> Result<(), BenchmarkError> {
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let params = T::DefaultParams::get();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
