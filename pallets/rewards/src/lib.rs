//! # Rewards
//!
//! Pays for useful work: the escrow of each judged task, and a mining emission shared per era.
//!
//! ## Settling a task
//!
//! When a task's judgement is final ([`OnValidated`], from the validation pallet), its escrow
//! `R` is split by the [`RewardSplit`] in basis points that was in force when the task was
//! published (a change reaches the tasks published after it: those already open keep the terms
//! their miners committed to). Governance may change the split within bounds (they must add up
//! to exactly 10 000):
//!
//! | part | default | bounds | paid to |
//! |---|---|---|---|
//! | quality | 40 % | winners 60–70 % together | winners, by consensus quality |
//! | innovation | 20 % | | winners, by consensus innovation |
//! | time efficiency | 10 % | | winners, by how early in the commit window they committed |
//! | participants | 12.5 % | 10–15 % | other solutions scoring at least the minimum, by quality |
//! | validators | 12.5 % | 10–15 % | validators who revealed, by accuracy × panel weight |
//! | network fee | 5 % | 5–10 % | the treasury |
//!
//! *Winners* are the solutions whose consensus quality reaches the task's threshold. If no
//! validator judged at all (none certified, or none revealed), the publisher gets the whole
//! escrow back. Each part
//! is `R × bps / 10 000` rounded down and shared pro rata rounded down
//! (`tos_primitives::scoring::pro_rata`); every remainder — rounding, a part nobody qualifies
//! for — goes to the treasury with the network fee, so exactly `R` leaves the escrow. If no
//! solution wins, the publisher gets `R` back less the network fee. The money moves inside the
//! task pallet ([`TaskSettlement`]), from the publisher's escrow hold.
//!
//! ## Mining emission
//!
//! Every block mints `InitialEmission >> (block / HalvingInterval)` — halving every interval,
//! so the emission never exceeds `2 × InitialEmission × HalvingInterval` in all — into the
//! pallet's pot account, and never past [`Config::MaxSupply`] of total issuance (the last
//! mint is cut to fit, then nothing). The runtime mints 1 TOS per block halving every four
//! years (at most 42 million TOS), under a cap of one billion TOS.
//!
//! Each era (`EraLength` blocks) the minted amount is split: [`Config::MinerShare`] to miners,
//! in proportion to the consensus quality of their solutions that scored at least the
//! participant minimum, the rest to validators, in proportion to their accuracy, summed over
//! the era's settled tasks. After the era, each account pulls its share with
//! [`claim_rewards`](Pallet::claim_rewards) — one account per call, so no hook ever loops over
//! accounts. A side of an era nobody earned in rolls over to the next era. Rounding dust stays
//! in the pot.
//!
//! ## Calls
//!
//! - [`claim_rewards`](Pallet::claim_rewards): by a miner or validator with points in an era;
//! - [`set_split`](Pallet::set_split): by the parameters origin.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::{DepositConsequence, Preservation, Provenance},
	},
	PalletId,
};
use frame_system::pallet_prelude::*;
use sp_runtime::{
	traits::{AccountIdConversion, SaturatedConversion, Saturating, Zero},
	Perbill,
};
use tos_primitives::{
	scoring::{pro_rata, share_of},
	BasisPoints, OnValidated, Score, TaskId, TaskSettlement, ValidationOutcome, BASIS_POINTS_WHOLE,
};

/// A balance of the currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// Sets up what the benchmarks need from the task pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// A task being judged with `solutions` revealed solutions: its id and solvers.
	fn judged_task(solutions: u32) -> (TaskId, Vec<AccountId>);
}

/// Who is paid how much from a task's escrow.
pub type PayoutsOf<T> = Vec<(<T as frame_system::Config>::AccountId, BalanceOf<T>)>;

/// How many replaced splits are remembered for the tasks published under them: a task lives
/// for hundreds of blocks, a change of split takes a referendum, so eight is plenty; past it
/// the oldest is forgotten (its tasks would be paid by the next one).
pub const SPLIT_HISTORY: u32 = 8;

/// An era's number: `block / EraLength`.
pub type EraIndex = u32;

/// How a settled task's escrow is shared, in basis points (they add up to 10 000).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct RewardSplit {
	/// Winners, by consensus quality.
	pub quality: BasisPoints,
	/// Winners, by consensus innovation.
	pub innovation: BasisPoints,
	/// Winners, by how early they committed.
	pub time: BasisPoints,
	/// Other solutions at or above `participant_min`, by quality.
	pub participants: BasisPoints,
	/// Validators who revealed, by accuracy × weight.
	pub validators: BasisPoints,
	/// The treasury.
	pub network: BasisPoints,
	/// The least consensus quality a non-winning solution needs to share the participants'
	/// part (and to earn emission points).
	pub participant_min: Score,
}

impl Default for RewardSplit {
	/// 40 / 20 / 10 to winners, 12.5 % to participants scoring at least 30, 12.5 % to
	/// validators, 5 % to the network.
	fn default() -> Self {
		Self {
			quality: 4_000,
			innovation: 2_000,
			time: 1_000,
			participants: 1_250,
			validators: 1_250,
			network: 500,
			participant_min: Score::new(30).unwrap_or_default(),
		}
	}
}

impl RewardSplit {
	/// Whether the parts are within their bounds and add up to the whole.
	pub fn is_valid(&self) -> bool {
		let winners = u32::from(self.quality) + u32::from(self.innovation) + u32::from(self.time);
		let total = winners
			+ u32::from(self.participants)
			+ u32::from(self.validators)
			+ u32::from(self.network);
		(6_000..=7_000).contains(&winners)
			&& (1_000..=1_500).contains(&self.participants)
			&& (1_000..=1_500).contains(&self.validators)
			&& (500..=1_000).contains(&self.network)
			&& total == u32::from(BASIS_POINTS_WHOLE)
			&& self.participant_min.is_valid()
	}
}

/// What an era's emission pool holds and how many points share it.
#[derive(Clone, Copy, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct EraPool<Balance> {
	/// Minted for miners.
	pub miners: Balance,
	/// Minted for validators.
	pub validators: Balance,
	/// Miners' points earned in the era.
	pub miner_points: u128,
	/// Validators' points earned in the era.
	pub validator_points: u128,
}

/// An account's points in an era: (as a miner, as a validator).
pub type Points = (u128, u128);

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The pallet's configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency minted and paid.
		type Currency: Mutate<Self::AccountId>;
		/// Where escrows are held and paid from.
		type Tasks: TaskSettlement<Self::AccountId, BalanceOf<Self>, BlockNumberFor<Self>>;
		/// Who may change the split.
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Where the network fee and remainders go.
		#[pallet::constant]
		type Treasury: Get<Self::AccountId>;
		/// Names the emission pot's account.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Blocks per emission era.
		#[pallet::constant]
		type EraLength: Get<BlockNumberFor<Self>>;
		/// The emission of the first blocks.
		#[pallet::constant]
		type InitialEmission: Get<BalanceOf<Self>>;
		/// Blocks between halvings of the emission.
		#[pallet::constant]
		type HalvingInterval: Get<BlockNumberFor<Self>>;
		/// Total issuance never grows past this by emission.
		#[pallet::constant]
		type MaxSupply: Get<BalanceOf<Self>>;
		/// The miners' share of each era's emission (validators get the rest).
		#[pallet::constant]
		type MinerShare: Get<Perbill>;
		/// The split at genesis (`frame_support::traits::GetDefault` for [`RewardSplit::default`]).
		type DefaultSplit: Get<RewardSplit>;
		/// Weights of the calls and the hook, from benchmarks.
		type WeightInfo: WeightInfo;
		/// Makes judged tasks for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
		/// The most solutions of a task (for the settlement benchmark's range).
		#[pallet::constant]
		type MaxSolutions: Get<u32>;
		/// The most validators paid for one task (for the settlement benchmark's range).
		#[pallet::constant]
		type MaxValidators: Get<u32>;
	}

	/// The split in force.
	#[pallet::storage]
	pub type Split<T: Config> = StorageValue<_, RewardSplit, OptionQuery>;

	/// The splits replaced by [`Pallet::set_split`], oldest first, each with the block from
	/// which it no longer applied: tasks published before that block are paid by it.
	#[pallet::storage]
	pub type SplitHistory<T: Config> = StorageValue<
		_,
		BoundedVec<(BlockNumberFor<T>, RewardSplit), ConstU32<SPLIT_HISTORY>>,
		ValueQuery,
	>;

	/// Each era's emission and points.
	#[pallet::storage]
	pub type EraPools<T: Config> = StorageMap<_, Twox64Concat, EraIndex, EraPool<BalanceOf<T>>>;

	/// Each account's unclaimed points per era.
	#[pallet::storage]
	pub type EraPoints<T: Config> =
		StorageDoubleMap<_, Twox64Concat, EraIndex, Blake2_128Concat, T::AccountId, Points>;

	/// Everything minted by emission so far.
	#[pallet::storage]
	pub type TotalEmitted<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Everything claimed from the pot so far.
	#[pallet::storage]
	pub type TotalClaimed<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Genesis writes the default split and opens the pot with the existential deposit.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		#[serde(skip)]
		#[allow(missing_docs)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Split::<T>::put(T::DefaultSplit::get());
			let pot = Pallet::<T>::pot();
			if T::Currency::balance(&pot).is_zero() {
				let _ = T::Currency::mint_into(&pot, T::Currency::minimum_balance());
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A judged task's escrow was shared out.
		TaskRewarded {
			task_id: TaskId,
			winners: u32,
			paid: BalanceOf<T>,
			to_treasury: BalanceOf<T>,
		},
		/// Nothing won: the publisher got the escrow back less the network fee.
		TaskRefunded { task_id: TaskId, refunded: BalanceOf<T>, fee: BalanceOf<T> },
		/// An account was paid from a task's escrow.
		RewardPaid { task_id: TaskId, who: T::AccountId, amount: BalanceOf<T> },
		/// An account claimed its share of an era's emission.
		EmissionClaimed { era: EraIndex, who: T::AccountId, amount: BalanceOf<T> },
		/// Governance changed the split.
		SplitUpdated { split: RewardSplit },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The era is not over yet.
		EraNotOver,
		/// The account has nothing to claim in that era.
		NothingToClaim,
		/// The split is out of bounds or does not add up to 10 000.
		InvalidSplit,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::emit(now);
			T::WeightInfo::on_initialize()
		}

		fn integrity_test() {
			assert!(!T::EraLength::get().is_zero(), "eras last at least a block");
			assert!(!T::HalvingInterval::get().is_zero(), "halvings need an interval");
			assert!(T::DefaultSplit::get().is_valid(), "the default split is valid");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Pays the caller its share of era `era`'s emission: as a miner and as a validator,
		/// in proportion to its points.
		///
		/// Origin: signed. Emits [`Event::EmissionClaimed`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::claim_rewards())]
		pub fn claim_rewards(origin: OriginFor<T>, era: EraIndex) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(
				era < Self::era_of(frame_system::Pallet::<T>::block_number()),
				Error::<T>::EraNotOver
			);
			let points = EraPoints::<T>::take(era, &who).ok_or(Error::<T>::NothingToClaim)?;
			let amount = Self::era_share(era, points);
			ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
			T::Currency::transfer(&Self::pot(), &who, amount, Preservation::Preserve)?;
			TotalClaimed::<T>::mutate(|total| total.saturating_accrue(amount));
			Self::deposit_event(Event::EmissionClaimed { era, who, amount });
			Ok(())
		}

		/// Replaces the split for the tasks published from this block on; tasks published
		/// before it keep the split they were published under. (Enacted by a referendum, the
		/// change comes before the block's transactions; dispatched by a transaction, it
		/// also reaches the tasks published earlier in the same block.)
		///
		/// Origin: [`Config::ParamsOrigin`]. Emits [`Event::SplitUpdated`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_split())]
		pub fn set_split(origin: OriginFor<T>, split: RewardSplit) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			ensure!(split.is_valid(), Error::<T>::InvalidSplit);
			let (now, current) = (frame_system::Pallet::<T>::block_number(), Self::split());
			if split != current {
				SplitHistory::<T>::mutate(|history| {
					// a second change in one block: the split in force before the block is
					// kept already, and the one in between never paid anybody
					if history.last().is_some_and(|(until, _)| *until == now) {
						return;
					}
					if history.is_full() {
						history.remove(0);
					}
					// cannot fail: there is room now
					let _ = history.try_push((now, current));
				});
			}
			Split::<T>::put(split);
			Self::deposit_event(Event::SplitUpdated { split });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The emission pot's account.
	pub fn pot() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// The split in force.
	pub fn split() -> RewardSplit {
		Split::<T>::get().unwrap_or_else(T::DefaultSplit::get)
	}

	/// The split that pays a task published in block `published_at`: the first one replaced
	/// after that block, or the one in force.
	pub fn split_for(published_at: BlockNumberFor<T>) -> RewardSplit {
		SplitHistory::<T>::get()
			.into_iter()
			.find(|(until, _)| *until > published_at)
			.map_or_else(Self::split, |(_, split)| split)
	}

	/// What `points` (as a miner, as a validator) earn of era `era`'s emission.
	pub fn era_share(era: EraIndex, (miner, validator): Points) -> BalanceOf<T> {
		let pool = EraPools::<T>::get(era).unwrap_or_default();
		let share = |pot: BalanceOf<T>, points: u128, total: u128| {
			share_of(pot.saturated_into(), points.min(total), total)
		};
		share(pool.miners, miner, pool.miner_points)
			.saturating_add(share(pool.validators, validator, pool.validator_points))
			.saturated_into()
	}

	/// The era block `n` is in.
	pub fn era_of(n: BlockNumberFor<T>) -> EraIndex {
		(n / T::EraLength::get()).saturated_into()
	}

	/// What the schedule mints in block `n`, before the supply cap.
	pub fn scheduled_emission(n: BlockNumberFor<T>) -> BalanceOf<T> {
		let halvings: u32 = (n / T::HalvingInterval::get()).saturated_into();
		let initial: u128 = T::InitialEmission::get().saturated_into();
		initial.checked_shr(halvings).unwrap_or(0).saturated_into()
	}

	/// Mints block `now`'s emission into the pot, within the cap, and rolls over what the
	/// previous era's sides had nobody to pay.
	fn emit(now: BlockNumberFor<T>) {
		let era = Self::era_of(now);
		let mut pool = EraPools::<T>::get(era).unwrap_or_default();
		if (now % T::EraLength::get()).is_zero() && era > 0 {
			EraPools::<T>::mutate(era - 1, |previous| {
				if let Some(previous) = previous.as_mut() {
					if previous.miner_points == 0 {
						pool.miners.saturating_accrue(core::mem::take(&mut previous.miners));
					}
					if previous.validator_points == 0 {
						pool.validators
							.saturating_accrue(core::mem::take(&mut previous.validators));
					}
				}
			});
		}
		let room = T::MaxSupply::get().saturating_sub(T::Currency::total_issuance());
		let amount = Self::scheduled_emission(now).min(room);
		if !amount.is_zero() && T::Currency::mint_into(&Self::pot(), amount).is_ok() {
			let miners = T::MinerShare::get() * amount;
			pool.miners.saturating_accrue(miners);
			pool.validators.saturating_accrue(amount.saturating_sub(miners));
			TotalEmitted::<T>::mutate(|total| total.saturating_accrue(amount));
		}
		if pool != EraPool::default() {
			EraPools::<T>::insert(era, pool);
		}
	}

	/// Adds points to `who` in the current era.
	fn add_points(who: &T::AccountId, miner: u128, validator: u128) {
		if miner == 0 && validator == 0 {
			return;
		}
		let era = Self::era_of(frame_system::Pallet::<T>::block_number());
		EraPoints::<T>::mutate(era, who, |points| {
			let (m, v) = points.get_or_insert((0, 0));
			*m = m.saturating_add(miner);
			*v = v.saturating_add(validator);
		});
		EraPools::<T>::mutate(era, |pool| {
			let pool = pool.get_or_insert_with(Default::default);
			pool.miner_points.saturating_accrue(miner);
			pool.validator_points.saturating_accrue(validator);
		});
	}

	/// The payouts of a judged task's escrow `reward`, and how many solutions won. Pure:
	/// nothing is moved.
	pub fn payouts(
		reward: BalanceOf<T>,
		threshold: Score,
		solvers: &[(T::AccountId, Perbill)],
		outcome: &ValidationOutcome<T::AccountId>,
		split: &RewardSplit,
	) -> (PayoutsOf<T>, u32) {
		let reward: u128 = reward.saturated_into();
		let part =
			|bps: BasisPoints| share_of(reward, u128::from(bps), u128::from(BASIS_POINTS_WHOLE));
		let (winners, others): (Vec<_>, Vec<_>) =
			outcome.solutions.iter().partition(|(_, s)| s.quality >= threshold);
		let participants: Vec<_> =
			others.into_iter().filter(|(_, s)| s.quality >= split.participant_min).collect();
		let earliness = |who: &T::AccountId| {
			solvers.iter().find(|(s, _)| s == who).map(|(_, e)| u128::from(e.deconstruct()))
		};
		// one payout per account, in account order
		let mut payouts: BTreeMap<T::AccountId, u128> = BTreeMap::new();
		let mut share = |pot: u128, recipients: Vec<(&T::AccountId, u128)>| {
			let weights: Vec<u128> = recipients.iter().map(|(_, w)| *w).collect();
			let (shares, _) = pro_rata(pot, &weights);
			for ((who, _), amount) in recipients.into_iter().zip(shares) {
				if amount > 0 {
					let total = payouts.entry(who.clone()).or_default();
					*total = total.saturating_add(amount);
				}
			}
		};
		share(
			part(split.quality),
			winners.iter().map(|(w, s)| (w, u128::from(s.quality.get()))).collect(),
		);
		share(
			part(split.innovation),
			winners.iter().map(|(w, s)| (w, u128::from(s.innovation.get()))).collect(),
		);
		share(
			part(split.time),
			winners.iter().map(|(w, _)| (w, earliness(w).unwrap_or(0))).collect(),
		);
		share(
			part(split.participants),
			participants.iter().map(|(w, s)| (w, u128::from(s.quality.get()))).collect(),
		);
		share(
			part(split.validators),
			outcome
				.validators
				.iter()
				.map(|v| (&v.validator, u128::from(v.accuracy.get()).saturating_mul(v.weight)))
				.collect(),
		);
		let payouts = payouts.into_iter().map(|(who, amount)| (who, amount.saturated_into()));
		(payouts.collect(), winners.len() as u32)
	}

	/// Checks that the pot holds exactly its opening deposit plus what was emitted less what
	/// was claimed, and that every era's points add up to its totals.
	#[cfg(any(feature = "std", feature = "try-runtime"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let expected = T::Currency::minimum_balance()
			.saturating_add(TotalEmitted::<T>::get())
			.saturating_sub(TotalClaimed::<T>::get());
		frame_support::ensure!(
			T::Currency::balance(&Self::pot()) == expected,
			"the pot differs from emitted less claimed"
		);
		for (era, pool) in EraPools::<T>::iter() {
			let (m, v) = EraPoints::<T>::iter_prefix(era)
				.fold((0u128, 0u128), |(m, v), (_, (a, b))| (m + a, v + b));
			frame_support::ensure!(
				m <= pool.miner_points && v <= pool.validator_points,
				"unclaimed points exceed the era's totals"
			);
		}
		Ok(())
	}
}

impl<T: Config> OnValidated<T::AccountId> for Pallet<T> {
	fn on_validated(task_id: TaskId, outcome: &ValidationOutcome<T::AccountId>) {
		let Some(info) = T::Tasks::settlement_info(task_id) else { return };
		let split = Self::split_for(info.published_at);
		let (payouts, winners) = if outcome.validators.is_empty() {
			(Vec::new(), 0)
		} else {
			Self::payouts(info.reward, info.quality_threshold, &info.solvers, outcome, &split)
		};
		let settled = if outcome.validators.is_empty() {
			// nobody judged (no certified validator, or none revealed): nothing is known about
			// the solutions, so the publisher gets everything back and nobody pays a fee
			T::Tasks::settle(task_id, &outcome.solutions, &[], info.reward).map(|_| {
				Self::deposit_event(Event::TaskRefunded {
					task_id,
					refunded: info.reward,
					fee: Zero::zero(),
				})
			})
		} else if winners == 0 {
			let fee: BalanceOf<T> = share_of(
				info.reward.saturated_into(),
				u128::from(split.network),
				u128::from(BASIS_POINTS_WHOLE),
			)
			.saturated_into();
			let refunded = info.reward.saturating_sub(fee);
			T::Tasks::settle(task_id, &outcome.solutions, &[], refunded)
				.map(|_| Self::deposit_event(Event::TaskRefunded { task_id, refunded, fee }))
		} else {
			// what an account cannot receive (reaped, and less than the existential deposit)
			// stays in the escrow and goes to the treasury
			let payouts: Vec<_> = payouts
				.into_iter()
				.filter(|(who, amount)| {
					T::Currency::can_deposit(who, *amount, Provenance::Extant)
						== DepositConsequence::Success
				})
				.collect();
			T::Tasks::settle(task_id, &outcome.solutions, &payouts, Zero::zero()).map(
				|to_treasury| {
					let paid = info.reward.saturating_sub(to_treasury);
					for (who, amount) in payouts {
						Self::deposit_event(Event::RewardPaid { task_id, who, amount });
					}
					Self::deposit_event(Event::TaskRewarded {
						task_id,
						winners,
						paid,
						to_treasury,
					});
				},
			)
		};
		if settled.is_err() {
			frame_support::defensive!("payouts are within the escrow by construction");
			return;
		}
		// emission points: miners by quality at or above the minimum, validators by accuracy
		// (an unjudged task earns none: its scores are zero)
		for (miner, score) in outcome.solutions.iter() {
			if score.quality >= split.participant_min {
				Self::add_points(miner, u128::from(score.quality.get()), 0);
			}
		}
		for validator in outcome.validators.iter() {
			Self::add_points(&validator.validator, 0, u128::from(validator.accuracy.get()));
		}
	}

	fn weight(solutions: u32, validators: u32) -> Weight {
		T::WeightInfo::settle(solutions, validators)
	}
}
