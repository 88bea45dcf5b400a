//! # Validation voting
//!
//! Expert validators who judge the solutions miners reveal, paid for being right and for
//! looking.
//!
//! ## Overview
//!
//! An account applies to validate some kinds of work (its *specializations*) and puts up a
//! bond, held on its balance. The certify origin (the expert council in the runtime)
//! *certifies* it per specialization, or withdraws a certification. Only certified validators
//! of a task's specialization can be drawn onto that task's panel. A validator leaves in two
//! steps, `unbond` then `withdraw_unbonded` after a delay, and not while a task it judges is
//! not final, so a penalty can always reach its bond.
//!
//! ## Judging a task
//!
//! When a task's reveal window closes, the task pallet hands its revealed solutions over
//! ([`TaskValidation`]). A *panel* of at least `min_panel` distinct validators is drawn
//! ([`panel`]: who may sit, the draw, the seat weights — capped, so that no single account
//! or small coalition carries a panel, however large its bond). The task's validation blocks
//! are split in two windows. In the first, members commit `BlakeTwo256(judgements ‖ salt ‖
//! validator)` ([`score_commitment`]); in the second they reveal, for every solution, a
//! [`Judgement`]: a quality and an innovation score, 0–100, and two verdicts on the content —
//! is the revealed fingerprint the content's, and is the solution a copy of another one.
//!
//! The tally ([`consensus`]) sets aside the scores of every member with a score further from
//! the panel's median than the outlier margin — favouring or harming, on any solution and
//! either axis — and of every member who missed a honeypot, and takes, from the rest, the
//! consensus (weighted median, clipped, averaged) and the verdicts (a false fingerprint
//! excludes a solution; copies split one solution's share). When the result is final, every
//! member with a score further than the outlier margin from it is *flagged* for the task: not
//! paid, and counted by the fraud layer ([`FraudOracle`]), which confirms a colluder, slashing
//! it, once such rounds are a large share of many. Judged against the final result, not the
//! first tally, an honest member outvoted by a captured panel and vindicated on appeal is not
//! flagged. The miner a colluder favoured is never punished for it.
//!
//! **Verdicts are judged like scores.** A member whose verdict the final result reverses — a
//! fingerprint called false of a solution that was judged, or true of one excluded, or a copy
//! named that the result does not group — is flagged and unpaid as an outlier is, and the
//! fraud layer counts the round against it: a cartel that declares a rival's fingerprint false
//! to exclude it pays for it when the rival's dispute is upheld.
//!
//! **Leaning.** A colluder who keeps each bias inside the outlier margin is never an outlier;
//! repeated, its bias is still visible. Every final result tells the fraud layer how far each
//! member scored each miner above or below it, and a member the fraud layer finds leaning
//! towards one of a round's solvers ([`FraudOracle::leaning`]: a mean bias of a few points,
//! kept over several rounds judging that miner) is set aside in the tally, unpaid and flagged
//! for the round, as an outlier is.
//!
//! **Honeypots.** The certify origin registers *honeypot providers* by the hash of their
//! account and a nonce, so nobody can tell them from miners. A provider has a solution whose
//! quality it knows — junk, or a reference solution — submitted by an ordinary miner account,
//! a fresh one each time if it likes, with the commitment's salt binding the known scores
//! (`BlakeTwo256("tos-honeypot" ‖ known ‖ secret)`), so the known scores are fixed before
//! the panel commits. Once the panel's scores are committed, and before any member has
//! revealed (so that nobody can pick whom a honeypot catches from the scores on chain), the
//! provider [`declare_honeypot`](Pallet::declare_honeypot)s it, naming the solver: only
//! the declaration links the provider to that solver, and a provider whose solvers are fresh
//! accounts leaves no trace a validator could use to spot its next honeypot. A member who
//! scored it further than twice the clip band from the known quality did not look: it loses
//! the honeypot share of its bond and its pay for the task (twice the band, so that no honest
//! expert's noise ever costs it its stake). Honeypots are neither judged nor paid.
//!
//! **Pay.** Members are paid from the task's escrow (the rewards pallet's validators' part) by
//! *pay weight*: accuracy × seat weight, where accuracy is convex in the distance to the
//! consensus and zero from the clip band on; flagged (outlying or leaning) members and
//! honeypot misses get none.
//! Emission follows the same weights.
//!
//! **A panel that does not judge is replaced.** A member who never revealed loses the
//! non-reveal share of its bond. If fewer than a quorum (the larger of `min_panel` and a
//! majority of the panel) revealed, the panel is refilled from validators not yet drawn, up to
//! `max_redraws` times; then — or at once, if too few validators can sit — the task goes to
//! the council ([`council_judge`](Pallet::council_judge)). The escrow stays held meanwhile:
//! a publisher whose own validators stay silent gets no refund for it.
//!
//! **Sealed seats** ([`Config::SealedSeats`]). A task's first draw for a panel of `n`
//! seats `2n + 1`. Everyone drawn commits in the commit window; when it closes, those who sat
//! are split: the `n` heaviest are the panel and reveal now, the other `n + 1` are *sealed* ([`Reserves`])
//! and reveal only once the panel's result is provisional, in the dispute window. The sealed
//! members committed before any score was on chain, so nothing they judge with could be copied.
//! They are judged against the final result and paid from the escrow with the panel, by the
//! same rule (a silent one loses the non-reveal share, one who missed a honeypot the honeypot
//! share and its pay). When at least `min_panel` were sealed and a quorum of them revealed, the
//! final result is the tally of everyone who committed blind, panel and sealed together — a
//! captured panel is outvoted by members it could not see even when its victims do not notice —
//! and a dispute is theirs to hear: when their own tally overturns the first result, it is
//! final and the first panel's grossly wrong judges are slashed, as on an appeal. The heaviest
//! sit on the panel so that a coalition whose identities are certain of a seat in every draw is
//! spent there, as on a first panel a drawn appeal excludes. It costs a little more than twice
//! the judging work of a panel alone; it buys appeals nobody can answer by copying the result
//! under review.
//!
//! **Disputes.** Every provisional result — a winner or none — may be disputed by the publisher or
//! a miner who revealed within the dispute window, with a bond of the larger of `min_dispute_bond`
//! and `dispute_bond_share` of the reward — doubled for each dispute the account lost in a row, the
//! last within a day ([`Pallet::dispute_bond`], [`LostDisputes`]): a wronged miner wins its dispute
//! and pays nothing, one who disputes every result pays 5 %, 10 %, 20 %, … of the reward. Sealed
//! members who can hear it are its appeal panel, when the dispute window closes. Otherwise (sealed
//! seats off, too few sat, too few revealed) an appeal panel of `2n + 1` validators not yet drawn
//! is drawn in a later block (randomness fixed after the dispute), or the council judges when too
//! few can sit. The appeal's consensus is final. If it moved some score by more than the overturn
//! margin, or changed a solution's fate in kind (excluded ↔ judged, alone ↔ one of a group of
//! copies), the disputer gets its bond back and the first panel's members whose scores lay further
//! than twice the clip band from the final result, or whose verdicts it reversed, are slashed (once
//! each, to the treasury) — whether an appeal panel or the council heard the dispute, so that
//! framing a miner costs the same either way — and pay an appeal panel out of it (the treasury pays
//! the members their shares of the sum, so that an appeal costs judges + members transfers, not
//! judges × members), each member by its accuracy × seat; otherwise the disputer's bond pays the
//! appeal panel by seat alone — a member of a drawn appeal panel who copied the result under
//! review, without looking, would be the nearest to the appeal's tally, and must earn no more than
//! one who looked (sealed members cannot copy it). An appeal member the final result flags (an
//! outlier, a reversed verdict, leaning) is paid nothing: one who copied a result the appeal
//! overturned is such a member. The first panel is paid from the escrow either way, by its accuracy
//! against the final result: a frivolous dispute costs its disputer, not the honest judges. If the
//! council lets its deadline pass, the first result stands and the disputer, who could not be
//! heard, gets its bond back; with no result at all, the scores the members short of a quorum
//! revealed decide, and with none the task is settled unjudged (the rewards pallet shares the
//! escrow less the fee among the solutions delivered: the publisher has seen the work).
//!
//! When the result is final, miners' quality and innovation and validators' accuracy are
//! recorded in reputation ([`ReputationLedger`]) and the outcome goes back to the task pallet
//! ([`TaskPhases::judged`]), which pays it out.
//!
//! Rounds move by block number in `on_initialize`, through a deadline queue that handles at
//! most `MaxDeadlinesPerBlock` per block, oldest first, and never drops one
//! (`tos_primitives::deadlines`).
//!
//! ## Modules
//!
//! - [`registry`]: applying, certifying, unbonding, and the one slash rule;
//! - [`panel`]: who may sit, the draw, seat weights;
//! - [`rounds`]: a round's life from the first draw to the final result;
//! - [`consensus`]: the tally, pure;
//! - [`finalize`]: the final result: reputation, pay weights, the appeal's money;
//! - [`migrations`]: storage version 1.
//!
//! ## Calls
//!
//! - [`apply_validator`](Pallet::apply_validator), [`unbond`](Pallet::unbond),
//!   [`withdraw_unbonded`](Pallet::withdraw_unbonded): by the validator;
//! - [`commit_scores`](Pallet::commit_scores), [`reveal_scores`](Pallet::reveal_scores): by a
//!   panel member; [`commit_with_seat`](Pallet::commit_with_seat): by a validator whose
//!   ticket won a seat in a private draw, [`set_seat_key`](Pallet::set_seat_key): by a
//!   validator;
//! - [`dispute`](Pallet::dispute): by the publisher or a miner of the task;
//! - [`declare_honeypot`](Pallet::declare_honeypot): by a honeypot provider;
//! - [`certify`](Pallet::certify), [`decertify`](Pallet::decertify),
//!   [`add_honeypot_provider`](Pallet::add_honeypot_provider),
//!   [`remove_honeypot_provider`](Pallet::remove_honeypot_provider): by the certify origin;
//! - [`council_judge`](Pallet::council_judge): by the council origin;
//! - [`set_params`](Pallet::set_params): by the parameters origin.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod consensus;
pub mod finalize;
pub mod migrations;
#[cfg(test)]
mod mock;
pub mod panel;
pub mod registry;
pub mod rounds;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, InspectHold, Mutate, MutateHold},
		tokens::Preservation,
		Randomness,
	},
};
use frame_system::pallet_prelude::*;
use sp_core::H256;
use sp_runtime::{
	traits::{BlakeTwo256, Hash as _, Saturating, UniqueSaturatedInto, Zero},
	Perbill,
};
use tos_primitives::{
	FraudOracle, OutcomeScores, ReputationDimension, ReputationLedger, ReputationView,
	RevealedSalts, Score, SolutionScore, SpecializationSet, TaskId, TaskPhases, TaskType,
	TaskValidation, ValidationRequest,
};

/// A balance of the currency bonds are held in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// A task being judged.
pub type RoundOf<T> = Round<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxPanel,
	<T as Config>::MaxSolutions,
>;
/// A first panel's result.
pub type ProvisionalOf<T> = Provisional<<T as Config>::MaxSolutions>;
/// A dispute of a first panel's result.
pub type AppealOf<T> =
	Appeal<<T as frame_system::Config>::AccountId, BalanceOf<T>, <T as Config>::MaxPanel>;
/// The judging rules.
pub type ValidationParamsOf<T> = ValidationParams<BalanceOf<T>, BlockNumberFor<T>>;
/// A panel member's judgements, one per solution.
pub type JudgementsOf<T> = BoundedVec<Judgement, <T as Config>::MaxSolutions>;

/// How long a lost dispute raises an account's next dispute bond (blocks: a day of six-second
/// blocks).
pub const DISPUTE_MEMORY: u32 = 14_400;
/// The most times lost disputes double a dispute bond (2¹⁰: a thousandfold).
pub const MAX_DISPUTE_DOUBLINGS: u32 = 10;

/// About how many tallies the learnt noise of a task type averages over ([`JudgingNoise`]).
pub const NOISE_WINDOW: u32 = 16;

/// The most blocks the deadline cursor moves over in one block.
const DEADLINE_SCAN: u32 = 64;

/// The rounds' deadline queue.
type Queue<T> =
	tos_primitives::deadlines::Deadlines<Deadlines<T>, DeadlineCursor<T>, BlockNumberFor<T>>;

/// The storage version: 1 reveals [`Judgement`]s with verdicts, keeps rounds of
/// [`Round`]'s new shape and the rules' new fields ([`migrations::v1`]).
const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

/// Sets up what the benchmarks need from the task pallet.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes `miner` have revealed a solution to `task_id` with `salt`.
	fn revealed(task_id: TaskId, miner: &AccountId, salt: H256);
	/// Makes the draws public ([`Config::PrivateDraws`] false), where the runtime lets them
	/// be: a public draw seats its panel at once, the heavier path a draw's weight must cover.
	fn public_draws() {}
}

#[cfg(feature = "runtime-benchmarks")]
impl<AccountId> BenchmarkHelper<AccountId> for () {
	fn revealed(_: TaskId, _: &AccountId, _: H256) {}
}

/// The commitment a panel member makes: `BlakeTwo256(judgements ‖ salt ‖ validator)`.
pub fn score_commitment<AccountId: Encode>(
	judgements: &[Judgement],
	salt: &H256,
	validator: &AccountId,
) -> H256 {
	BlakeTwo256::hash_of(&(judgements, salt, validator))
}

/// The salt a honeypot's commitment carries: `BlakeTwo256("tos-honeypot" ‖ known ‖ secret)`.
pub fn honeypot_salt(known: &SolutionScore, secret: &H256) -> H256 {
	BlakeTwo256::hash_of(&(b"tos-honeypot", known, secret))
}

/// A honeypot provider's registered key: `BlakeTwo256(account ‖ nonce)`.
pub fn honeypot_key<AccountId: Encode>(provider: &AccountId, nonce: &H256) -> H256 {
	BlakeTwo256::hash_of(&(provider, nonce))
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The pallet's configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency bonds are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ InspectHold<Self::AccountId>
			+ Mutate<Self::AccountId>;
		/// The runtime's hold reasons, which include this pallet's.
		type RuntimeHoldReason: From<HoldReason>;
		/// Who certifies validators and registers honeypot providers (the expert council).
		type CertifyOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Who judges a task no panel could (the expert council).
		type CouncilOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Who may change [`ValidationParams`].
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Randomness for the panel draws that no single party chooses (the block authors'
		/// VRF outputs in the runtime).
		type Randomness: Randomness<H256, BlockNumberFor<Self>>;
		/// Reputation, for panel weights.
		type Reputation: ReputationView<Self::AccountId>;
		/// Where outcomes (miners' quality, validators' accuracy) are recorded.
		type Ledger: ReputationLedger<Self::AccountId>;
		/// The task's record of where judging is, and who pays the final result out.
		type Tasks: TaskPhases<Self::AccountId>;
		/// What miners revealed (a honeypot's salt).
		type Salts: RevealedSalts<Self::AccountId>;
		/// The fraud layer: counts the rounds a validator was flagged in, and finds a member
		/// leaning towards a miner.
		type Fraud: FraudOracle<Self::AccountId, BlockNumberFor<Self>>;
		/// Where slashed bonds go.
		#[pallet::constant]
		type Treasury: Get<Self::AccountId>;
		/// The least bond of a validator.
		#[pallet::constant]
		type MinBond: Get<BalanceOf<Self>>;
		/// Blocks between `unbond` and `withdraw_unbonded`.
		#[pallet::constant]
		type UnbondingDelay: Get<BlockNumberFor<Self>>;
		/// The most validators certified for one specialization (bounds panel draws).
		#[pallet::constant]
		type MaxCandidates: Get<u32>;
		/// The largest panel, appeals included.
		#[pallet::constant]
		type MaxPanel: Get<u32>;
		/// The most solutions of one task (as in the task pallet).
		#[pallet::constant]
		type MaxSolutions: Get<u32>;
		/// The most honeypot providers registered at once.
		#[pallet::constant]
		type MaxHoneypotProviders: Get<u32>;
		/// The most deadlines handled in one block.
		#[pallet::constant]
		type MaxDeadlinesPerBlock: Get<u32>;
		/// Whether panels are drawn privately: each validator's own VRF ticket decides its
		/// seat, shown only with its commitment ([`crate::panel`], `tos_primitives::sortition`).
		/// Without, the runtime's randomness draws a panel everyone sees before it commits.
		/// Read when a draw opens, so a switch applies to the draws after it.
		type PrivateDraws: Get<bool>;
		/// Whether a task's first draw also seats *sealed* members, one more than the panel
		/// ([`Reserves`]): they commit with the panel, before anything is on chain, and reveal
		/// only once the provisional result is out, so an appeal heard by them (with the first
		/// panel) has nothing to copy. Read when a first draw opens.
		type SealedSeats: Get<bool>;
		/// An account's seat key when it set none ([`SeatKeys`]): for sr25519 accounts, the
		/// account's own public key.
		type DefaultSeatKey: sp_runtime::traits::Convert<Self::AccountId, Option<[u8; 32]>>;
		/// The rules genesis starts with.
		type DefaultParams: Get<ValidationParamsOf<Self>>;
		/// Weights of the calls and the hook, from benchmarks.
		type WeightInfo: WeightInfo;
		/// Sets up what the benchmarks need from the task pallet.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A validator's bond.
		ValidatorBond,
		/// A dispute's bond, until the appeal decides.
		DisputeBond,
	}

	/// Validators, certified or not.
	#[pallet::storage]
	pub type Validators<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		ValidatorInfo<BalanceOf<T>, BlockNumberFor<T>>,
	>;

	/// The validators certified for each specialization, for panel draws.
	#[pallet::storage]
	pub type Certified<T: Config> = StorageMap<
		_,
		Twox64Concat,
		TaskType,
		BoundedVec<T::AccountId, T::MaxCandidates>,
		ValueQuery,
	>;

	/// Tasks being judged.
	#[pallet::storage]
	pub type Rounds<T: Config> = StorageMap<_, Twox64Concat, TaskId, RoundOf<T>>;

	/// Panel members' score commitments, per task.
	#[pallet::storage]
	pub type ScoreCommits<T: Config> =
		StorageDoubleMap<_, Twox64Concat, TaskId, Blake2_128Concat, T::AccountId, H256>;

	/// Panel members' revealed judgements, per task (every panel's, until the result is final).
	#[pallet::storage]
	pub type ScoreReveals<T: Config> =
		StorageDoubleMap<_, Twox64Concat, TaskId, Blake2_128Concat, T::AccountId, JudgementsOf<T>>;

	/// The rounds with a deadline at a block (see `tos_primitives::deadlines`).
	#[pallet::storage]
	pub type Deadlines<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, TaskId, ()>;

	/// The oldest block whose deadlines may not all have been handled.
	#[pallet::storage]
	pub type DeadlineCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// How many panels each validator sits on whose task is not final yet: it may not withdraw
	/// its bond before (a penalty must be able to reach it).
	#[pallet::storage]
	pub type ActivePanels<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, OptionQuery>;

	/// The judging rules.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, ValidationParamsOf<T>, OptionQuery>;

	/// Honeypot providers, by [`honeypot_key`] of their account and a nonce (so nobody can
	/// tell a provider's solutions from a miner's before it declares them).
	#[pallet::storage]
	pub type HoneypotProviders<T: Config> = StorageMap<_, Identity, H256, ()>;

	/// How many honeypot providers are registered.
	#[pallet::storage]
	pub type HoneypotProviderCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The judges' noise per task type as the chain has learnt it: one standard deviation of
	/// their scores around the truth, in 1/[`consensus::NOISE_SCALE`] points, a running mean
	/// of every tally's [`consensus::noise`] over about [`NOISE_WINDOW`] rounds (0 before the
	/// type's first tally). The outlier margin widens with it past the governance's
	/// ([`consensus::Rules::margin`]), and so does the fraud layer's leaning margin.
	#[pallet::storage]
	pub type JudgingNoise<T: Config> = StorageMap<_, Twox64Concat, TaskType, u32, ValueQuery>;

	/// Per account, how many disputes it lost in a row (the appeal upheld the first result)
	/// and the block of the last: each doubles the bond of its next dispute, until
	/// [`DISPUTE_MEMORY`] blocks pass without another ([`Pallet::dispute_bond`]).
	#[pallet::storage]
	pub type LostDisputes<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, (u32, BlockNumberFor<T>), OptionQuery>;

	/// Validators' seat keys (sr25519 public keys) and the block each was set in, where they
	/// set one ([`Pallet::set_seat_key`]); otherwise [`Config::DefaultSeatKey`]. A key counts
	/// only in draws opened after that block: one set once a draw's seed is known could be
	/// ground until its ticket wins.
	#[pallet::storage]
	pub type SeatKeys<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ([u8; 32], BlockNumberFor<T>)>;

	/// The private draw now open for a task's panel: its seed, the weight of the validators
	/// who may sit, and the seats it expects (see [`crate::panel`]).
	#[pallet::storage]
	pub type Draws<T: Config> = StorageMap<_, Twox64Concat, TaskId, Draw>;

	/// A task's sealed members, with their seat weights: drawn and committed with its first
	/// panel, split from it by randomness drawn when the commit window closed, revealing during
	/// the dispute window. Present (perhaps empty) once the split is made; removed with the
	/// round.
	#[pallet::storage]
	pub type Reserves<T: Config> =
		StorageMap<_, Twox64Concat, TaskId, BoundedVec<(T::AccountId, u128), T::MaxPanel>>;

	/// Genesis writes [`Config::DefaultParams`].
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
			Params::<T>::put(T::DefaultParams::get());
		}
	}

	/// Why a validator lost stake.
	#[derive(
		Clone, Copy, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug,
	)]
	pub enum Penalty {
		/// It was on a panel and did not reveal.
		NoReveal,
		/// It scored a honeypot further than the clip band from its known quality.
		MissedHoneypot,
		/// An appeal (or the council) overturned the result, and its scores lay outside twice
		/// the final one's band, or its verdicts were reversed.
		Overturned,
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An account applied to validate, holding its bond.
		ValidatorApplied {
			who: T::AccountId,
			specializations: SpecializationSet,
			bond: BalanceOf<T>,
		},
		/// Governance certified a validator for a specialization.
		Certified { who: T::AccountId, specialization: TaskType },
		/// A validator's certification was withdrawn (by governance, a ban, or unbonding).
		Decertified { who: T::AccountId, specialization: TaskType },
		/// A validator started withdrawing its bond; it is no longer drawn.
		Unbonding { who: T::AccountId, amount: BalanceOf<T>, unlock_at: BlockNumberFor<T> },
		/// A validator withdrew its bond and left.
		Withdrawn { who: T::AccountId, amount: BalanceOf<T> },
		/// Validators were drawn for a task: the whole `panel` now judging (an appeal panel
		/// when `appeal`), with the members `new` to it.
		PanelSelected {
			task_id: TaskId,
			panel: Vec<T::AccountId>,
			new: Vec<T::AccountId>,
			appeal: bool,
		},
		/// A private draw opened for a task's panel: validators whose VRF ticket on the
		/// draw's message wins may sit, `seats` expected (an appeal panel when `appeal`).
		DrawOpened { task_id: TaskId, seats: u32, appeal: bool, attempt: u8 },
		/// A first draw's commit window closed: of the members who committed, `sealed` reveal
		/// only once the provisional result is out, and hear its appeal if there is one.
		SeatsSealed { task_id: TaskId, sealed: Vec<T::AccountId> },
		/// A validator showed a winning ticket with its commitment and sits on the panel.
		Seated { task_id: TaskId, validator: T::AccountId },
		/// A validator set its seat key.
		SeatKeySet { who: T::AccountId, key: [u8; 32] },
		/// A panel member committed to its scores.
		ScoresCommitted { task_id: TaskId, validator: T::AccountId },
		/// A panel member revealed its judgements.
		ScoresRevealed { task_id: TaskId, validator: T::AccountId },
		/// A member lost `slashed` of its bond, for `reason`.
		ValidatorPenalised {
			task_id: TaskId,
			validator: T::AccountId,
			slashed: BalanceOf<T>,
			reason: Penalty,
		},
		/// A member scored further from the final result than the outlier margin, or leans
		/// towards one of the solvers: it is not paid for this task, and the fraud layer counts
		/// the round against it.
		ValidatorFlagged { task_id: TaskId, validator: T::AccountId },
		/// A honeypot provider declared solution `index` a honeypot of known quality.
		HoneypotDeclared { task_id: TaskId, index: u32 },
		/// A honeypot provider was registered (by its key).
		HoneypotProviderAdded { key: H256 },
		/// A honeypot provider was removed.
		HoneypotProviderRemoved { key: H256 },
		/// The panel's consensus, provisional until the dispute window closes.
		ProvisionalResult {
			task_id: TaskId,
			scores: Vec<SolutionScore>,
			dispute_until: BlockNumberFor<T>,
		},
		/// The provisional result was disputed, holding `bond`; an appeal panel (or the
		/// council) judges again.
		Disputed { task_id: TaskId, disputer: T::AccountId, bond: BalanceOf<T> },
		/// No panel could judge: the council has until `until`.
		ReferredToCouncil { task_id: TaskId, until: BlockNumberFor<T> },
		/// The appeal decided: `overturned` returns the disputer's bond.
		AppealDecided { task_id: TaskId, overturned: bool },
		/// Copies of each other (by content or by the chain's filter): they share one reward.
		CopiesGrouped { task_id: TaskId, miners: Vec<T::AccountId> },
		/// A solution's revealed fingerprint is not its content's: excluded.
		FingerprintRejected { task_id: TaskId, miner: T::AccountId },
		/// The result is final and handed on for payment.
		ResultFinal { task_id: TaskId, scores: Vec<SolutionScore> },
		/// Governance changed the rules.
		ParamsUpdated,
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is a validator already.
		AlreadyApplied,
		/// The account is not a validator.
		NotAValidator,
		/// The bond is below the minimum.
		BondBelowMinimum,
		/// The specializations are empty or name an unknown task type.
		InvalidSpecializations,
		/// The account cannot hold that much.
		InsufficientBalance,
		/// The validator did not apply for this specialization.
		NotApplied,
		/// The validator is certified for it already.
		AlreadyCertified,
		/// The validator is not certified for it.
		NotCertified,
		/// Too many validators are certified for this specialization.
		TooManyCandidates,
		/// The validator is unbonding already.
		AlreadyUnbonding,
		/// Nothing is unbonding, or not for long enough.
		NothingToWithdraw,
		/// No task is being judged under this id.
		UnknownRound,
		/// The caller is not on the task's panel.
		NotOnPanel,
		/// The commit window is not open.
		NotCommitPhase,
		/// The reveal window is not open.
		NotRevealPhase,
		/// A sealed member reveals once the provisional result is out, not before.
		SealedUntilProvisional,
		/// This member has committed already.
		AlreadyCommitted,
		/// This member made no commitment.
		NoCommitment,
		/// This member has revealed already.
		AlreadyRevealed,
		/// The judgements do not number one per solution, a score is above 100, or a copy
		/// names a solution that does not exist (or itself).
		InvalidScores,
		/// The judgements and salt do not hash, with the caller, to the commitment.
		CommitmentMismatch,
		/// The result is not provisional, or the dispute window is over.
		NotDisputable,
		/// Only the publisher or a miner with a revealed solution may dispute.
		NotAParticipant,
		/// The result has been disputed already.
		AlreadyDisputed,
		/// The rules are out of bounds (scores 0–100, the outlier margin within the clip band,
		/// windows, panels and caps non-zero).
		InvalidParams,
		/// The validator judges a task whose result is not final yet.
		StillOnPanel,
		/// The task is not waiting for the council.
		NotReferred,
		/// The key is registered already.
		AlreadyProvider,
		/// No honeypot provider has this key.
		UnknownProvider,
		/// As many honeypot providers are registered as may be.
		TooManyProviders,
		/// The caller, with this nonce, is not a registered honeypot provider.
		NotHoneypotProvider,
		/// The named solver revealed no solution to this task.
		NotASolver,
		/// The known scores and secret do not hash to the salt the solver's commitment revealed.
		HoneypotMismatch,
		/// No private draw is open for this task's panel.
		NoDraw,
		/// The caller may not sit on this task: not certified for its type, unbonding, too
		/// little bond for its reward, or a party to it.
		CannotSit,
		/// The caller has no seat key (set one with `set_seat_key`).
		NoSeatKey,
		/// The caller's seat key was set after this draw opened (its seed known): it counts
		/// from the next draw.
		SeatKeyTooNew,
		/// The proof is not the caller's seat key's VRF over the draw's message.
		BadSeatProof,
		/// The caller's ticket does not win a seat in this draw.
		NotDrawn,
		/// The panel has as many members as it may.
		PanelFull,
		/// Honeypots are declared while the panel now judging reveals its scores.
		NotDeclarable,
		/// The task carries as many honeypots as it may, or this one is declared already.
		TooManyHoneypots,
		/// A member of the panel judging now has revealed its scores: a honeypot declared then
		/// could be chosen by who it catches, so declarations close at the first reveal.
		DeclaredTooLate,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let due = Queue::<T>::take_due(now, T::MaxDeadlinesPerBlock::get(), DEADLINE_SCAN);
			// a read per block scanned and per deadline taken, a write per deadline removed
			let mut weight = T::WeightInfo::on_initialize_base().saturating_add(
				T::DbWeight::get().reads_writes(
					u64::from(due.scanned) + due.tasks.len() as u64,
					due.tasks.len() as u64,
				),
			);
			for task_id in due.tasks {
				weight.saturating_accrue(Self::on_deadline(task_id, now));
			}
			weight
		}

		fn integrity_test() {
			assert!(T::MaxPanel::get() > 0, "panels need a member");
			assert!(T::MaxSolutions::get() > 0, "tasks take at least one solution");
			assert!(T::MaxDeadlinesPerBlock::get() > 0, "some deadline must fit a block");
			assert!(T::DefaultParams::get().is_valid(), "default params are valid");
			assert!(
				T::MaxPanel::get().saturating_mul(3) <= MAX_SEATED,
				"every panel of a task, refills included, fits the seated list"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Applies to validate `specializations`, holding `bond` (at least the minimum).
		///
		/// Origin: signed. Emits [`Event::ValidatorApplied`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::apply_validator())]
		pub fn apply_validator(
			origin: OriginFor<T>,
			specializations: SpecializationSet,
			bond: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_apply(who, specializations, bond)
		}

		/// Certifies `who` for `specialization`, which it applied for.
		///
		/// Origin: [`Config::CertifyOrigin`]. Emits [`Event::Certified`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::certify())]
		pub fn certify(
			origin: OriginFor<T>,
			who: T::AccountId,
			specialization: TaskType,
		) -> DispatchResult {
			T::CertifyOrigin::ensure_origin(origin)?;
			Self::do_certify(who, specialization)
		}

		/// Withdraws `who`'s certification for `specialization`.
		///
		/// Origin: [`Config::CertifyOrigin`]. Emits [`Event::Decertified`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::decertify())]
		pub fn decertify(
			origin: OriginFor<T>,
			who: T::AccountId,
			specialization: TaskType,
		) -> DispatchResult {
			T::CertifyOrigin::ensure_origin(origin)?;
			Self::do_decertify(who, specialization)
		}

		/// Starts withdrawing the caller's whole bond: it is no longer drawn onto panels, and may
		/// withdraw after the unbonding delay. Penalties can still reach the unbonding amount.
		///
		/// Origin: signed, a validator. Emits [`Event::Unbonding`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::unbond())]
		pub fn unbond(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unbond(who)
		}

		/// Releases the bond once the unbonding delay has passed and no task it judges is
		/// still open; the validator leaves.
		///
		/// Origin: signed, an unbonding validator. Emits [`Event::Withdrawn`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded())]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw(who)
		}

		/// Commits to judgements of task `task_id`'s solutions: `commitment` is
		/// `BlakeTwo256(judgements ‖ salt ‖ validator)` (see [`score_commitment`]).
		///
		/// Origin: signed, a member of the panel now judging. Emits [`Event::ScoresCommitted`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::commit_scores())]
		pub fn commit_scores(
			origin: OriginFor<T>,
			task_id: TaskId,
			commitment: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_commit_scores(who, task_id, commitment)
		}

		/// Reveals the judgements committed to: for each solution, in the order of the task's
		/// solvers, a quality and an innovation score (0–100), whether its fingerprint is its
		/// content's, and which other solution, if any, it copies. Refused unless they hash,
		/// with `salt` and the caller, to the commitment.
		///
		/// Origin: signed, a panel member who committed. Emits [`Event::ScoresRevealed`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::reveal_scores(judgements.len() as u32))]
		pub fn reveal_scores(
			origin: OriginFor<T>,
			task_id: TaskId,
			judgements: JudgementsOf<T>,
			salt: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reveal_scores(who, task_id, judgements, salt)
		}

		/// Disputes a provisional result, holding the dispute bond (the larger of the minimum
		/// and the bond share of the task's reward): an appeal panel, larger than the first and
		/// drawn in the next block from validators not yet drawn, judges again — or the council,
		/// when too few can sit.
		///
		/// Origin: signed, the publisher or a miner with a revealed solution. Emits
		/// [`Event::Disputed`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::dispute())]
		pub fn dispute(origin: OriginFor<T>, task_id: TaskId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_dispute(who, task_id)
		}

		/// Replaces the judging rules (for rounds from now on; windows already running keep
		/// theirs).
		///
		/// Origin: [`Config::ParamsOrigin`]. Emits [`Event::ParamsUpdated`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(origin: OriginFor<T>, params: ValidationParamsOf<T>) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			ensure!(params.is_valid(), Error::<T>::InvalidParams);
			Params::<T>::put(params);
			Self::deposit_event(Event::ParamsUpdated);
			Ok(())
		}

		/// Judges a task referred to the council: its judgements are the final result (an
		/// open dispute is decided against the first panel's result, if there was one).
		///
		/// Origin: [`Config::CouncilOrigin`]. Emits [`Event::ResultFinal`].
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::council_judge(T::MaxPanel::get(), judgements.len() as u32))]
		pub fn council_judge(
			origin: OriginFor<T>,
			task_id: TaskId,
			judgements: JudgementsOf<T>,
		) -> DispatchResult {
			T::CouncilOrigin::ensure_origin(origin)?;
			Self::do_council_judge(task_id, judgements)
		}

		/// Registers a honeypot provider by `key`, its [`honeypot_key`].
		///
		/// Origin: [`Config::CertifyOrigin`]. Emits [`Event::HoneypotProviderAdded`].
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::add_honeypot_provider())]
		pub fn add_honeypot_provider(origin: OriginFor<T>, key: H256) -> DispatchResult {
			T::CertifyOrigin::ensure_origin(origin)?;
			ensure!(!HoneypotProviders::<T>::contains_key(key), Error::<T>::AlreadyProvider);
			let count = HoneypotProviderCount::<T>::get();
			ensure!(count < T::MaxHoneypotProviders::get(), Error::<T>::TooManyProviders);
			HoneypotProviders::<T>::insert(key, ());
			HoneypotProviderCount::<T>::put(count.saturating_add(1));
			Self::deposit_event(Event::HoneypotProviderAdded { key });
			Ok(())
		}

		/// Removes the honeypot provider registered by `key`.
		///
		/// Origin: [`Config::CertifyOrigin`]. Emits [`Event::HoneypotProviderRemoved`].
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::remove_honeypot_provider())]
		pub fn remove_honeypot_provider(origin: OriginFor<T>, key: H256) -> DispatchResult {
			T::CertifyOrigin::ensure_origin(origin)?;
			ensure!(HoneypotProviders::<T>::contains_key(key), Error::<T>::UnknownProvider);
			HoneypotProviders::<T>::remove(key);
			HoneypotProviderCount::<T>::mutate(|n| *n = n.saturating_sub(1));
			Self::deposit_event(Event::HoneypotProviderRemoved { key });
			Ok(())
		}

		/// Declares `solver`'s solution to `task_id` a honeypot of quality `known`: refused
		/// unless the caller with `nonce` is a registered provider and `solver`'s revealed salt
		/// is [`honeypot_salt`] of `known` and `secret` (which only whoever chose the salt
		/// knows). The solver may be the provider or any account it submitted through. Only
		/// once the panel now judging has committed (so nobody can adapt to the declaration)
		/// and before any member has revealed (so the provider cannot pick whom it catches).
		///
		/// Origin: signed, a honeypot provider. Emits [`Event::HoneypotDeclared`].
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::declare_honeypot())]
		pub fn declare_honeypot(
			origin: OriginFor<T>,
			task_id: TaskId,
			solver: T::AccountId,
			nonce: H256,
			known: SolutionScore,
			secret: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_declare_honeypot(who, task_id, solver, nonce, known, secret)
		}

		/// Sets the caller's seat key: the sr25519 public key whose VRF decides its seats in
		/// private draws opened after this block (by default an sr25519 account's own key,
		/// [`Config::DefaultSeatKey`]).
		///
		/// Origin: signed, a validator. Emits [`Event::SeatKeySet`].
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::set_seat_key())]
		pub fn set_seat_key(origin: OriginFor<T>, key: [u8; 32]) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(Validators::<T>::contains_key(&who), Error::<T>::NotAValidator);
			SeatKeys::<T>::insert(&who, (key, frame_system::Pallet::<T>::block_number()));
			Self::deposit_event(Event::SeatKeySet { who, key });
			Ok(())
		}

		/// Takes a seat on task `task_id`'s panel in its open private draw and commits to
		/// judgements as [`commit_scores`](Pallet::commit_scores) does: `proof` is the
		/// caller's seat key's VRF over the draw's message
		/// (`tos_primitives::sortition::message`), whose ticket must win for the caller's
		/// weight.
		///
		/// Origin: signed, a certified validator who may sit on the task. Emits
		/// [`Event::Seated`] and [`Event::ScoresCommitted`].
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::commit_with_seat())]
		pub fn commit_with_seat(
			origin: OriginFor<T>,
			task_id: TaskId,
			commitment: H256,
			proof: tos_primitives::sortition::SeatProof,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_commit_with_seat(who, task_id, commitment, proof)
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The rules in force ([`Config::DefaultParams`] before genesis has set any).
	pub fn params() -> ValidationParamsOf<T> {
		Params::<T>::get().unwrap_or_else(T::DefaultParams::get)
	}

	/// Suggested rules for a runtime's [`Config::DefaultParams`]: a clip band and an outlier
	/// margin of 15 points (the band must hold honest experts' disagreement: about four times
	/// the spread of their scores, `docs/MECHANISM.md`); 10 % of the bond for not revealing or missing a honeypot,
	/// 20 % for judging outside the band of a result an appeal overturned; a dispute window of
	/// 10 blocks, a dispute bond of 5 % of the reward and at least one unit; an overturn
	/// margin of 10 points; panels of at least 3, no seat over a quarter of a panel, bonds
	/// counted up to 10 000 units and a seat needing 5 % of the reward at stake; the council
	/// given 100 blocks; one refill of a panel that did not reveal.
	pub fn default_params() -> ValidationParamsOf<T> {
		ValidationParams {
			clip_band: 15,
			outlier_margin: 15,
			non_reveal_slash: Perbill::from_percent(10),
			honeypot_slash: Perbill::from_percent(10),
			overturn_slash: Perbill::from_percent(20),
			dispute_blocks: 10u32.into(),
			min_dispute_bond: 1u32.into(),
			dispute_bond_share: Perbill::from_percent(5),
			overturn_margin: 10,
			min_panel: 3,
			max_seat_share: Perbill::from_percent(25),
			stake_cap: 10_000u32.into(),
			seat_bond_share: Perbill::from_percent(5),
			council_blocks: 100u32.into(),
			max_redraws: 1,
		}
	}

	/// Queues `task_id`'s next deadline at `at`; never lost, handled in order (see
	/// `tos_primitives::deadlines`).
	fn schedule(at: BlockNumberFor<T>, task_id: TaskId) {
		Queue::<T>::schedule(at, task_id);
	}

	/// Checks that every certified list names validators certified for it, that holds match
	/// bonds and disputes, that every round has its deadline queued, and that the provider
	/// count is right.
	#[cfg(any(feature = "std", feature = "try-runtime"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		for (task_type, list) in Certified::<T>::iter() {
			for who in list.iter() {
				let certified =
					Validators::<T>::get(who).is_some_and(|v| v.certified.contains(task_type));
				frame_support::ensure!(certified, "a listed validator is not certified");
			}
		}
		for (who, validator) in Validators::<T>::iter() {
			let expected = validator
				.bond
				.saturating_add(validator.unbonding.map(|(a, _)| a).unwrap_or_default());
			let held = T::Currency::balance_on_hold(&HoldReason::ValidatorBond.into(), &who);
			frame_support::ensure!(held == expected, "a validator's hold differs from its bond");
		}
		let mut disputes: alloc::collections::btree_map::BTreeMap<T::AccountId, BalanceOf<T>> =
			Default::default();
		for (task_id, round) in Rounds::<T>::iter() {
			if let Some(appeal) = round.appeal {
				let entry = disputes.entry(appeal.disputer).or_insert_with(Zero::zero);
				*entry = entry.saturating_add(appeal.bond);
			}
			frame_support::ensure!(Queue::<T>::contains(task_id), "a round has no deadline queued");
		}
		for (task_id, _) in Draws::<T>::iter() {
			let committing = Rounds::<T>::get(task_id)
				.is_some_and(|r| matches!(r.phase, RoundPhase::Commit { .. }));
			frame_support::ensure!(committing, "a draw is open outside a commit window");
		}
		for (task_id, sealed) in Reserves::<T>::iter() {
			let round = Rounds::<T>::get(task_id).ok_or("sealed members of no round")?;
			frame_support::ensure!(
				sealed.iter().all(|(v, _)| round.seated.contains(v) && !round.on_panel(v)),
				"a sealed member is not seated, or also on the panel"
			);
		}
		for (who, amount) in disputes {
			let held = T::Currency::balance_on_hold(&HoldReason::DisputeBond.into(), &who);
			frame_support::ensure!(held == amount, "a dispute hold differs from its bond");
		}
		frame_support::ensure!(
			HoneypotProviders::<T>::iter().count() as u32 == HoneypotProviderCount::<T>::get(),
			"the provider count is wrong"
		);
		Ok(())
	}
}

impl<T: Config> TaskValidation<T::AccountId, BalanceOf<T>, BlockNumberFor<T>> for Pallet<T> {
	fn begin_validation(
		request: ValidationRequest<'_, T::AccountId, BalanceOf<T>, BlockNumberFor<T>>,
	) {
		Self::begin(request);
	}

	fn weight() -> Weight {
		T::WeightInfo::begin_validation(T::MaxCandidates::get())
	}
}
