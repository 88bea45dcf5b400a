//! `UpgradeProbe` (only in the `upgrade-test` build): one call, `probe`, that anyone may make
//! and that only emits [`Event::Probed`]. Its presence in the metadata shows that an upgrade
//! to the test runtime took effect.

pub use pallet::*;

#[frame_support::pallet]
pub mod pallet {
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` probed the upgraded runtime.
		Probed {
			/// The caller.
			who: T::AccountId,
		},
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Emits [`Event::Probed`]; nothing else.
		#[pallet::call_index(0)]
		#[pallet::weight(Weight::from_parts(10_000_000, 0))]
		pub fn probe(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::deposit_event(Event::Probed { who });
			Ok(())
		}
	}
}
