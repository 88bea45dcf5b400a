//! The tally of one panel's judgements: pure arithmetic, no storage, so it is tested alone.
//!
//! 0. **Leaning members.** A member the fraud layer finds leaning towards one of the round's
//!    solvers (a bias repeated over many rounds, each too small to flag) is *set aside*: its
//!    scores count in none of the steps below, unless every member is set aside.
//! 1. **Outliers.** Per real solution (not a honeypot) and axis, the weighted median of the
//!    members not set aside.
//!    A member with any score further from it than the outlier margin — any solution, either
//!    axis, either way — is *flagged* for the round. The margin is the governance's, or
//!    4.5 standard deviations of the task type's learnt [`noise`] where that is more: on a
//!    type where honest experts disagree more, the margin widens with them rather than flag
//!    them. A member whose score of a honeypot lies
//!    further than twice the clip band from its known quality *missed* it (twice: no honest
//!    expert's noise reaches that far, a validator who does not look does).
//! 2. **Consensus.** From the members neither flagged nor missing a honeypot (everyone, if
//!    that leaves nobody), per solution and axis: the weighted median, the scores clipped to
//!    the band around it, their weighted mean (`tos_primitives::scoring::consensus`). A
//!    flagged member's inflated or deflated scores are so set aside, whoever they favoured.
//! 3. **Verdicts.** From the same members, by weight: a solution whose fingerprint more than
//!    half say is false is excluded; two solutions more than half say are copies of each
//!    other join one group, as do those the chain's first filter paired. A group shares one
//!    solution's reward.
//! 4. **Accuracy** of every member against the consensus, on the real solutions: per score,
//!    `((band − distance) / band)²`, zero at the band and beyond, averaged and given 0–100.
//!    Convex, so being roughly right pays little and being far pays nothing.

use alloc::vec::Vec;
use tos_primitives::{
	scoring::{self, WeightedScore},
	Score, SolutionFate, SolutionScore,
};

use crate::Judgement;

/// One member's revealed judgements, with its seat weight.
#[derive(Clone, Copy, Debug)]
pub struct Ballot<'a> {
	/// The seat weight.
	pub weight: u128,
	/// One judgement per solution.
	pub judgements: &'a [Judgement],
	/// The fraud layer finds the member leaning towards a solver of the round
	/// (`FraudOracle::leaning`): its scores are left out of the medians, the consensus and
	/// the verdicts, as a flagged member's are.
	pub set_aside: bool,
}

/// The rules a tally follows.
#[derive(Clone, Copy, Debug)]
pub struct Rules {
	/// The clip band (points).
	pub clip_band: u8,
	/// The governance's outlier margin (points, at most the band): the least margin.
	pub outlier_margin: u8,
	/// The judges' noise on this task type as the chain has learnt it (one standard
	/// deviation, [`noise`], in 1/[`NOISE_SCALE`] points; 0 before it has learnt any).
	pub noise: u32,
}

/// The fixed-point scale of a noise: 1/256 point.
pub const NOISE_SCALE: u32 = 256;

/// How many standard deviations of the judges' noise from the median a score may lie before
/// it is an outlier, where that is more than the governance's margin, in halves: 4.5 σ. An
/// honest judge of any noise then has one of its sixteen scores that far out in about 0.1 %
/// of its rounds (`docs/MECHANISM.md`, the sensitivity sweep): the margin grows with the
/// noise instead of flagging it.
pub const NOISE_MARGIN_HALVES: u32 = 9;

impl Rules {
	/// The outlier margin in force: the governance's, or 4.5 σ of the learnt noise if that is
	/// more.
	pub fn margin(&self) -> u8 {
		let learned = self.noise.saturating_mul(NOISE_MARGIN_HALVES) / (2 * NOISE_SCALE);
		self.outlier_margin.max(learned.min(100) as u8)
	}
}

/// What a tally found.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Tally {
	/// The consensus per solution (zero for honeypots).
	pub result: Vec<SolutionScore>,
	/// Each solution's fate.
	pub fates: Vec<SolutionFate>,
	/// Per ballot: flagged as an outlier.
	pub flagged: Vec<bool>,
	/// Per ballot: missed a honeypot.
	pub missed: Vec<bool>,
}

fn axis(j: &Judgement, quality: bool) -> Score {
	if quality {
		j.quality
	} else {
		j.innovation
	}
}

/// Whether `given` missed one of the declared `honeypots`: a score further than twice the
/// clip band from its known quality, on either axis (a score not given counts as 0).
pub fn missed_honeypot(
	given: &[Judgement],
	honeypots: &[(u32, SolutionScore)],
	clip_band: u8,
) -> bool {
	let far = clip_band.saturating_mul(2);
	honeypots.iter().any(|(i, known)| {
		let (quality, innovation) =
			given.get(*i as usize).map_or((0, 0), |j| (j.quality.get(), j.innovation.get()));
		quality.abs_diff(known.quality.get()) > far
			|| innovation.abs_diff(known.innovation.get()) > far
	})
}

/// Tallies `ballots` over `solutions` solutions, of which `honeypots` are honeypots of known
/// quality, with `groups` the chain filter's first solution of each one's group of copies.
pub fn tally(
	ballots: &[Ballot<'_>],
	solutions: usize,
	honeypots: &[(u32, SolutionScore)],
	groups: &[u32],
	rules: Rules,
) -> Tally {
	let honeypot = |i: usize| honeypots.iter().find(|(h, _)| *h as usize == i).map(|(_, k)| *k);
	let score = |b: &Ballot<'_>, i: usize, quality: bool| {
		b.judgements.get(i).map(|j| axis(j, quality)).unwrap_or_default()
	};
	let median = |kept: &[&Ballot<'_>], i: usize, quality: bool| {
		let scores: Vec<WeightedScore> = kept
			.iter()
			.map(|b| WeightedScore { score: score(b, i, quality), weight: b.weight })
			.collect();
		scoring::weighted_median(&scores).unwrap_or_default()
	};
	let all: Vec<&Ballot<'_>> = ballots.iter().collect();
	let mut heard: Vec<&Ballot<'_>> = ballots.iter().filter(|b| !b.set_aside).collect();
	if heard.iter().all(|b| b.weight == 0) {
		heard = all.clone();
	}

	// 1. outliers and honeypot misses
	let margin = rules.margin();
	let mut flagged = alloc::vec![false; ballots.len()];
	let missed: Vec<bool> =
		ballots.iter().map(|b| missed_honeypot(b.judgements, honeypots, rules.clip_band)).collect();
	for i in (0..solutions).filter(|i| honeypot(*i).is_none()) {
		for quality in [true, false] {
			let m = median(&heard, i, quality).get();
			for (b, ballot) in ballots.iter().enumerate() {
				if score(ballot, i, quality).get().abs_diff(m) > margin {
					flagged[b] = true;
				}
			}
		}
	}

	// 2. consensus from the members kept
	let mut kept: Vec<&Ballot<'_>> = ballots
		.iter()
		.enumerate()
		.filter(|(b, x)| !flagged[*b] && !missed[*b] && !x.set_aside)
		.map(|(_, x)| x)
		.collect();
	if kept.iter().all(|b| b.weight == 0) {
		kept = heard;
	}
	let consensus = |i: usize, quality: bool| {
		let scores: Vec<WeightedScore> = kept
			.iter()
			.map(|b| WeightedScore { score: score(b, i, quality), weight: b.weight })
			.collect();
		scoring::consensus(&scores, rules.clip_band).unwrap_or_default()
	};
	let result: Vec<SolutionScore> = (0..solutions)
		.map(|i| match honeypot(i) {
			Some(_) => SolutionScore::default(),
			None => SolutionScore { quality: consensus(i, true), innovation: consensus(i, false) },
		})
		.collect();

	// 3. verdicts by weighted majority of the members kept
	let total: u128 = kept.iter().fold(0, |a, b| a.saturating_add(b.weight));
	let majority = |weight: u128| weight.saturating_mul(2) > total;
	let false_fingerprint: Vec<bool> = (0..solutions)
		.map(|i| {
			let against = kept
				.iter()
				.filter(|b| b.judgements.get(i).is_some_and(|j| !j.fingerprint_ok))
				.fold(0u128, |a, b| a.saturating_add(b.weight));
			honeypot(i).is_none() && majority(against)
		})
		.collect();
	let judged = |i: usize| honeypot(i).is_none() && !false_fingerprint[i];
	let mut classes = UnionFind::new(solutions);
	for (i, g) in groups.iter().enumerate().take(solutions) {
		if judged(i) && judged(*g as usize) {
			classes.union(i, *g as usize);
		}
	}
	for i in 0..solutions {
		for j in i + 1..solutions {
			if !judged(i) || !judged(j) {
				continue;
			}
			let copies = |b: &Ballot<'_>| {
				let says = |x: usize, y: usize| {
					b.judgements.get(x).is_some_and(|jd| jd.copy_of == Some(y as u32))
				};
				says(i, j) || says(j, i)
			};
			let weight =
				kept.iter().filter(|b| copies(b)).fold(0u128, |a, b| a.saturating_add(b.weight));
			if majority(weight) {
				classes.union(i, j);
			}
		}
	}
	let fates = (0..solutions)
		.map(|i| {
			if honeypot(i).is_some() {
				SolutionFate::Honeypot
			} else if false_fingerprint[i] {
				SolutionFate::FalseFingerprint
			} else {
				SolutionFate::Judged { group: classes.first(i) as u32 }
			}
		})
		.collect();
	Tally { result, fates, flagged, missed }
}

/// A round's noise: an estimate of one standard deviation of the judges' scores around the
/// truth, in 1/[`NOISE_SCALE`] points — what tells a type's honest disagreement from an
/// outlier. Per member not set aside, the median, over the real solutions and both axes, of
/// its distance from the members' weighted median (the midpoint of the median interval); the
/// weighted median of these figures over the members; scaled by [`NOISE_PER_SPREAD`] for the
/// panel's size (a median member is at distance 0, so a small panel's figures run low).
///
/// A coalition with less than half the weight cannot push it past the widest the other
/// members' scores spread on any solution: the median stays inside their range, so do their
/// distances, and the coalition's own figures are a minority of the weight. Steering does not
/// widen the margin it hides in. `None` without two members of weight.
pub fn noise(
	ballots: &[Ballot<'_>],
	solutions: usize,
	honeypots: &[(u32, SolutionScore)],
) -> Option<u32> {
	let heard: Vec<&Ballot<'_>> = ballots.iter().filter(|b| !b.set_aside && b.weight > 0).collect();
	if heard.len() < 2 {
		return None;
	}
	let score = |b: &Ballot<'_>, i: usize, quality: bool| {
		b.judgements.get(i).map(|j| axis(j, quality).get().min(100)).unwrap_or_default()
	};
	// per member, its distances in half points
	let mut distances: Vec<Vec<u16>> = alloc::vec![Vec::new(); heard.len()];
	for i in 0..solutions {
		if honeypots.iter().any(|(h, _)| *h as usize == i) {
			continue;
		}
		for quality in [true, false] {
			let mut histogram = [0u128; 101];
			for b in &heard {
				let s = usize::from(score(b, i, quality));
				histogram[s] = histogram[s].saturating_add(b.weight);
			}
			let Some((low, high)) = median_interval(&histogram) else { continue };
			for (m, b) in heard.iter().enumerate() {
				let twice = u16::from(score(b, i, quality)) * 2;
				distances[m].push(twice.abs_diff(u16::from(low) + u16::from(high)));
			}
		}
	}
	// per member, the midpoint of its median distances (in quarter points)
	let mut figures: Vec<(u32, u128)> = heard
		.iter()
		.zip(distances.iter_mut())
		.filter(|(_, d)| !d.is_empty())
		.map(|(b, d)| {
			d.sort_unstable();
			(u32::from(d[(d.len() - 1) / 2]) + u32::from(d[d.len() / 2]), b.weight)
		})
		.collect();
	figures.sort_unstable();
	let total: u128 = figures.iter().fold(0, |a, (_, w)| a.saturating_add(*w));
	let per_spread = NOISE_PER_SPREAD[heard.len().min(NOISE_PER_SPREAD.len() - 1)];
	let mut below = 0u128;
	for (figure, weight) in figures {
		below = below.saturating_add(weight);
		if below.saturating_mul(2) >= total {
			// quarter points × (noise per point of distance, in 1/NOISE_SCALE) / 4
			return Some(figure.saturating_mul(per_spread) / 4);
		}
	}
	None
}

/// Per panel size, one standard deviation of the judges' noise per point of [`noise`]'s
/// median distance, in 1/[`NOISE_SCALE`]: measured over normal noise of σ 3, 5 and 8 points,
/// 6 000 rounds of eight solutions each (the median distance is a third of σ on a panel of 3,
/// two thirds on a panel of 21). Past the table's end, its last entry.
pub const NOISE_PER_SPREAD: [u32; 22] = [
	0, 0, 525, 771, 575, 514, 516, 455, 476, 430, 450, 417, 434, 408, 423, 403, 416, 400, 410, 397,
	405, 396,
];

/// The weighted median interval of a histogram of scores 0–100 (see
/// `scoring::weighted_median_interval`); `None` when it is empty.
fn median_interval(histogram: &[u128; 101]) -> Option<(u8, u8)> {
	let total: u128 = histogram.iter().fold(0, |a, w| a.saturating_add(*w));
	if total == 0 {
		return None;
	}
	let half = |part: u128| part.saturating_mul(2) >= total;
	let mut running = 0u128;
	let low = (0..=100u8).find(|s| {
		running = running.saturating_add(histogram[usize::from(*s)]);
		half(running)
	})?;
	running = 0;
	let high = (0..=100u8).rev().find(|s| {
		running = running.saturating_add(histogram[usize::from(*s)]);
		half(running)
	})?;
	Some((low, high))
}

/// How close `judgements` are to `result` over the solutions that are not honeypots: per
/// score `((band − d) / band)²` (1 at d = 0, 0 from d = band), averaged, as 0–100.
pub fn accuracy(
	judgements: &[Judgement],
	result: &[SolutionScore],
	honeypots: &[(u32, SolutionScore)],
	band: u8,
) -> Score {
	let band = u64::from(band);
	let (mut points, mut count) = (0u64, 0u64);
	for (i, agreed) in result.iter().enumerate() {
		if honeypots.iter().any(|(h, _)| *h as usize == i) {
			continue;
		}
		let given = judgements.get(i).copied().unwrap_or_default();
		for (g, a) in [(given.quality, agreed.quality), (given.innovation, agreed.innovation)] {
			let d = u64::from(g.get().abs_diff(a.get()));
			// in millionths of a perfect score
			points += match band {
				0 => u64::from(d == 0) * 1_000_000,
				_ => band.saturating_sub(d).pow(2) * 1_000_000 / (band * band),
			};
			count += 1;
		}
	}
	if count == 0 {
		return Score::MAX;
	}
	Score::new((points / count / 10_000).min(100) as u8).unwrap_or_default()
}

/// Per solution, how far `judgements` lie above `result` — quality and innovation added,
/// negative below — or `None` for a honeypot: what the fraud layer's leaning detector learns
/// from a round.
pub fn deviations(
	judgements: &[Judgement],
	result: &[SolutionScore],
	honeypots: &[(u32, SolutionScore)],
) -> Vec<Option<i16>> {
	result
		.iter()
		.enumerate()
		.map(|(i, agreed)| {
			if honeypots.iter().any(|(h, _)| *h as usize == i) {
				return None;
			}
			let given = judgements.get(i).copied().unwrap_or_default();
			let d = |g: Score, a: Score| i16::from(g.get()) - i16::from(a.get());
			Some(d(given.quality, agreed.quality) + d(given.innovation, agreed.innovation))
		})
		.collect()
}

/// Whether any score of `judgements` on a solution that is not a honeypot lies further than
/// `band` from `result`.
pub fn outside_band(
	judgements: &[Judgement],
	result: &[SolutionScore],
	honeypots: &[(u32, SolutionScore)],
	band: u8,
) -> bool {
	result.iter().enumerate().any(|(i, agreed)| {
		let given = judgements.get(i).copied().unwrap_or_default();
		!honeypots.iter().any(|(h, _)| *h as usize == i)
			&& (given.quality.get().abs_diff(agreed.quality.get()) > band
				|| given.innovation.get().abs_diff(agreed.innovation.get()) > band)
	})
}

/// Whether `judgements` carry a verdict the final `fates` reversed: a fingerprint called false
/// of a solution that was not excluded, or true of one that was, or a judged solution called a
/// copy of another judged solution that the result does not group with it. (Not naming a copy the result found is
/// no verdict against it: the chain's own filter groups copies nobody named.) A verdict is a
/// judgement like a score, and one the consensus or an appeal reverses counts against the
/// validator who cast it as an outlying score does.
pub fn verdicts_reversed(judgements: &[Judgement], fates: &[SolutionFate]) -> bool {
	let group = |i: usize| match fates.get(i) {
		Some(SolutionFate::Judged { group }) => Some(*group),
		_ => None,
	};
	fates.iter().enumerate().any(|(i, fate)| {
		if matches!(fate, SolutionFate::Honeypot) {
			return false;
		}
		let Some(given) = judgements.get(i) else { return false };
		let excluded = matches!(fate, SolutionFate::FalseFingerprint);
		// a copy named between two solutions the result judged, and kept apart (a copy of an
		// excluded solution is no contradiction: the copy may be real, the other excluded for
		// its fingerprint)
		let copy_denied = given.copy_of.is_some_and(|j| match (group(i), group(j as usize)) {
			(Some(mine), Some(theirs)) => mine != theirs,
			_ => false,
		});
		given.fingerprint_ok == excluded || copy_denied
	})
}

/// Whether solution fates differ in kind between `first` and `last`: excluded or judged, and
/// judged alone or as one of a group of copies. An appeal that changes a solution's fate in
/// kind overturns the first result as surely as one that moves its score.
pub fn fates_differ(first: &[SolutionFate], last: &[SolutionFate]) -> bool {
	#[derive(PartialEq)]
	enum Kind {
		Honeypot,
		Excluded,
		Alone,
		Grouped(Vec<usize>),
	}
	let kind = |fates: &[SolutionFate], i: usize| match fates.get(i) {
		Some(SolutionFate::Honeypot) => Kind::Honeypot,
		Some(SolutionFate::FalseFingerprint) | None => Kind::Excluded,
		Some(SolutionFate::Judged { group }) => {
			let members: Vec<usize> = fates
				.iter()
				.enumerate()
				.filter(|(_, f)| matches!(f, SolutionFate::Judged { group: g } if g == group))
				.map(|(j, _)| j)
				.collect();
			if members.len() > 1 {
				Kind::Grouped(members)
			} else {
				Kind::Alone
			}
		},
	};
	(0..first.len().max(last.len())).any(|i| kind(first, i) != kind(last, i))
}

/// The groups of copies `pairs` make among `n` solutions: per solution, the first solution of
/// its group.
pub fn groups(n: usize, pairs: &[(u32, u32)]) -> Vec<u32> {
	let mut classes = UnionFind::new(n);
	for (a, b) in pairs {
		if (*a as usize) < n && (*b as usize) < n {
			classes.union(*a as usize, *b as usize);
		}
	}
	(0..n).map(|i| classes.first(i) as u32).collect()
}

/// Disjoint sets over `0..n`, each named by its smallest member.
struct UnionFind(Vec<usize>);

impl UnionFind {
	fn new(n: usize) -> Self {
		Self((0..n).collect())
	}

	fn root(&mut self, mut i: usize) -> usize {
		while self.0[i] != i {
			self.0[i] = self.0[self.0[i]];
			i = self.0[i];
		}
		i
	}

	fn union(&mut self, a: usize, b: usize) {
		let (ra, rb) = (self.root(a), self.root(b));
		// the smaller root names the set
		let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
		self.0[high] = low;
	}

	fn first(&mut self, i: usize) -> usize {
		self.root(i)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn j(q: u8, i: u8) -> Judgement {
		Judgement::scores(SolutionScore {
			quality: Score::new(q).unwrap(),
			innovation: Score::new(i).unwrap(),
		})
	}

	fn sc(q: u8, i: u8) -> SolutionScore {
		SolutionScore { quality: Score::new(q).unwrap(), innovation: Score::new(i).unwrap() }
	}

	const RULES: Rules = Rules { clip_band: 15, outlier_margin: 12, noise: 0 };
	// (tests of the arithmetic: a margin below the band shows it is its own rule)

	fn judged(group: u32) -> SolutionFate {
		SolutionFate::Judged { group }
	}

	#[test]
	fn a_verdict_the_final_fates_reverse_is_told_apart_from_one_they_keep() {
		// solution 0 judged alone, 1 and 2 one group, 3 excluded, 4 a honeypot
		let fates = [
			judged(0),
			judged(1),
			judged(1),
			SolutionFate::FalseFingerprint,
			SolutionFate::Honeypot,
		];
		let honest = {
			let mut v = [j(50, 50); 5];
			v[2].copy_of = Some(1);
			v[3].fingerprint_ok = false;
			v
		};
		assert!(!verdicts_reversed(&honest, &fates));
		// not naming a copy the result found is no verdict (the chain's filter groups too)
		let mut quiet = honest;
		quiet[2].copy_of = None;
		assert!(!verdicts_reversed(&quiet, &fates));
		// a judged solution called false; an excluded one called fine; a copy of a solution
		// the result keeps apart; whatever is said of a honeypot counts for nothing
		let mut framing = honest;
		framing[0].fingerprint_ok = false;
		assert!(verdicts_reversed(&framing, &fates));
		let mut covering = honest;
		covering[3].fingerprint_ok = true;
		assert!(verdicts_reversed(&covering, &fates));
		let mut copy = honest;
		copy[0].copy_of = Some(1);
		assert!(verdicts_reversed(&copy, &fates));
		// a copy of a solution excluded for its fingerprint is no contradiction (the honest
		// verdict on a leaked copy under a made-up fingerprint)
		let mut of_excluded = honest;
		of_excluded[0].copy_of = Some(3);
		assert!(!verdicts_reversed(&of_excluded, &fates));
		// nor is naming a copy of a judged solution from an excluded one
		let mut from_excluded = honest;
		from_excluded[3].copy_of = Some(0);
		assert!(!verdicts_reversed(&from_excluded, &fates));
		let mut honeypot = honest;
		honeypot[4].fingerprint_ok = false;
		honeypot[0].copy_of = Some(4);
		assert!(!verdicts_reversed(&honeypot, &fates));
	}

	#[test]
	fn fates_differ_in_kind_not_in_the_names_of_groups() {
		let first = [judged(0), judged(1), judged(1), SolutionFate::FalseFingerprint];
		// the same groups under other names
		assert!(!fates_differ(
			&first,
			&[judged(5), judged(7), judged(7), SolutionFate::FalseFingerprint]
		));
		// excluded → judged; alone → grouped; grouped → alone
		assert!(fates_differ(&first, &[judged(0), judged(1), judged(1), judged(3)]));
		assert!(fates_differ(
			&first,
			&[judged(0), judged(0), judged(0), SolutionFate::FalseFingerprint]
		));
		assert!(fates_differ(
			&first,
			&[judged(0), judged(1), judged(2), SolutionFate::FalseFingerprint]
		));
	}

	#[test]
	fn an_outlier_on_any_solution_and_axis_is_flagged_and_set_aside() {
		let honest = [[j(80, 50), j(60, 40)], [j(82, 52), j(58, 40)], [j(79, 49), j(61, 42)]];
		// favours the second solution on innovation only
		let colluder = [j(80, 50), j(60, 100)];
		let mut ballots: Vec<Ballot> =
			honest.iter().map(|h| Ballot { weight: 1, judgements: h, set_aside: false }).collect();
		ballots.push(Ballot { weight: 1, judgements: &colluder, set_aside: false });
		let t = tally(&ballots, 2, &[], &[0, 1], RULES);
		assert_eq!(t.flagged, vec![false, false, false, true]);
		// the consensus is the honest three's: the 100 is gone, not clipped
		assert_eq!(t.result[1], sc(59, 40));
		// a harsh score counts as much as a generous one
		let harsh = [j(80, 50), j(30, 40)];
		ballots[3] = Ballot { weight: 1, judgements: &harsh, set_aside: false };
		assert!(tally(&ballots, 2, &[], &[0, 1], RULES).flagged[3]);
	}

	#[test]
	fn a_honeypot_catches_a_validator_who_does_not_look() {
		let known = sc(5, 5);
		let honest = [[j(70, 50), j(8, 3)], [j(72, 52), j(2, 6)], [j(69, 48), j(5, 5)]];
		let stamp = [j(50, 50), j(50, 50)];
		let mut ballots: Vec<Ballot> =
			honest.iter().map(|h| Ballot { weight: 1, judgements: h, set_aside: false }).collect();
		ballots.push(Ballot { weight: 1, judgements: &stamp, set_aside: false });
		let t = tally(&ballots, 2, &[(1, known)], &[0, 1], RULES);
		assert_eq!(t.missed, vec![false, false, false, true]);
		assert_eq!(t.fates[1], SolutionFate::Honeypot);
		assert_eq!(t.result[1], SolutionScore::default());
		// the stamp's 50 on the real solution is an outlier too
		assert!(t.flagged[3]);
		assert_eq!(t.result[0], sc(70, 50));
	}

	#[test]
	fn verdicts_go_by_weighted_majority() {
		// three solutions; the third is a copy of the first with a false fingerprint by two
		// of three validators, a copy of the first by all three
		let mut a = [j(80, 50), j(60, 40), j(80, 50)];
		a[2].fingerprint_ok = false;
		a[2].copy_of = Some(0);
		let mut b = a;
		b[1].copy_of = Some(2); // a lone claim: not a majority
		let mut c = [j(80, 50), j(60, 40), j(80, 50)];
		c[0].copy_of = Some(2);
		let ballots = [
			Ballot { weight: 2, judgements: &a, set_aside: false },
			Ballot { weight: 2, judgements: &b, set_aside: false },
			Ballot { weight: 3, judgements: &c, set_aside: false },
		];
		let t = tally(&ballots, 3, &[], &[0, 1, 2], RULES);
		// 4 of 7 say the fingerprint is false: excluded, so no group with it
		assert_eq!(
			t.fates,
			vec![
				SolutionFate::Judged { group: 0 },
				SolutionFate::Judged { group: 1 },
				SolutionFate::FalseFingerprint
			]
		);
		// with its fingerprint fine, the copy joins the first solution's group
		c[2].fingerprint_ok = true;
		let mut a2 = a;
		a2[2].fingerprint_ok = true;
		let ballots = [
			Ballot { weight: 2, judgements: &a2, set_aside: false },
			Ballot { weight: 3, judgements: &c, set_aside: false },
		];
		let t = tally(&ballots, 3, &[], &[0, 1, 2], RULES);
		assert_eq!(t.fates[2], SolutionFate::Judged { group: 0 });
		assert_eq!(t.fates[1], SolutionFate::Judged { group: 1 });
	}

	#[test]
	fn the_chain_filters_pairs_make_groups() {
		assert_eq!(groups(5, &[(3, 1), (4, 3)]), vec![0, 1, 2, 1, 1]);
		let honest = [j(80, 50), j(80, 50), j(60, 40)];
		let ballots = [Ballot { weight: 1, judgements: &honest, set_aside: false }];
		let t = tally(&ballots, 3, &[], &groups(3, &[(0, 1)]), RULES);
		assert_eq!(t.fates[1], SolutionFate::Judged { group: 0 });
	}

	#[test]
	fn accuracy_is_convex_in_the_distance_and_zero_at_the_band() {
		let result = [sc(60, 40)];
		assert_eq!(accuracy(&[j(60, 40)], &result, &[], 15).get(), 100);
		// 5 points off on each axis: (10/15)² = 44 %
		assert_eq!(accuracy(&[j(65, 35)], &result, &[], 15).get(), 44);
		// half the band off: a quarter
		assert_eq!(accuracy(&[j(67, 47)], &result, &[], 14).get(), 25);
		assert_eq!(accuracy(&[j(75, 55)], &result, &[], 15).get(), 0);
		assert_eq!(accuracy(&[j(100, 0)], &result, &[], 15).get(), 0);
		// honeypots do not count
		assert_eq!(
			accuracy(&[j(60, 40), j(0, 0)], &[sc(60, 40), sc(90, 90)], &[(1, sc(90, 90))], 15)
				.get(),
			100
		);
		assert!(outside_band(&[j(76, 40)], &result, &[], 15));
		assert!(!outside_band(&[j(75, 40)], &result, &[], 15));
	}

	/// Scores of `n` members over `solutions` solutions: the truth plus noise of standard
	/// deviation `sigma` (the sum of three uniform draws, near normal), deterministic.
	fn noisy_panel(n: usize, solutions: usize, sigma: i32, seed: u32) -> Vec<Vec<Judgement>> {
		let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
		let mut next = move || {
			state ^= state << 13;
			state ^= state >> 17;
			state ^= state << 5;
			state
		};
		(0..n)
			.map(|_| {
				(0..solutions)
					.map(|s| {
						let mut draw = || {
							let d: i32 = (0..3)
								.map(|_| (next() % (2 * sigma as u32 + 1)) as i32 - sigma)
								.sum();
							(40 + 3 * s as i32 + d).clamp(0, 100) as u8
						};
						let (q, i) = (draw(), draw());
						j(q, i)
					})
					.collect()
			})
			.collect()
	}

	fn ballots(judges: &[Vec<Judgement>]) -> Vec<Ballot<'_>> {
		judges.iter().map(|h| Ballot { weight: 10, judgements: h, set_aside: false }).collect()
	}

	#[test]
	fn a_noisy_type_widens_the_margin_instead_of_flagging_its_honest_judges() {
		// honest judges of noise σ 9: past the governance's 12 now and then
		let judges = noisy_panel(5, 8, 9, 7);
		let all: Vec<u32> = (0..8).collect();
		let unlearnt = tally(&ballots(&judges), 8, &[], &all, RULES);
		assert!(unlearnt.flagged.iter().any(|f| *f), "the fixed margin flags honest noise");
		let sigma = noise(&ballots(&judges), 8, &[]).unwrap();
		// an estimate of σ within a third
		assert!((6 * 256..12 * 256).contains(&sigma), "{}", sigma / 256);
		let learnt = Rules { noise: sigma, ..RULES };
		assert!(learnt.margin() > 25, "{}", learnt.margin());
		let t = tally(&ballots(&judges), 8, &[], &all, learnt);
		assert_eq!(t.flagged, vec![false; 5]);
		// …while a score 50 points out still is
		let mut wild = judges.clone();
		wild[4][3] = j(100, 100);
		assert!(tally(&ballots(&wild), 8, &[], &all, learnt).flagged[4]);
		// a quiet type keeps the governance's margin
		let quiet = noisy_panel(5, 8, 1, 7);
		let sigma = noise(&ballots(&quiet), 8, &[]).unwrap();
		assert_eq!(Rules { noise: sigma, ..RULES }.margin(), RULES.outlier_margin);
	}

	#[test]
	fn a_minority_steering_at_any_distance_cannot_widen_the_noise_past_the_others_range() {
		for seed in 0..300u32 {
			let n = 2 + (seed % 8) as usize;
			let solutions = 6;
			let judges = noisy_panel(n, solutions, 1 + (seed % 9) as i32, seed);
			// the widest the honest members' scores spread on any solution and axis
			let range = (0..solutions)
				.flat_map(|s| {
					let judges = &judges;
					[true, false].map(move |q| {
						let scores: Vec<u8> = judges.iter().map(|h| axis(&h[s], q).get()).collect();
						scores.iter().max().unwrap() - scores.iter().min().unwrap()
					})
				})
				.max()
				.unwrap();
			// a coalition of less than half the weight, steering its partner (solution 0) up
			// and every rival down by `far` points
			let far = (seed % 60) as u8 + 5;
			let steered: Vec<Judgement> = judges[0]
				.iter()
				.enumerate()
				.map(|(s, x)| match s {
					0 => j(x.quality.get().saturating_add(far).min(100), 100),
					_ => j(x.quality.get().saturating_sub(far), 0),
				})
				.collect();
			let mut all = ballots(&judges);
			let members = 1 + seed % 3;
			let coalition = (10 * n as u128 - 1) / u128::from(members);
			for _ in 0..members {
				all.push(Ballot { weight: coalition, judgements: &steered, set_aside: false });
			}
			let with = noise(&all, solutions, &[]).unwrap();
			// in points of distance per σ for the panel's size
			let per_spread = NOISE_PER_SPREAD[all.len().min(21)];
			assert!(
				with <= u32::from(range) * per_spread,
				"seed {seed}: {with} > {range} × {per_spread}"
			);
		}
	}

	#[test]
	fn a_whale_cannot_carry_the_median_against_capped_seats() {
		// equal seats after the cap: the whale is one voice of four
		let honest = [j(70, 50)];
		let whale = [j(0, 0)];
		let ballots = [
			Ballot { weight: 25, judgements: &honest, set_aside: false },
			Ballot { weight: 25, judgements: &honest, set_aside: false },
			Ballot { weight: 25, judgements: &honest, set_aside: false },
			Ballot { weight: 25, judgements: &whale, set_aside: false },
		];
		let t = tally(&ballots, 1, &[], &[0], RULES);
		assert_eq!(t.result[0], sc(70, 50));
		assert_eq!(t.flagged, vec![false, false, false, true]);
	}
}
