//! # TOS governance
//!
//! The chain-specific part of governance: the origins that referenda on TOS's own tracks
//! dispatch with, and how fast those referenda run.
//!
//! ## Overview
//!
//! Token holders decide by referendum (`pallet-referenda` with `pallet-conviction-voting`).
//! Each referendum runs on a *track*, and a track is chosen by the origin its proposal will be
//! dispatched with. Besides Root (runtime upgrades, anything else), the AI-mining pallets
//! need three narrower powers, each of which is an [`Origin`] of this pallet:
//!
//! - [`Origin::Parameters`]: change the economic parameters of the AI-mining pallets;
//! - [`Origin::Certification`]: certify or decertify expert validators;
//! - [`Origin::Adjudication`]: confirm or dismiss fraud reports.
//!
//! A passed referendum on, say, the parameters track dispatches its call with
//! `Origin::Parameters`; the pallets accept it through [`EnsureParameters`] (and
//! [`EnsureCertification`], [`EnsureAdjudication`]), which the runtime combines with Root and
//! the expert council.
//!
//! The [`Speed`] of governance is chosen at genesis: development and local chains use
//! [`GovernanceSpeed::Fast`], so that a referendum passes in minutes; production chains use
//! [`GovernanceSpeed::Normal`] (the default), with periods of days. The runtime's referenda
//! track table and its other governance periods read it through [`Pallet::speed`] or
//! [`BySpeed`].
//!
//! ## Calls
//!
//! None. The speed is set in the genesis config (`"governance": { "speed": "Fast" }`); a
//! running chain can change it only by Root writing the storage item.
//!
//! ## Design notes
//!
//! - The referenda pallet exposes its tracks as a metadata constant, and the other pallets'
//!   periods are constants too, so they are read when metadata is built. In the Wasm runtime
//!   there is always state to read; a native (`std`) build can build metadata outside any
//!   externalities (tests do), where reading storage would panic, so [`Pallet::speed`]
//!   answers `Normal` there.
//! - Changing the speed on a running chain changes the periods of referenda already under
//!   way; it is meant for test chains only.

#![cfg_attr(not(feature = "std"), no_std)]

pub use pallet::*;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::marker::PhantomData;
use frame_support::traits::Get;
use scale_info::TypeInfo;

/// How long referenda and the other governance periods last.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum GovernanceSpeed {
	/// Development and local chains: periods of blocks and minutes.
	#[codec(index = 0)]
	Fast,
	/// Production chains: periods of hours and days.
	#[default]
	#[codec(index = 1)]
	Normal,
}

#[frame_support::pallet]
pub mod pallet {
	use super::GovernanceSpeed;
	use frame_support::pallet_prelude::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Nothing to configure: the origins are fixed and the speed is a genesis choice.
	#[pallet::config]
	pub trait Config: frame_system::Config {}

	/// The governance speed of this chain, set at genesis; `Normal` if never set.
	#[pallet::storage]
	pub type Speed<T> = StorageValue<_, GovernanceSpeed, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `Fast` for development and local chains; `Normal`, the default, for production.
		pub speed: GovernanceSpeed,
		#[serde(skip)]
		#[allow(missing_docs)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Speed::<T>::put(self.speed);
		}
	}

	/// The origins that referenda on TOS's own tracks dispatch with.
	#[derive(
		PartialEq,
		Eq,
		Clone,
		Copy,
		MaxEncodedLen,
		Encode,
		Decode,
		DecodeWithMemTracking,
		TypeInfo,
		Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// A referendum on the parameters track passed: may change the economic parameters of
		/// the AI-mining pallets.
		#[codec(index = 0)]
		Parameters,
		/// A referendum on the certification track passed: may certify and decertify expert
		/// validators.
		#[codec(index = 1)]
		Certification,
		/// A referendum on the adjudication track passed: may confirm and dismiss fraud
		/// reports.
		#[codec(index = 2)]
		Adjudication,
	}

	/// Declares, for each listed variant of [`Origin`], a unit struct that implements
	/// `EnsureOrigin` by accepting exactly that variant (as polkadot's
	/// `pallet_custom_origins` does). The origin is inspected through `caller()`, so the
	/// call filter of an accepted origin is kept.
	macro_rules! decl_unit_ensures {
		( $( $(#[$doc:meta])* $name:ident => $variant:ident ),* $(,)? ) => { $(
			$(#[$doc])*
			pub struct $name;
			impl<O: OriginTrait + From<Origin>> EnsureOrigin<O> for $name
			where
				for<'a> &'a O::PalletsOrigin: TryInto<&'a Origin>,
			{
				type Success = ();

				fn try_origin(o: O) -> Result<Self::Success, O> {
					match o.caller().try_into() {
						Ok(Origin::$variant) => return Ok(()),
						_ => (),
					}
					Err(o)
				}

				#[cfg(feature = "runtime-benchmarks")]
				fn try_successful_origin() -> Result<O, ()> {
					Ok(O::from(Origin::$variant))
				}
			}
		)* };
	}

	decl_unit_ensures! {
		/// Accepts [`Origin::Parameters`] only.
		EnsureParameters => Parameters,
		/// Accepts [`Origin::Certification`] only.
		EnsureCertification => Certification,
		/// Accepts [`Origin::Adjudication`] only.
		EnsureAdjudication => Adjudication,
	}

	impl<T: Config> Pallet<T> {
		/// The chain's governance speed: [`Speed`], or `Normal` where there is no state to
		/// read (native code outside externalities, such as metadata built by a test).
		pub fn speed() -> GovernanceSpeed {
			if crate::has_externalities() {
				Speed::<T>::get()
			} else {
				GovernanceSpeed::Normal
			}
		}
	}
}

/// A `Get` whose value follows the chain's governance speed: `Fast::get()` on a fast chain,
/// `Normal::get()` otherwise. For the runtime's periods, e.g.
/// `type UndecidingTimeout = BySpeed<Runtime, ConstU32<300>, ConstU32<201_600>>;`.
pub struct BySpeed<T, Fast, Normal>(PhantomData<(T, Fast, Normal)>);

impl<T: Config, V, Fast: Get<V>, Normal: Get<V>> Get<V> for BySpeed<T, Fast, Normal> {
	fn get() -> V {
		match Pallet::<T>::speed() {
			GovernanceSpeed::Fast => Fast::get(),
			GovernanceSpeed::Normal => Normal::get(),
		}
	}
}

/// Whether storage can be read. Wasm runtime code always runs with state behind it.
#[cfg(not(feature = "std"))]
fn has_externalities() -> bool {
	true
}

/// Whether storage can be read: native code may run outside externalities.
#[cfg(feature = "std")]
fn has_externalities() -> bool {
	sp_externalities::with_externalities(|_| ()).is_some()
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate as pallet_tos_governance;
	use frame_support::{
		derive_impl,
		traits::{ConstU32, EnsureOrigin},
	};
	use sp_runtime::BuildStorage;

	type Block = frame_system::mocking::MockBlock<Test>;

	#[frame_support::runtime]
	mod runtime {
		#[runtime::runtime]
		#[runtime::derive(
			RuntimeCall,
			RuntimeEvent,
			RuntimeError,
			RuntimeOrigin,
			RuntimeFreezeReason,
			RuntimeHoldReason,
			RuntimeSlashReason,
			RuntimeLockId,
			RuntimeTask,
			RuntimeViewFunction
		)]
		pub struct Test;

		#[runtime::pallet_index(0)]
		pub type System = frame_system;
		#[runtime::pallet_index(1)]
		pub type Governance = pallet_tos_governance;
	}

	#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
	impl frame_system::Config for Test {
		type Block = Block;
	}

	impl Config for Test {}

	/// One for a fast chain, two for a normal one.
	type OneIfFast = BySpeed<Test, ConstU32<1>, ConstU32<2>>;

	fn new_test_ext(speed: GovernanceSpeed) -> sp_io::TestExternalities {
		let storage = RuntimeGenesisConfig {
			governance: GenesisConfig { speed, ..Default::default() },
			..Default::default()
		}
		.build_storage()
		.expect("the genesis config builds");
		sp_io::TestExternalities::new(storage)
	}

	#[test]
	fn genesis_sets_the_speed() {
		new_test_ext(GovernanceSpeed::Fast).execute_with(|| {
			assert_eq!(Governance::speed(), GovernanceSpeed::Fast);
			assert_eq!(<OneIfFast as Get<u32>>::get(), 1);
		});
		new_test_ext(GovernanceSpeed::Normal).execute_with(|| {
			assert_eq!(Governance::speed(), GovernanceSpeed::Normal);
			assert_eq!(<OneIfFast as Get<u32>>::get(), 2);
		});
	}

	#[test]
	fn speed_is_normal_when_never_set() {
		sp_io::TestExternalities::default().execute_with(|| {
			assert_eq!(Speed::<Test>::get(), GovernanceSpeed::Normal);
			assert_eq!(Governance::speed(), GovernanceSpeed::Normal);
		});
	}

	#[test]
	fn speed_is_normal_outside_externalities() {
		// as when a test builds the runtime's metadata natively
		assert_eq!(Governance::speed(), GovernanceSpeed::Normal);
		assert_eq!(<OneIfFast as Get<u32>>::get(), 2);
	}

	#[test]
	fn genesis_json_names_the_speed() {
		let config: GenesisConfig<Test> =
			serde_json::from_str(r#"{ "speed": "Fast" }"#).expect("a valid patch");
		assert_eq!(config.speed, GovernanceSpeed::Fast);
		assert!(serde_json::from_str::<GenesisConfig<Test>>(r#"{ "speed": "Slow" }"#).is_err());
	}

	#[test]
	fn each_ensure_accepts_its_own_origin_only() {
		let custom = |o: Origin| RuntimeOrigin::from(o);

		assert!(EnsureParameters::try_origin(custom(Origin::Parameters)).is_ok());
		assert!(EnsureCertification::try_origin(custom(Origin::Certification)).is_ok());
		assert!(EnsureAdjudication::try_origin(custom(Origin::Adjudication)).is_ok());

		assert!(EnsureParameters::try_origin(custom(Origin::Certification)).is_err());
		assert!(EnsureCertification::try_origin(custom(Origin::Adjudication)).is_err());
		assert!(EnsureAdjudication::try_origin(custom(Origin::Parameters)).is_err());
		for other in [RuntimeOrigin::root(), RuntimeOrigin::signed(1), RuntimeOrigin::none()] {
			assert!(EnsureParameters::try_origin(other).is_err());
		}
	}
}
