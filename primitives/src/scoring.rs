//! The arithmetic of judging and paying, shared by the validation and rewards pallets: a
//! weighted median, clipping around it, validator accuracy, and exact pro-rata splits. Integers
//! only (no floats), and every split accounts for its last planck.
//!
//! **Consensus** on a solution is computed from the validators' scores, each with a weight
//! (stake × reputation):
//!
//! 1. the weighted median `m`: the smallest score such that the scores at or below it carry at
//!    least half the total weight;
//! 2. every score is clipped into `[m − band, m + band]`;
//! 3. the consensus is the weighted mean of the clipped scores, rounded down.
//!
//! A coalition holding less than half the weight cannot move the median outside the range of
//! the other validators' scores, and after clipping it can move the consensus at most `band`
//! points away from that median ([`consensus`]'s tests check this over random panels).

use alloc::vec::Vec;

use crate::mining::Score;

/// A validator's score with its weight.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct WeightedScore {
	/// The score, 0–100.
	pub score: Score,
	/// The validator's weight (stake × reputation, in any unit).
	pub weight: u128,
}

/// The weighted median of `scores`: the smallest score whose cumulative weight (scores at or
/// below it) is at least half the total. `None` when the total weight is zero.
pub fn weighted_median(scores: &[WeightedScore]) -> Option<Score> {
	let total: u128 = scores.iter().map(|s| s.weight).fold(0, u128::saturating_add);
	if total == 0 {
		return None;
	}
	let mut sorted: [u128; 101] = [0; 101];
	for s in scores {
		let index = usize::from(s.score.get().min(100));
		sorted[index] = sorted[index].saturating_add(s.weight);
	}
	let mut cumulative = 0u128;
	for (value, weight) in sorted.iter().enumerate() {
		cumulative = cumulative.saturating_add(*weight);
		// cumulative ≥ total / 2, without rounding: 2 × cumulative ≥ total
		if cumulative.saturating_mul(2) >= total {
			return Score::new(value as u8);
		}
	}
	Score::new(100)
}

/// The weighted median interval of `scores`: the smallest score with at least half the total
/// weight at or below it, and the largest with at least half at or above it (the same score
/// unless the weight splits exactly in two). `None` when the total weight is zero. Its
/// midpoint is the median that favours neither side of an even split.
pub fn weighted_median_interval(scores: &[WeightedScore]) -> Option<(Score, Score)> {
	let low = weighted_median(scores)?;
	let total: u128 = scores.iter().map(|s| s.weight).fold(0, u128::saturating_add);
	let mut above = 0u128;
	let mut high = low;
	for value in (low.get()..=100).rev() {
		above = scores
			.iter()
			.filter(|s| s.score.get() == value)
			.fold(above, |a, s| a.saturating_add(s.weight));
		if above.saturating_mul(2) >= total {
			high = Score::new(value).unwrap_or(low);
			break;
		}
	}
	Some((low, high))
}

/// `score` clipped into `[center − band, center + band]` (within 0–100).
pub fn clip(score: Score, center: Score, band: u8) -> Score {
	let low = center.get().saturating_sub(band);
	let high = center.get().saturating_add(band).min(100);
	Score::new(score.get().clamp(low, high)).unwrap_or(center)
}

/// The consensus of `scores`: the weighted mean, rounded down, of the scores clipped to
/// `band` around the weighted median. `None` when the total weight is zero.
pub fn consensus(scores: &[WeightedScore], band: u8) -> Option<Score> {
	let median = weighted_median(scores)?;
	let (mut sum, mut total) = (0u128, 0u128);
	for s in scores {
		let clipped = clip(s.score, median, band);
		sum = sum.saturating_add(s.weight.saturating_mul(u128::from(clipped.get())));
		total = total.saturating_add(s.weight);
	}
	Score::new((sum / total).min(100) as u8)
}

/// How close a validator's score was to the consensus: 100 when equal, one point less per point
/// of distance.
pub fn accuracy(score: Score, consensus: Score) -> Score {
	let distance = score.get().abs_diff(consensus.get());
	Score::new(100u8.saturating_sub(distance)).unwrap_or_default()
}

/// Splits `pot` among `weights` in proportion, rounding each share down. Returns the shares
/// (in the order of `weights`) and the remainder, so that `Σ shares + remainder == pot`
/// exactly. With no weight at all, everything is remainder.
pub fn pro_rata(pot: u128, weights: &[u128]) -> (Vec<u128>, u128) {
	let total: u128 = weights.iter().fold(0, |a, w| a.saturating_add(*w));
	if total == 0 {
		return (weights.iter().map(|_| 0).collect(), pot);
	}
	let shares: Vec<u128> = weights.iter().map(|w| mul_div(pot, *w, total)).collect();
	let paid = shares.iter().fold(0u128, |a, s| a.saturating_add(*s));
	(shares, pot.saturating_sub(paid))
}

/// `part / whole` of `pot`, rounded down: `pot × part / whole` exact in 256-bit arithmetic; 0
/// when `whole` is 0. With `part ≤ whole` the result is at most `pot`.
pub fn share_of(pot: u128, part: u128, whole: u128) -> u128 {
	mul_div(pot, part, whole)
}

/// `a × b / c` rounded down (exact, in 256-bit arithmetic); 0 for `c = 0`. With `b ≤ c` the
/// result is at most `a`, so it always fits.
fn mul_div(a: u128, b: u128, c: u128) -> u128 {
	sp_arithmetic::helpers_128bit::multiply_by_rational_with_rounding(
		a,
		b,
		c,
		sp_arithmetic::per_things::Rounding::Down,
	)
	.unwrap_or(0)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn ws(score: u8, weight: u128) -> WeightedScore {
		WeightedScore { score: Score::new(score).unwrap(), weight }
	}

	fn s(n: u8) -> Score {
		Score::new(n).unwrap()
	}

	#[test]
	fn the_median_follows_weight_not_headcount() {
		assert_eq!(weighted_median(&[ws(10, 1), ws(50, 1), ws(90, 1)]), Some(s(50)));
		// one heavy validator outweighs two light ones
		assert_eq!(weighted_median(&[ws(10, 1), ws(50, 1), ws(90, 5)]), Some(s(90)));
		// exactly half the weight at or below: the lower score
		assert_eq!(weighted_median(&[ws(20, 1), ws(80, 1)]), Some(s(20)));
		assert_eq!(weighted_median(&[ws(20, 0)]), None);
		assert_eq!(weighted_median(&[]), None);
	}

	#[test]
	fn consensus_clips_outliers_then_averages() {
		// median 60; with a band of 10 the 0 counts as 50 and the 100 as 70
		let scores = [ws(0, 1), ws(60, 2), ws(100, 1)];
		assert_eq!(consensus(&scores, 10), Some(s((50 + 120 + 70) / 4)));
		// a band of 100 clips nothing: the plain weighted mean
		assert_eq!(consensus(&scores, 100), Some(s((120 + 100) / 4)));
		assert_eq!(clip(s(95), s(98), 5), s(95));
		assert_eq!(clip(s(0), s(3), 2), s(1));
	}

	#[test]
	fn accuracy_is_closeness_to_consensus() {
		assert_eq!(accuracy(s(70), s(70)), s(100));
		assert_eq!(accuracy(s(40), s(70)), s(70));
		assert_eq!(accuracy(s(100), s(0)), s(0));
	}

	#[test]
	fn pro_rata_accounts_for_every_planck() {
		let (shares, rest) = pro_rata(100, &[1, 1, 1]);
		assert_eq!((shares, rest), (vec![33, 33, 33], 1));
		let (shares, rest) = pro_rata(10, &[0, 0]);
		assert_eq!((shares, rest), (vec![0, 0], 10));
		// huge amounts and weights do not overflow
		let (shares, rest) = pro_rata(u128::MAX, &[u128::MAX / 2, u128::MAX / 2]);
		assert_eq!(shares.iter().sum::<u128>() + rest, u128::MAX);
	}

	/// xorshift64: deterministic, so a failure replays.
	struct Rng(u64);
	impl Rng {
		fn next(&mut self, below: u64) -> u64 {
			self.0 ^= self.0 << 13;
			self.0 ^= self.0 >> 7;
			self.0 ^= self.0 << 17;
			self.0 % below.max(1)
		}
	}

	#[test]
	fn a_minority_cannot_move_the_consensus_past_the_band() {
		let mut rng = Rng(0x5eed);
		for _ in 0..5_000 {
			let band = rng.next(30) as u8;
			// honest validators agree within a small range around a true score
			let truth = rng.next(101) as u8;
			let honest: Vec<WeightedScore> = (0..1 + rng.next(6))
				.map(|_| {
					let noise = rng.next(5) as u8;
					ws(truth.saturating_add(noise).min(100), 1 + u128::from(rng.next(1_000)))
				})
				.collect();
			let honest_weight: u128 = honest.iter().map(|h| h.weight).sum();
			// the coalition scores at an extreme with strictly less than half the weight
			let extreme = if rng.next(2) == 0 { 0 } else { 100 };
			let budget = honest_weight.saturating_sub(1);
			let coalition: Vec<WeightedScore> = (0..1 + rng.next(4))
				.map(|_| ws(extreme, budget / 4))
				.filter(|c| c.weight > 0)
				.collect();
			let mut all = honest.clone();
			all.extend(coalition);

			let (low, high) = (
				honest.iter().map(|h| h.score.get()).min().unwrap(),
				honest.iter().map(|h| h.score.get()).max().unwrap(),
			);
			let median = weighted_median(&all).unwrap().get();
			assert!(low <= median && median <= high, "median {median} outside [{low}, {high}]");
			let agreed = consensus(&all, band).unwrap().get();
			assert!(
				agreed + band >= low && agreed <= high + band,
				"consensus {agreed} moved past the band {band} around [{low}, {high}]"
			);
		}
	}

	#[test]
	fn the_median_interval_spans_an_even_split_and_nothing_else() {
		assert_eq!(weighted_median_interval(&[ws(20, 1), ws(80, 1)]), Some((s(20), s(80))));
		assert_eq!(
			weighted_median_interval(&[ws(10, 1), ws(50, 1), ws(90, 1)]),
			Some((s(50), s(50)))
		);
		// weight decides, not count
		assert_eq!(
			weighted_median_interval(&[ws(10, 3), ws(50, 1), ws(90, 1)]),
			Some((s(10), s(10)))
		);
		assert_eq!(
			weighted_median_interval(&[ws(10, 1), ws(40, 1), ws(60, 1), ws(90, 1)]),
			Some((s(40), s(60)))
		);
		assert_eq!(weighted_median_interval(&[ws(20, 0)]), None);
	}

	#[test]
	fn pro_rata_never_creates_or_loses_money() {
		let mut rng = Rng(42);
		for _ in 0..5_000 {
			let pot = u128::from(rng.next(u64::MAX)) * u128::from(rng.next(1 << 20));
			let weights: Vec<u128> =
				(0..rng.next(12)).map(|_| u128::from(rng.next(u64::MAX))).collect();
			let (shares, rest) = pro_rata(pot, &weights);
			assert_eq!(shares.iter().sum::<u128>() + rest, pot);
			let total: u128 = weights.iter().sum();
			if total > 0 {
				// the remainder is less than one planck per recipient
				assert!(rest < weights.len() as u128 + 1, "{rest}");
			}
		}
	}
}
