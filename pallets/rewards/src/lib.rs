//! # Rewards
//!
//! Prices useful work: how the escrow of each judged task is split, the network's fee, and a
//! mining emission shared per era. This pallet moves no escrow: the task pallet asks it how
//! to split ([`RewardPolicy`]) and pays; settlement runs one way (tasks → validation → tasks
//! → rewards).
//!
//! ## Splitting a task's escrow
//!
//! A judged task's escrow `R` is split by the [`RewardSplit`] in basis points that was in
//! force when the task was published (a change reaches the tasks published after it: those
//! already open keep the terms their miners committed to). Governance may change the split
//! within bounds (they must add up to exactly 10 000):
//!
//! | part | default | bounds | paid to |
//! |---|---|---|---|
//! | quality | 40 % | winners 60–70 % together | winners, by consensus quality |
//! | innovation | 20 % | | winners, by consensus innovation |
//! | time efficiency | 10 % | | winners, by how early they committed after the earliest allowed block (none for copies) |
//! | participants | 12.5 % | 10–15 % | other solutions scoring at least the minimum, by quality |
//! | validators | 12.5 % | 10–15 % | the first panel, by pay weight (accuracy × seat weight) |
//! | network fee | 5 % | 5–10 % | the treasury |
//!
//! *Winners* are the judged solutions whose consensus quality reaches the task's threshold.
//! Solutions the judging found to be **copies of each other split one solution's share, and
//! lose by it**: each member of a group of `k` counts `1/k²` in every part it takes — together
//! the group weighs what one solution alone would, divided by `k`. So a solution split over
//! identities earns less than submitted once, a copy earns at most a quarter of what its
//! original would have alone (never more than its author, whoever committed first), and
//! nobody is flagged: who copied whom cannot be told from the chain. A leak costs its author
//! too — three quarters of its share against one copy — which is the price of keeping a
//! solution unshared until it is revealed (`docs/MECHANISM.md`). Excluded solutions (a false fingerprint) and honeypots take nothing. Validators are
//! paid for judging whether anything wins or not; when nothing wins, the publisher gets back
//! everything but the validators' part and the fee. If nobody could judge at all (no panel,
//! no scores, and the council let its deadline pass), the publisher has still seen the work:
//! everything but the fee is shared by the solutions delivered, a group of copies as one —
//! a publisher whose own validators stay silent gets no free work. Each part is `R × bps / 10 000` rounded down and
//! shared pro rata rounded down (`tos_primitives::scoring::pro_rata`); every remainder goes to
//! the treasury with the fee, so exactly `R` leaves the escrow.
//!
//! ## Mining emission: it follows value, not volume
//!
//! New tokens reward judged work in proportion to what the work was worth to someone else,
//! and never more than the work cost. Settling a task **burns** its network fee (5 % of the
//! reward by default); the task earns *emission points* worth what it burned times
//! [`Config::EmissionPerBurn`] (at most the whole; 90 % in the runtime), in balance units —
//! [`Config::MinerShare`] of them to its miners, shared like their pay
//! (consensus quality at or above the participant minimum, a member of a group of copies of
//! `k` counting `1/k²`) and only if a solution won, the rest to its panel by pay weight. An
//! unjudged task earns none.
//!
//! The schedule offers `InitialEmission >> (block / HalvingInterval)` per block — halving
//! every interval, so never more than `2 × InitialEmission × HalvingInterval` in all — and
//! each era (`EraLength` blocks) gathers its blocks' offer, split by `MinerShare`. Nothing is
//! minted while the era runs. At its end (the first block of the next era), each side mints
//! the smaller of its offer and its points, never past [`Config::MaxSupply`] of total
//! issuance, into the pallet's pot, and passes the unminted offer on to the next era. Each
//! account then pulls its share with [`claim_rewards`](Pallet::claim_rewards): the side's mint
//! × its points / the side's points — one account per call, so no hook ever loops over
//! accounts. Rounding dust stays in the pot.
//!
//! So **a task's emission never exceeds what it burned**: whoever publishes, solves and judges
//! a task — one person or many — gets back at most 90 % of the fee it destroyed, and pays the
//! transaction fees on top. Wash trading, at any size, mints less than it costs: a trader
//! alone in an era loses a tenth of its burn at best (and its transactions); in a busy era
//! the offer is shared by value and it gets less. An honest market is paid by the same rule: the
//! emission is a rebate of the fees its publishers burned, up to the schedule, and heavier
//! work (a larger reward) earns proportionally more. `docs/MECHANISM.md` measures wash
//! traders of every size against it.
//!
//! A chain upgraded from the rules before (emission minted block by block and shared by
//! quality points whatever a task was worth) keeps them for the eras before
//! [`ValueErasFrom`] (the era after the upgrade); work judged in the era of the upgrade
//! earns points in the next.
//!
//! ## Calls
//!
//! - [`claim_rewards`](Pallet::claim_rewards): by a miner or validator with points in an era;
//! - [`set_split`](Pallet::set_split): by the parameters origin.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::Preservation,
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
	BasisPoints, Payouts, RewardPolicy, Score, SettlementTerms, SolutionFate, ValidationOutcome,
	BASIS_POINTS_WHOLE,
};

/// A balance of the currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// Who is paid how much from a task's escrow.
pub type PayoutsOf<T> = Payouts<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// A solution's points and pot weights are scaled by this before a group of copies divides
/// them (by the square of its size), so that the division loses (almost) nothing.
const GROUP_SCALE: u128 = 1_000_000;

/// What a member of a group of copies of `size` counts: `1/size²`, in `GROUP_SCALE`ths.
fn group_weight(value: u128, size: u128) -> u128 {
	value.saturating_mul(GROUP_SCALE) / size.max(1).saturating_mul(size.max(1))
}
/// The storage version: 1 since emission follows value ([`migrations::v1`]).
const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The pallet's configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency minted and paid.
		type Currency: Mutate<Self::AccountId>;
		/// Who may change the split.
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;
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
		/// The emission points a task earns per unit it burned: at most the whole, so a task
		/// never mints more than it burned; below it, self-dealing loses money even where
		/// transactions cost nothing.
		#[pallet::constant]
		type EmissionPerBurn: Get<Perbill>;
		/// The split at genesis (`frame_support::traits::GetDefault` for [`RewardSplit::default`]).
		type DefaultSplit: Get<RewardSplit>;
		/// Weights of the calls and the hook, from benchmarks.
		type WeightInfo: WeightInfo;
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

	/// Each era's emission and points (see [`EraPool`]).
	#[pallet::storage]
	pub type EraPools<T: Config> = StorageMap<_, Twox64Concat, EraIndex, EraPool<BalanceOf<T>>>;

	/// The first era whose emission follows value (minted at its end, bounded by its points);
	/// the eras before it, on a chain upgraded from the rules before, minted block by block.
	/// Zero on a chain that started with these rules.
	#[pallet::storage]
	pub type ValueErasFrom<T: Config> = StorageValue<_, EraIndex, ValueQuery>;

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
			// the measured worst case: an era's end
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

	/// What `points` (as a miner, as a validator) earn of era `era`'s emission: of an era
	/// over, its share of what the era minted; of the era running, its share of what the era
	/// would mint were it to end now.
	pub fn era_share(era: EraIndex, (miner, validator): Points) -> BalanceOf<T> {
		let pool = EraPools::<T>::get(era).unwrap_or_default();
		let legacy = era < ValueErasFrom::<T>::get();
		let share = |pot: BalanceOf<T>, points: u128, total: u128| {
			// an era over minted no more than its points; a running one offers its schedule
			let pot: u128 = pot.saturated_into();
			let pot = if legacy { pot } else { pot.min(total) };
			share_of(pot, points.min(total), total)
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

	/// Adds block `now`'s scheduled offer to its era's pool and, at the first block of an era,
	/// ends the one before: mints what its points earned, passes the rest of its offer on.
	fn emit(now: BlockNumberFor<T>) {
		let era = Self::era_of(now);
		let first_value_era = ValueErasFrom::<T>::get();
		if era < first_value_era {
			return Self::emit_legacy(now, era);
		}
		let mut pool = EraPools::<T>::get(era).unwrap_or_default();
		if (now % T::EraLength::get()).is_zero() && era > first_value_era {
			EraPools::<T>::mutate(era - 1, |previous| {
				let Some(previous) = previous.as_mut() else { return };
				let minted = Self::end_era(previous, &mut pool);
				TotalEmitted::<T>::mutate(|total| total.saturating_accrue(minted));
			});
		}
		let offer = Self::scheduled_emission(now);
		let miners = T::MinerShare::get() * offer;
		pool.miners.saturating_accrue(miners);
		pool.validators.saturating_accrue(offer.saturating_sub(miners));
		if pool != EraPool::default() {
			EraPools::<T>::insert(era, pool);
		}
	}

	/// Ends an era: each side mints the smaller of its offer and its points, within the supply
	/// cap, into the pot; `ended` keeps what was minted, and what it did not mint of its offer
	/// goes on to `next`. Returns the amount minted.
	fn end_era(
		ended: &mut EraPool<BalanceOf<T>>,
		next: &mut EraPool<BalanceOf<T>>,
	) -> BalanceOf<T> {
		let mut room = T::MaxSupply::get().saturating_sub(T::Currency::total_issuance());
		let mut side = |offer: BalanceOf<T>, points: u128| {
			let earned = offer.min(points.saturated_into()).min(room);
			room.saturating_reduce(earned);
			earned
		};
		let (mut miners, mut validators) = (
			side(ended.miners, ended.miner_points),
			side(ended.validators, ended.validator_points),
		);
		let minted = miners.saturating_add(validators);
		if !minted.is_zero() && T::Currency::mint_into(&Self::pot(), minted).is_err() {
			// nothing minted (cannot happen short of a bug): the whole offer goes on
			frame_support::defensive!("the pot takes any amount within the cap");
			(miners, validators) = (Zero::zero(), Zero::zero());
		}
		next.miners.saturating_accrue(ended.miners.saturating_sub(miners));
		next.validators.saturating_accrue(ended.validators.saturating_sub(validators));
		ended.miners = miners;
		ended.validators = validators;
		miners.saturating_add(validators)
	}

	/// The rules before emission followed value, for the eras before [`ValueErasFrom`] of a
	/// chain upgraded from them: block `now`'s emission minted into the pot within the cap,
	/// a side of the previous era nobody earned in rolled over (never into a value era, whose
	/// offer is unminted).
	fn emit_legacy(now: BlockNumberFor<T>, era: EraIndex) {
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

	/// Adds points to `who` in the current era (on a chain upgraded from the rules before, in
	/// the first value era at the earliest).
	fn add_points(who: &T::AccountId, miner: u128, validator: u128) {
		if miner == 0 && validator == 0 {
			return;
		}
		let era =
			Self::era_of(frame_system::Pallet::<T>::block_number()).max(ValueErasFrom::<T>::get());
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

	/// The payouts of a judged task's escrow: who gets what, what goes back to the publisher,
	/// how many solutions won. Pure: nothing is moved. See the crate docs for the rules.
	pub fn payouts(
		terms: &SettlementTerms<BalanceOf<T>, BlockNumberFor<T>>,
		earliness: &[(T::AccountId, Perbill)],
		outcome: &ValidationOutcome<T::AccountId>,
		split: &RewardSplit,
	) -> PayoutsOf<T> {
		let reward: u128 = terms.reward.saturated_into();
		let part =
			|bps: BasisPoints| share_of(reward, u128::from(bps), u128::from(BASIS_POINTS_WHOLE));
		let fee = part(split.network);
		if !outcome.judged {
			// nobody could judge, and the council let its deadline pass: the publisher has
			// seen the work, so the escrow less the fee is shared by the solutions delivered (a
			// group of copies as one), never refunded — unless nothing was delivered
			let delivered: Vec<(&T::AccountId, u128)> = Self::judged_with_group_sizes(outcome)
				.into_iter()
				.map(|(miner, _, group)| (miner, group_weight(1, group)))
				.collect();
			let weights: Vec<u128> = delivered.iter().map(|(_, w)| *w).collect();
			let (shares, _) = pro_rata(reward.saturating_sub(fee), &weights);
			let mut payouts: BTreeMap<T::AccountId, u128> = BTreeMap::new();
			for ((miner, _), amount) in delivered.into_iter().zip(shares) {
				if amount > 0 {
					let total = payouts.entry(miner.clone()).or_default();
					*total = total.saturating_add(amount);
				}
			}
			let refund = if weights.is_empty() { reward.saturating_sub(fee) } else { 0 };
			return Payouts {
				payouts: payouts.into_iter().map(|(w, a)| (w, a.saturated_into())).collect(),
				refund: refund.saturated_into(),
				winners: 0,
			};
		}
		// each judged solution with the size of its group of copies
		let judged: Vec<(&T::AccountId, tos_primitives::SolutionScore, u128)> =
			Self::judged_with_group_sizes(outcome);
		let winners: Vec<_> =
			judged.iter().filter(|(_, s, _)| s.quality >= terms.quality_threshold).collect();
		let participants: Vec<_> = judged
			.iter()
			.filter(|(_, s, _)| {
				s.quality < terms.quality_threshold && s.quality >= split.participant_min
			})
			.collect();
		let earliness = |who: &T::AccountId| {
			earliness.iter().find(|(s, _)| s == who).map(|(_, e)| u128::from(e.deconstruct()))
		};
		// one payout per account, in account order
		let mut payouts: BTreeMap<T::AccountId, u128> = BTreeMap::new();
		let mut paid = 0u128;
		let mut share = |pot: u128, recipients: Vec<(&T::AccountId, u128)>| {
			let weights: Vec<u128> = recipients.iter().map(|(_, w)| *w).collect();
			let (shares, _) = pro_rata(pot, &weights);
			for ((who, _), amount) in recipients.into_iter().zip(shares) {
				if amount > 0 {
					let total = payouts.entry(who.clone()).or_default();
					*total = total.saturating_add(amount);
					paid = paid.saturating_add(amount);
				}
			}
		};
		let by = |score: u8, group: u128| group_weight(u128::from(score), group);
		share(
			part(split.validators),
			outcome.validators.iter().map(|v| (&v.validator, v.pay_weight)).collect(),
		);
		if !winners.is_empty() {
			share(
				part(split.quality),
				winners.iter().map(|(w, s, k)| (*w, by(s.quality.get(), *k))).collect(),
			);
			share(
				part(split.innovation),
				winners.iter().map(|(w, s, k)| (*w, by(s.innovation.get(), *k))).collect(),
			);
			share(
				part(split.time),
				winners
					.iter()
					.map(|(w, _, k)| {
						// being early is worth nothing in a group of copies: it proves no work
						(*w, if *k > 1 { 0 } else { earliness(w).unwrap_or(0) })
					})
					.collect(),
			);
			share(
				part(split.participants),
				participants.iter().map(|(w, s, k)| (*w, by(s.quality.get(), *k))).collect(),
			);
		}
		let refund = if winners.is_empty() {
			// nothing won: the validators are paid for judging, the rest goes back less the fee
			reward.saturating_sub(fee).saturating_sub(paid)
		} else {
			0
		};
		Payouts {
			payouts: payouts
				.into_iter()
				.map(|(who, amount)| (who, amount.saturated_into()))
				.collect(),
			refund: refund.saturated_into(),
			winners: winners.len() as u32,
		}
	}

	/// The judged solutions of `outcome`, each with the size of its group of copies and, for
	/// a member of a group, the group's score (each axis the members' mean, rounded down)
	/// instead of its own: copies are one solution, so nothing — not the noise of the judges
	/// — lets one member out-earn another, and a copier never out-earns its author.
	fn judged_with_group_sizes(
		outcome: &ValidationOutcome<T::AccountId>,
	) -> Vec<(&T::AccountId, tos_primitives::SolutionScore, u128)> {
		let group_of = |fate: &SolutionFate| match fate {
			SolutionFate::Judged { group } => Some(*group),
			_ => None,
		};
		outcome
			.solutions
			.iter()
			.filter_map(|s| {
				let group = group_of(&s.fate)?;
				let members: Vec<tos_primitives::SolutionScore> = outcome
					.solutions
					.iter()
					.filter(|o| group_of(&o.fate) == Some(group))
					.map(|o| o.score)
					.collect();
				let size = members.len() as u32;
				let mean = |axis: fn(&tos_primitives::SolutionScore) -> u8| {
					let sum: u32 = members.iter().map(|m| u32::from(axis(m))).sum();
					let mean = sum / size.max(1);
					Score::new(mean as u8).unwrap_or_default()
				};
				let score = if size > 1 {
					tos_primitives::SolutionScore {
						quality: mean(|m| m.quality.get()),
						innovation: mean(|m| m.innovation.get()),
					}
				} else {
					s.score
				};
				Some((&s.miner, score, u128::from(size)))
			})
			.collect()
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
		let now = Self::era_of(frame_system::Pallet::<T>::block_number());
		let first_value_era = ValueErasFrom::<T>::get();
		for (era, pool) in EraPools::<T>::iter() {
			let (m, v) = EraPoints::<T>::iter_prefix(era)
				.fold((0u128, 0u128), |(m, v), (_, (a, b))| (m + a, v + b));
			frame_support::ensure!(
				m <= pool.miner_points && v <= pool.validator_points,
				"unclaimed points exceed the era's totals"
			);
			// a value era over minted no more than its points: emission never exceeds burns
			if era >= first_value_era && era < now {
				frame_support::ensure!(
					pool.miners.saturated_into::<u128>() <= pool.miner_points
						&& pool.validators.saturated_into::<u128>() <= pool.validator_points,
					"an era minted more than its points"
				);
			}
		}
		Ok(())
	}
}

impl<T: Config> RewardPolicy<T::AccountId, BalanceOf<T>, BlockNumberFor<T>> for Pallet<T> {
	fn split_escrow(
		terms: &SettlementTerms<BalanceOf<T>, BlockNumberFor<T>>,
		earliness: &[(T::AccountId, Perbill)],
		outcome: &ValidationOutcome<T::AccountId>,
	) -> PayoutsOf<T> {
		Self::payouts(terms, earliness, outcome, &Self::split_for(terms.published_at))
	}

	fn network_fee(published_at: BlockNumberFor<T>, reward: BalanceOf<T>) -> BalanceOf<T> {
		let bps = Self::split_for(published_at).network;
		share_of(reward.saturated_into(), u128::from(bps), u128::from(BASIS_POINTS_WHOLE))
			.saturated_into()
	}

	/// Emission points worth what the task burned (times [`Config::EmissionPerBurn`]): the
	/// miners' share of them to its miners if
	/// a solution won, weighted like pay (quality at or above the participant minimum, a group
	/// of copies sharing one solution's points); the rest to its panel by pay weight. An
	/// unjudged task earns none.
	fn note_work(outcome: &ValidationOutcome<T::AccountId>, won: bool, burned: BalanceOf<T>) {
		if !outcome.judged || burned.is_zero() {
			return;
		}
		let points: u128 = T::EmissionPerBurn::get() * burned.saturated_into::<u128>();
		let for_miners = T::MinerShare::get() * points;
		if won {
			let minimum = Self::split().participant_min;
			let miners: Vec<(&T::AccountId, u128)> = Self::judged_with_group_sizes(outcome)
				.into_iter()
				.filter(|(_, score, _)| score.quality >= minimum)
				.map(|(miner, score, group)| {
					(miner, group_weight(u128::from(score.quality.get()), group))
				})
				.collect();
			let weights: Vec<u128> = miners.iter().map(|(_, w)| *w).collect();
			let (shares, _) = pro_rata(for_miners, &weights);
			for ((miner, _), points) in miners.into_iter().zip(shares) {
				Self::add_points(miner, points, 0);
			}
		}
		let weights: Vec<u128> = outcome.validators.iter().map(|v| v.pay_weight).collect();
		let (shares, _) = pro_rata(points.saturating_sub(for_miners), &weights);
		for (validator, points) in outcome.validators.iter().zip(shares) {
			Self::add_points(&validator.validator, 0, points);
		}
	}

	fn weight(solutions: u32, validators: u32) -> Weight {
		T::WeightInfo::settle(solutions, validators)
	}
}
