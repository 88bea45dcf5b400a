//! The tally of one panel's judgements: pure arithmetic, no storage, so it is tested alone.
//!
//! 0. **Leaning members.** A member the fraud layer finds leaning towards one of the round's
//!    solvers (a bias repeated over many rounds, each too small to flag) is *set aside*: its
//!    scores count in none of the steps below, unless every member is set aside.
//! 1. **Outliers.** Per real solution (not a honeypot) and axis, the weighted median of the
//!    members not set aside.
//!    A member with any score further from it than the outlier margin — any solution, either
//!    axis, either way — is *flagged* for the round. A member whose score of a honeypot lies
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
	/// The outlier margin (points, at most the band).
	pub outlier_margin: u8,
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

fn known_axis(s: &SolutionScore, quality: bool) -> Score {
	if quality {
		s.quality
	} else {
		s.innovation
	}
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
	let mut flagged = alloc::vec![false; ballots.len()];
	let mut missed = alloc::vec![false; ballots.len()];
	for i in 0..solutions {
		for quality in [true, false] {
			match honeypot(i) {
				Some(known) => {
					let truth = known_axis(&known, quality).get();
					for (b, ballot) in ballots.iter().enumerate() {
						if score(ballot, i, quality).get().abs_diff(truth)
							> rules.clip_band.saturating_mul(2)
						{
							missed[b] = true;
						}
					}
				},
				None => {
					let m = median(&heard, i, quality).get();
					for (b, ballot) in ballots.iter().enumerate() {
						if score(ballot, i, quality).get().abs_diff(m) > rules.outlier_margin {
							flagged[b] = true;
						}
					}
				},
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

	const RULES: Rules = Rules { clip_band: 15, outlier_margin: 12 };
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
