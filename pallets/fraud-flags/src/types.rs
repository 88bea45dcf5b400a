//! The pallet's stored types.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::{traits::Zero, Perbill};
use tos_primitives::{FraudKind, TaskId};

/// A report's number.
pub type ReportId = u64;

/// The fraud layer's rules, changeable by governance.
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
pub struct FraudParams<Balance, BlockNumber> {
	/// The chain's first plagiarism filter: declared fingerprints this close (differing bits,
	/// of 256) make two solutions copies of each other, sharing one reward.
	pub hamming_threshold: u16,
	/// The share of the offender's bonds a confirmed plagiarism takes.
	pub plagiarism_slash: Perbill,
	/// The share a confirmed collusion takes (by report, or the detector's sanction below).
	pub collusion_slash: Perbill,
	/// The share a confirmed pre-computation takes.
	pub precompute_slash: Perbill,
	/// The reporter's share of a slash it reported.
	pub reporter_share: Perbill,
	/// A validator flagged in at least this many rounds…
	pub collusion_rounds: u32,
	/// …making at least this share of the rounds it judged…
	pub collusion_share: Perbill,
	/// …within this many blocks is a confirmed colluder: slashed, decertified, banned.
	pub collusion_window: BlockNumber,
	/// An account with this many confirmed offences is banned.
	pub ban_after: u32,
	/// For this many blocks.
	pub ban_period: BlockNumber,
	/// The bond a report holds.
	pub report_bond: Balance,
}

impl<Balance, BlockNumber: Zero> FraudParams<Balance, BlockNumber> {
	/// Checks the bounds: a fingerprint has 256 bits, counts and windows are non-zero.
	pub fn is_valid(&self) -> bool {
		self.hamming_threshold <= 256
			&& self.collusion_rounds > 0
			&& !self.collusion_share.is_zero()
			&& !self.collusion_window.is_zero()
			&& self.ban_after > 0
	}

	/// The share of the bonds a confirmed offence of `kind` takes.
	pub fn slash_of(&self, kind: FraudKind) -> Perbill {
		match kind {
			FraudKind::Plagiarism => self.plagiarism_slash,
			FraudKind::Collusion => self.collusion_slash,
			FraudKind::PreComputation => self.precompute_slash,
		}
	}
}

/// A report awaiting adjudication.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Report<AccountId, Balance> {
	/// Who reported.
	pub reporter: AccountId,
	/// Whom.
	pub target: AccountId,
	/// For what.
	pub kind: FraudKind,
	/// The task it cheated in, if the report names one: confirmed, its pay there is clawed
	/// back.
	pub task_id: Option<TaskId>,
	/// The hash of the evidence (off chain).
	pub evidence: H256,
	/// The bond held from the reporter.
	pub bond: Balance,
}

/// A validator's record in the current collusion window: rounds judged and rounds in which a
/// score of it lay further from the panel's median than the outlier margin.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct JudgingRecord<BlockNumber> {
	/// Rounds judged (revealed) since `since`.
	pub judged: u32,
	/// Of which flagged.
	pub flagged: u32,
	/// Where the window began.
	pub since: BlockNumber,
}

/// How many of a validator's latest rounds its running means weigh (older rounds fade).
pub const LEAN_WINDOW: u32 = 12;
/// The least rounds a validator must have judged a miner in before it can be found leaning.
pub const LEAN_ROUNDS: u32 = 6;
/// How much further (points, quality and innovation added) a validator's mean deviation from
/// the consensus on one miner must lie above its mean deviation on everyone before it is
/// found leaning towards that miner, at the least. Far below the outlier margin a single round
/// needs (15 per axis), far above what honest noise of σ 2–4 averages to over [`LEAN_ROUNDS`]
/// rounds (about 1.5, `docs/MECHANISM.md`).
pub const LEAN_MARGIN: i32 = 6;
/// …and on a noisier task type, 2.5 standard deviations of the judges' noise (in halves) if
/// that is more: a round's deviation on one miner, both axes added, has a standard deviation
/// of about 1.6 σ, its mean over [`LEAN_ROUNDS`] rounds about 0.65 σ, so 2.5 σ is nearly four
/// of those — an honest judge of any noise leans by chance in well under 0.1 % of its rounds
/// (the sensitivity sweep, `docs/MECHANISM.md`).
pub const LEAN_NOISE_MARGIN_HALVES: i64 = 5;
/// …and for a validator noisier than its type, 2.5 times its own median distance from the
/// consensus in a round (in halves; `JudgingSpreads`) if that is more: for a round's deviation
/// of standard deviation `s`, the median distance is about 0.67 `s`, so the margin is 1.7 `s`,
/// about four standard deviations of the mean over [`LEAN_ROUNDS`] rounds. The type's noise is
/// what most of its judges show; an honest expert twice as noisy as the rest, judging each
/// miner round after round (sealed seats seat `2n + 1` a task), would otherwise cross the
/// type's margin by luck — in the simulation, often enough to be flagged and slashed. A
/// colluder that adds noise to widen its own margin is an outlier and inaccurate for it.
pub const LEAN_SPREAD_MARGIN_HALVES: i64 = 5;
/// The most miners a validator's [`Leanings`] follow; the one it judged least recently makes
/// room for a new one.
pub const MAX_LEANINGS: u32 = 32;

/// A mean over the latest [`LEAN_WINDOW`] samples (exactly, until there are that many; then
/// each sample moves it by one window's share), in 1/[`RunningMean::SCALE`] points.
#[derive(Clone, Copy, Default, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct RunningMean {
	/// Samples seen.
	pub rounds: u32,
	/// The mean, in 1/[`RunningMean::SCALE`] points.
	pub mean: i32,
}

impl RunningMean {
	/// The fixed-point scale of [`RunningMean::mean`].
	pub const SCALE: i32 = 256;

	/// Adds a sample (points).
	pub fn add(&mut self, sample: i32) {
		self.rounds = self.rounds.saturating_add(1);
		let n = i64::from(self.rounds.min(LEAN_WINDOW));
		let mean = i64::from(self.mean);
		let target = i64::from(sample) * i64::from(Self::SCALE);
		let moved = mean + (target - mean) / n;
		self.mean = moved.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
	}
}

/// One miner a validator judged: its mean deviation from the consensus on that miner.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Leaning<AccountId> {
	/// The miner.
	pub miner: AccountId,
	/// The validator's scores of it minus the consensus, quality and innovation added.
	pub bias: RunningMean,
	/// The validator's round (of [`Leanings::rounds`]) in which it last judged the miner.
	pub seen: u32,
}

/// How a validator's scores lean: its mean deviation from the consensus overall (each round's
/// median deviation, so that one favoured miner does not move it) and per miner it judged.
/// A validator whose mean on a miner lies [`LEAN_MARGIN`] above its overall mean, over at
/// least [`LEAN_ROUNDS`] rounds, leans towards that miner: a bias too small to flag any one
/// round, told from noise by repetition.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Leanings<AccountId> {
	/// Rounds noted.
	pub rounds: u32,
	/// The mean of each round's median deviation.
	pub overall: RunningMean,
	/// Per miner judged, the most recent [`MAX_LEANINGS`].
	pub miners: BoundedVec<Leaning<AccountId>, ConstU32<MAX_LEANINGS>>,
}

impl<AccountId> Default for Leanings<AccountId> {
	fn default() -> Self {
		Self { rounds: 0, overall: RunningMean::default(), miners: BoundedVec::new() }
	}
}

impl<AccountId: PartialEq + Clone> Leanings<AccountId> {
	/// Whether the validator leans towards `miner`, on a type whose judges' noise is `noise`
	/// (one standard deviation in 1/[`RunningMean::SCALE`] points; 0: not known), with a
	/// margin of at least `own` (1/[`RunningMean::SCALE`] points: the validator's own noise).
	pub fn leans_to(&self, miner: &AccountId, noise: u32, own: i64) -> bool {
		let margin = (i64::from(LEAN_MARGIN) * i64::from(RunningMean::SCALE))
			.max(i64::from(noise) * LEAN_NOISE_MARGIN_HALVES / 2)
			.max(own);
		self.miners.iter().any(|l| {
			&l.miner == miner
				&& l.bias.rounds >= LEAN_ROUNDS
				&& i64::from(l.bias.mean) - i64::from(self.overall.mean) >= margin
		})
	}

	/// Notes a round: per miner judged, the validator's deviation from the consensus (points,
	/// quality and innovation added).
	pub fn note(&mut self, deviations: &[(AccountId, i16)]) {
		if deviations.is_empty() {
			return;
		}
		self.rounds = self.rounds.saturating_add(1);
		let mut sorted: alloc::vec::Vec<i16> = deviations.iter().map(|(_, d)| *d).collect();
		sorted.sort_unstable();
		self.overall.add(i32::from(sorted[(sorted.len() - 1) / 2]));
		let round = self.rounds;
		for (miner, deviation) in deviations {
			let index = match self.miners.iter().position(|l| &l.miner == miner) {
				Some(index) => index,
				None => {
					let fresh =
						Leaning { miner: miner.clone(), bias: RunningMean::default(), seen: round };
					match self.miners.try_push(fresh.clone()) {
						Ok(()) => self.miners.len() - 1,
						Err(_) => {
							// the miner judged least recently makes room
							let Some((oldest, _)) =
								self.miners.iter().enumerate().min_by_key(|(_, l)| l.seen)
							else {
								continue;
							};
							self.miners[oldest] = fresh;
							oldest
						},
					}
				},
			};
			let entry = &mut self.miners[index];
			entry.bias.add(i32::from(*deviation));
			entry.seen = round;
		}
	}
}
