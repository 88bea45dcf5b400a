//! The AI-mining domain: ids, task types, scores and fingerprints shared by the pallets.
//!
//! Every numeric judgement here is an integer or a fixed-point number: the runtime must give
//! the same answer on every machine, so floats never appear.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::Perbill;

/// A task's identifier: assigned in publication order, never reused.
pub type TaskId = u64;

/// The kind of AI work a task asks for. The same enum names a miner's or a validator's
/// *specialization*: an account may take a task only if its specializations include the
/// task's type.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum TaskType {
	/// Write or repair program code against a specification and tests.
	CodeGeneration,
	/// Analyse a data set and report findings.
	DataAnalysis,
	/// Run a model on given inputs and return its outputs.
	ModelInference,
	/// Label or annotate a data set.
	DataLabelling,
	/// Train or fine-tune a model to a target metric.
	ModelTraining,
	/// Anything else, judged by its specification.
	Other,
}

impl TaskType {
	/// Every task type, in encoding order.
	pub const ALL: [TaskType; 6] = [
		TaskType::CodeGeneration,
		TaskType::DataAnalysis,
		TaskType::ModelInference,
		TaskType::DataLabelling,
		TaskType::ModelTraining,
		TaskType::Other,
	];

	/// The bit this type occupies in a [`SpecializationSet`].
	pub const fn bit(self) -> u16 {
		1 << (self as u16)
	}
}

/// An account's specializations, as a set of [`TaskType`]s packed in a bit field: fixed size
/// in storage, cheap to test.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SpecializationSet(u16);

impl SpecializationSet {
	/// The set with no specialization.
	pub const fn empty() -> Self {
		Self(0)
	}

	/// The set holding exactly `types`.
	pub fn from_types(types: &[TaskType]) -> Self {
		Self(types.iter().fold(0, |bits, t| bits | t.bit()))
	}

	/// Whether `task_type` is in the set.
	pub const fn contains(self, task_type: TaskType) -> bool {
		self.0 & task_type.bit() != 0
	}

	/// The set with `task_type` added.
	pub const fn with(self, task_type: TaskType) -> Self {
		Self(self.0 | task_type.bit())
	}

	/// The set without `task_type`.
	pub const fn without(self, task_type: TaskType) -> Self {
		Self(self.0 & !task_type.bit())
	}

	/// Whether the set is empty.
	pub const fn is_empty(self) -> bool {
		self.0 == 0
	}

	/// Whether every bit set names a known [`TaskType`]; a set decoded from user input must
	/// pass this before it is stored.
	pub fn is_valid(self) -> bool {
		let known = TaskType::ALL.iter().fold(0u16, |bits, t| bits | t.bit());
		self.0 & !known == 0
	}

	/// The task types in the set, in encoding order.
	pub fn iter(self) -> impl Iterator<Item = TaskType> {
		TaskType::ALL.into_iter().filter(move |t| self.contains(*t))
	}
}

/// A validator's judgement of one solution on one axis (quality or innovation): an integer
/// from 0 to 100. Construct it with [`Score::new`], which refuses anything above 100.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Score(u8);

impl Score {
	/// The highest score.
	pub const MAX: Score = Score(100);

	/// `value` as a score, or `None` if it is above 100.
	pub const fn new(value: u8) -> Option<Self> {
		if value <= Self::MAX.0 {
			Some(Self(value))
		} else {
			None
		}
	}

	/// The score as an integer in `0..=100`.
	pub const fn get(self) -> u8 {
		self.0
	}

	/// Whether a score decoded from user input is within range.
	pub const fn is_valid(self) -> bool {
		self.0 <= Self::MAX.0
	}

	/// The score as a fraction of the maximum, in fixed point.
	pub fn as_fraction(self) -> Perbill {
		Perbill::from_rational(u32::from(self.0.min(Self::MAX.0)), u32::from(Self::MAX.0))
	}
}

/// What a validator says about one solution, or the panel's consensus on it.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SolutionScore {
	/// How well it solves the task.
	pub quality: Score,
	/// How new its approach is.
	pub innovation: Score,
}

impl SolutionScore {
	/// Whether both scores are within range.
	pub const fn is_valid(&self) -> bool {
		self.quality.is_valid() && self.innovation.is_valid()
	}
}

/// One dimension of reputation, or a weighted total of them: a fixed-point fraction from 0 to
/// 1 with nine decimals.
pub type ReputationScore = Perbill;

/// A share in basis points: 10 000 basis points are the whole.
pub type BasisPoints = u16;

/// The number of basis points in a whole.
pub const BASIS_POINTS_WHOLE: BasisPoints = 10_000;

/// A miner's standing, which follows from reputation and gates which tasks it may take.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum MinerLevel {
	/// A new or unproven miner.
	#[default]
	Novice,
	/// A miner with a steady record.
	Skilled,
	/// A miner trusted with demanding tasks.
	Expert,
	/// The top level.
	Master,
}

impl MinerLevel {
	/// The highest level whose threshold `value` reaches, given the thresholds of Skilled,
	/// Expert and Master (ascending): a score, a record or a reward against its levels.
	pub fn reached<V: PartialOrd>(value: &V, [skilled, expert, master]: &[V; 3]) -> Self {
		if value >= master {
			Self::Master
		} else if value >= expert {
			Self::Expert
		} else if value >= skilled {
			Self::Skilled
		} else {
			Self::Novice
		}
	}
}

/// A 256-bit similarity sketch of a solution (SimHash or MinHash style), revealed with the
/// solution so that near-copies can be detected by Hamming distance.
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Fingerprint(pub [u8; 32]);

impl Fingerprint {
	/// The number of bits in which two fingerprints differ (0 to 256).
	pub fn hamming_distance(&self, other: &Fingerprint) -> u32 {
		self.0.iter().zip(other.0.iter()).map(|(a, b)| (a ^ b).count_ones()).sum()
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::{Decode, Encode};

	#[test]
	fn scores_above_one_hundred_are_refused() {
		assert_eq!(Score::new(100).map(Score::get), Some(100));
		assert_eq!(Score::new(0).map(Score::get), Some(0));
		assert_eq!(Score::new(101), None);
		assert_eq!(Score::new(u8::MAX), None);
	}

	#[test]
	fn a_decoded_out_of_range_score_is_detected() {
		let decoded = Score::decode(&mut &[150u8][..]).expect("one byte decodes");
		assert!(!decoded.is_valid());
		assert!(Score::new(42).expect("in range").is_valid());
	}

	#[test]
	fn score_fraction_is_exact_fixed_point() {
		assert_eq!(Score::new(50).unwrap().as_fraction(), Perbill::from_percent(50));
		assert_eq!(Score::MAX.as_fraction(), Perbill::one());
		assert_eq!(Score::default().as_fraction(), Perbill::zero());
	}

	#[test]
	fn specialization_set_holds_exactly_what_was_added() {
		let set = SpecializationSet::from_types(&[TaskType::CodeGeneration, TaskType::Other]);
		assert!(set.contains(TaskType::CodeGeneration));
		assert!(set.contains(TaskType::Other));
		assert!(!set.contains(TaskType::DataAnalysis));
		assert_eq!(set.iter().collect::<Vec<_>>(), vec![TaskType::CodeGeneration, TaskType::Other]);
		assert!(set.with(TaskType::DataAnalysis).contains(TaskType::DataAnalysis));
		assert!(SpecializationSet::empty().is_empty());
	}

	#[test]
	fn specialization_set_with_unknown_bits_is_invalid() {
		let valid = SpecializationSet::from_types(&TaskType::ALL);
		assert!(valid.is_valid());
		let bogus = SpecializationSet::decode(&mut &0x8000u16.encode()[..]).unwrap();
		assert!(!bogus.is_valid());
	}

	#[test]
	fn task_types_encode_as_one_byte_in_declaration_order() {
		for (i, t) in TaskType::ALL.iter().enumerate() {
			assert_eq!(t.encode(), vec![i as u8]);
		}
		assert_eq!(TaskType::max_encoded_len(), 1);
	}

	#[test]
	fn hamming_distance_counts_differing_bits() {
		let a = Fingerprint([0u8; 32]);
		let mut b = a;
		assert_eq!(a.hamming_distance(&b), 0);
		b.0[0] = 0b1010_0001;
		b.0[31] = 0xff;
		assert_eq!(a.hamming_distance(&b), 3 + 8);
		assert_eq!(Fingerprint([0xff; 32]).hamming_distance(&a), 256);
	}

	#[test]
	fn miner_levels_are_ordered() {
		assert!(MinerLevel::Novice < MinerLevel::Skilled);
		assert!(MinerLevel::Expert < MinerLevel::Master);
		assert_eq!(MinerLevel::default(), MinerLevel::Novice);
	}
}
