//! The pallet's stored types.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::{traits::Zero, Perbill};
use tos_primitives::FraudKind;

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
