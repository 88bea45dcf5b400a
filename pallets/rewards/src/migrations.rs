//! Storage migrations.
//!
//! - [`v1`]: emission follows value. The eras up to the one of the upgrade keep the rules
//!   they began under (emission minted block by block, shared by quality points); the next
//!   era is the first whose emission is bounded by what its tasks burned, and the work judged
//!   in the rest of the upgrade's era earns points in it (points of the two kinds are never
//!   mixed in one era).

use super::*;
use frame_support::{migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade};

/// Version 0 → 1.
pub mod v1 {
	use super::*;

	/// Sets [`ValueErasFrom`] to the era after the current one.
	pub struct Inner<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for Inner<T> {
		fn on_runtime_upgrade() -> Weight {
			let era = Pallet::<T>::era_of(frame_system::Pallet::<T>::block_number());
			ValueErasFrom::<T>::put(era.saturating_add(1));
			T::DbWeight::get().reads_writes(1, 1)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let era = Pallet::<T>::era_of(frame_system::Pallet::<T>::block_number());
			frame_support::ensure!(
				ValueErasFrom::<T>::get() == era.saturating_add(1),
				"the next era is the first value era"
			);
			Ok(())
		}
	}

	/// The migration, run once (storage version 0 → 1).
	pub type MigrateToV1<T> = VersionedMigration<
		0,
		1,
		Inner<T>,
		crate::pallet::Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
