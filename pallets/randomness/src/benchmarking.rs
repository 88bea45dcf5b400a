//! Benchmarks of the hook: a block's VRF verified and folded in (the fixed vector of
//! [`crate::vector`], as a runtime cannot sign), and the first block after an upgrade.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::Hooks;
use sp_runtime::generic::{Digest, DigestItem};

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn on_initialize() {
		T::BenchmarkHelper::set_authorities(alloc::vec![Public::from_raw(vector::AUTHORITY)]);
		Accumulator::<T>::put(H256(vector::RANDOMNESS));
		let digest = Digest {
			logs: alloc::vec![
				DigestItem::PreRuntime(*b"aura", codec::Encode::encode(&vector::SLOT)),
				DigestItem::PreRuntime(tos_primitives::vrf::ENGINE_ID, vector::SIGNATURE.to_vec()),
			],
		};
		let n: BlockNumberFor<T> = 1u32.into();
		frame_system::Pallet::<T>::initialize(&n, &Default::default(), &digest);

		#[block]
		{
			Pallet::<T>::on_initialize(n);
		}

		assert_ne!(Accumulator::<T>::get(), Some(H256(vector::RANDOMNESS)));
	}

	#[benchmark]
	fn on_initialize_first() {
		Accumulator::<T>::kill();
		let n: BlockNumberFor<T> = 1u32.into();

		#[block]
		{
			Pallet::<T>::on_initialize(n);
		}

		assert!(Accumulator::<T>::get().is_some());
	}

	impl_benchmark_test_suite!(Pallet, crate::tests::new_test_ext(), crate::tests::Test);
}
