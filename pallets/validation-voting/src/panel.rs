//! Drawing panels, and the weight each seat carries.
//!
//! **Who may sit.** A validator certified for the task's type, not unbonding, whose bond is at
//! least the seat share of the task's reward (a seat can move that much money, so it must put
//! that much at stake), and nobody with a stake in the result: not the publisher, not a
//! solver, and nobody already drawn for the task.
//!
//! **The draw.** Without replacement, each candidate's chance proportional to its stake
//! weight: `min(bond, stake_cap) × reputation`. Past the cap, more bond buys no more chance,
//! so a whale's money gives it one seat, no more likely than a validator at the cap; more
//! seats need more certified identities, and certification is the expert council's. The seed
//! is the runtime's randomness (`Config::Randomness`): in the runtime, the VRF outputs of the
//! block authors, which no author can choose — its only lever is to withhold its block.
//!
//! **Private draws** ([`Config::PrivateDraws`]). A published panel can be bribed before it
//! commits: a briber pays the members it sees drawn. With private draws nobody is named. The
//! draw publishes only its seed and the stake weight `W` of everyone who may sit; each
//! validator signs the draw's message with its seat key's VRF
//! (`tos_primitives::sortition`), and holds a seat if its ticket falls under `seats × w /
//! W` of the range — each validator's chance its share of the weight times the seats asked
//! for, capped at certainty, with the same eligibility as a public draw. A seat key counts
//! only in draws opened after it was set: one chosen once the seed is known could be ground
//! until its ticket wins. It shows its ticket
//! only with its commitment ([`Pallet::commit_with_seat`]), so a briber must pay validators
//! blind, most of whom will not sit; a validator may still prove its seat to a briber before
//! it commits (it can sell its seat). A private panel's size varies around the seats asked
//! for (at most twice as many, [`Pallet::seat_limit`]); a draw that seats fewer than a
//! quorum by the end of its commit window keeps who sat and draws the rest again, as a
//! refill does, then asks the council.
//!
//! **Seat weights.** The stake weights of the seated, water-filled so that no seat carries
//! more than `max_seat_share` of the panel's weight (or an equal share, if that is more):
//! weights above the cap are cut to it and the cap recomputed until it holds. With the
//! default quarter and a panel of five, a single seat never decides a median, and no two
//! seats hold half of it.

use super::*;
use alloc::vec::Vec;
use tos_primitives::scoring::share_of;

impl<T: Config> Pallet<T> {
	/// A validator's stake weight: its bond up to the cap, times its reputation.
	pub fn weight_of(who: &T::AccountId) -> u128 {
		let cap: u128 = Self::params().stake_cap.unique_saturated_into();
		let bond: u128 =
			Validators::<T>::get(who).map(|v| v.bond.unique_saturated_into()).unwrap_or(0);
		T::Reputation::score(who) * bond.min(cap)
	}

	/// Whether `who` has enough at stake for a seat on a task with `reward`.
	pub fn can_sit(who: &T::AccountId, reward: BalanceOf<T>) -> bool {
		let needed = Self::params().seat_bond_share * reward;
		Validators::<T>::get(who).is_some_and(|v| v.unbonding.is_none() && v.bond >= needed)
	}

	/// The validators certified for `task_type` who may sit on a task with `reward`, none of
	/// `exclude`, with their stake weights (none of weight zero).
	pub fn candidates(
		task_type: TaskType,
		reward: BalanceOf<T>,
		exclude: &[T::AccountId],
	) -> Vec<(T::AccountId, u128)> {
		Certified::<T>::get(task_type)
			.into_iter()
			.filter(|v| !exclude.contains(v) && Self::can_sit(v, reward))
			.map(|v| {
				let w = Self::weight_of(&v);
				(v, w)
			})
			.filter(|(_, w)| *w > 0)
			.collect()
	}

	/// Draws up to `size` distinct validators certified for `task_type` who may sit on a
	/// task with `reward`, none of `exclude`, each draw picking a remaining candidate with
	/// probability proportional to its stake weight. The same seed gives the same panel.
	/// Returns each member with its stake weight.
	pub fn select_panel(
		task_type: TaskType,
		reward: BalanceOf<T>,
		size: u32,
		seed: H256,
		exclude: &[T::AccountId],
	) -> Vec<(T::AccountId, u128)> {
		let mut candidates = Self::candidates(task_type, reward, exclude);
		let mut panel = Vec::new();
		let mut draw = 0u32;
		while (panel.len() as u32) < size && !candidates.is_empty() {
			let total: u128 = candidates.iter().fold(0, |a, (_, w)| a.saturating_add(*w));
			let random = BlakeTwo256::hash_of(&(seed, draw));
			draw = draw.saturating_add(1);
			let mut bytes = [0u8; 16];
			bytes.copy_from_slice(&random.as_bytes()[..16]);
			let mut point = u128::from_le_bytes(bytes) % total.max(1);
			let index = candidates
				.iter()
				.position(|(_, w)| {
					if point < *w {
						true
					} else {
						point -= *w;
						false
					}
				})
				.unwrap_or(candidates.len() - 1);
			panel.push(candidates.swap_remove(index));
		}
		panel
	}

	/// The seed of draw `attempt` of `task_id`'s panel (`appeal` for an appeal panel): the
	/// runtime's randomness now, for this task and draw.
	pub(crate) fn seed(task_id: TaskId, appeal: bool, attempt: u8) -> H256 {
		let (random, _) = T::Randomness::random(&(b"tos/panel", task_id, appeal, attempt).encode());
		random
	}
}

/// Caps `weights` so that none carries more than `max_share` of their sum (at least an equal
/// share): the water-filling of the module docs. Weights keep their order; zero stays zero.
pub fn cap_seats(weights: &mut [u128], max_share: Perbill) {
	let n = weights.iter().filter(|w| **w > 0).count();
	if n == 0 {
		return;
	}
	// parts per billion of the share each seat may carry
	let equal = 1_000_000_000u128.div_ceil(n as u128);
	let share = u128::from(max_share.deconstruct()).max(equal).min(1_000_000_000);
	let mut sorted: Vec<u128> = weights.iter().copied().filter(|w| *w > 0).collect();
	sorted.sort_unstable_by(|a, b| b.cmp(a));
	// find k, the number of seats at the cap c, with c = share × rest / (1 − k × share), where
	// rest is the sum of the seats below it
	let total_below = |k: usize| sorted[k..].iter().fold(0u128, |a, w| a.saturating_add(*w));
	let mut cap = None;
	for k in 0..n {
		let free = 1_000_000_000u128.saturating_sub(share.saturating_mul(k as u128));
		if free == 0 {
			break;
		}
		let c = share_of(total_below(k), share, free);
		let capped_ok = k == 0 || sorted[k - 1] >= c;
		if capped_ok && sorted[k] <= c {
			cap = (k > 0).then_some(c);
			break;
		}
	}
	if let Some(c) = cap {
		for w in weights.iter_mut() {
			*w = (*w).min(c);
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn share(weights: &[u128], i: usize) -> f64 {
		weights[i] as f64 / weights.iter().sum::<u128>() as f64
	}

	#[test]
	fn a_whale_is_cut_to_its_share_and_the_rest_keep_theirs() {
		let mut w = [100_000u128, 100, 200, 300, 300];
		cap_seats(&mut w, Perbill::from_percent(25));
		assert_eq!(&w[1..], &[100, 200, 300, 300]);
		// the whale holds exactly the cap: a quarter
		assert_eq!(w[0], 300);
		assert!(share(&w, 0) <= 0.25 + 1e-9, "{w:?}");
		// a seat above the new cap is cut too
		let mut w = [100_000u128, 100, 200, 300, 400];
		cap_seats(&mut w, Perbill::from_percent(25));
		assert_eq!(w, [300, 100, 200, 300, 300]);
	}

	#[test]
	fn small_panels_get_equal_shares_at_most() {
		let mut w = [1_000u128, 10, 10];
		cap_seats(&mut w, Perbill::from_percent(25));
		// a third each at most: the whale down to its equal share
		assert!(share(&w, 0) <= 1.0 / 3.0 + 1e-6, "{w:?}");
		let mut w = [5u128];
		cap_seats(&mut w, Perbill::from_percent(25));
		assert_eq!(w, [5]);
	}

	#[test]
	fn weights_already_within_the_cap_do_not_move() {
		let mut w = [100u128, 100, 100, 100, 90];
		let before = w;
		cap_seats(&mut w, Perbill::from_percent(25));
		assert_eq!(w, before);
		let mut zeros = [0u128, 0];
		cap_seats(&mut zeros, Perbill::from_percent(25));
		assert_eq!(zeros, [0, 0]);
	}

	#[test]
	fn two_whales_are_both_capped() {
		let mut w = [10_000u128, 9_000, 100, 100, 100, 100];
		cap_seats(&mut w, Perbill::from_percent(25));
		for i in 0..w.len() {
			assert!(share(&w, i) <= 0.25 + 1e-6, "{w:?}");
		}
		assert_eq!(w[0], w[1]);
	}
}
