//! A small deterministic random number generator (SplitMix64), integers only, so that a run
//! with a given seed replays exactly on every machine.

/// SplitMix64: fast, full-period, good enough for a simulation (not for keys).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
	/// A generator for `seed`, mixed with `stream` so that agents get independent streams.
	pub fn new(seed: u64, stream: u64) -> Self {
		let mut rng = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
		// discard the first outputs, which correlate with close seeds
		rng.next_u64();
		rng.next_u64();
		rng
	}

	/// The next 64 random bits.
	pub fn next_u64(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}

	/// A number in `0..n` (0 when `n` is 0).
	pub fn below(&mut self, n: u64) -> u64 {
		if n == 0 {
			return 0;
		}
		self.next_u64() % n
	}

	/// A number in `low..=high`.
	pub fn range(&mut self, low: i64, high: i64) -> i64 {
		low + self.below((high - low + 1) as u64) as i64
	}

	/// `true` with probability `percent` / 100.
	pub fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}

	/// An approximately normal integer with mean 0 and standard deviation `sigma` (the
	/// Irwin–Hall sum of twelve uniforms, in fixed point): integers only, so it replays
	/// exactly.
	pub fn normal(&mut self, sigma: i64) -> i64 {
		// twelve uniforms in 0..1000 sum to mean 5 994 and standard deviation ~1 000
		let sum: i64 = (0..12).map(|_| self.below(1_000) as i64).sum();
		(sum - 5_994) * sigma / 1_000
	}

	/// 32 random bytes.
	pub fn bytes32(&mut self) -> [u8; 32] {
		let mut out = [0u8; 32];
		for chunk in out.chunks_mut(8) {
			chunk.copy_from_slice(&self.next_u64().to_le_bytes());
		}
		out
	}
}

/// `value` clamped into a 0–100 score.
pub fn score(value: i64) -> u8 {
	value.clamp(0, 100) as u8
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_same_seed_replays_and_streams_differ() {
		let (mut a, mut b, mut c) = (Rng::new(7, 1), Rng::new(7, 1), Rng::new(7, 2));
		let xs: Vec<u64> = (0..10).map(|_| a.next_u64()).collect();
		assert_eq!(xs, (0..10).map(|_| b.next_u64()).collect::<Vec<_>>());
		assert_ne!(xs, (0..10).map(|_| c.next_u64()).collect::<Vec<_>>());
	}

	#[test]
	fn normal_noise_has_about_the_asked_spread() {
		let mut rng = Rng::new(1, 0);
		let samples: Vec<i64> = (0..20_000).map(|_| rng.normal(10)).collect();
		let mean = samples.iter().sum::<i64>() / samples.len() as i64;
		let var =
			samples.iter().map(|x| (x - mean) * (x - mean)).sum::<i64>() / samples.len() as i64;
		assert!(mean.abs() <= 1, "{mean}");
		assert!((81..=121).contains(&var), "variance {var}");
	}
}
