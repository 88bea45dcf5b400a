//! Governance (issue 9): the runtime is upgraded, and the AI-mining pallets are steered, by
//! vote.
//!
//! - `Preimage` stores the calls that referenda and the scheduler refer to by hash; a
//!   deposit (a hold) is taken per stored byte.
//! - `Scheduler` dispatches approved calls after their enactment delay.
//! - `Referenda` runs referenda on four tracks ([`TosTracks`]): `root` (anything, in
//!   particular `System::authorize_upgrade`), `parameters`, `certification` and
//!   `adjudication` (the origins of `pallet_tos_governance`).
//! - `ConvictionVoting` counts TOS votes, weighted by how long the voter locks them.
//! - `Council` (`pallet_collective`, instance 1) is the expert council: up to 13 members, whose
//!   two-thirds majority certifies validators and adjudicates fraud reports.
//! - `Treasury` owns the account that already receives fees ([`TreasuryPalletId`]).
//!
//! Every period below depends on `pallet_tos_governance::Speed`, chosen at genesis: the
//! development and local presets use `Fast` (a root referendum passes in about six minutes
//! with six-second blocks), a production chain `Normal` (days).
//!
//! A runtime upgrade by vote: a referendum on the `root` track with the call
//! `System::authorize_upgrade(code_hash)`; once it is enacted anyone submits the code with
//! `System::apply_authorized_upgrade(code)` (free, no signature).

use alloc::borrow::Cow;
use frame_support::{
	parameter_types,
	traits::{
		fungible::HoldConsideration,
		tokens::{PayFromAccount, UnityAssetBalanceConversion},
		AsEnsureOriginWithArg, CallerTrait, ConstU32, EitherOf, EqualPrivilegeOnly,
		LinearStoragePrice, OriginTrait, TotalIssuanceOf,
	},
	weights::Weight,
};
use frame_system::{EnsureRoot, EnsureRootWithSuccess, EnsureSigned};
use pallet_referenda::{Curve, Track, TrackInfo};
use pallet_tos_governance::{BySpeed, GovernanceSpeed};
use sp_runtime::{traits::AccountIdLookup, Perbill, Permill};

use super::{RuntimeBlockWeights, TreasuryAccount, TreasuryPalletId};
use crate::{
	AccountId, Balance, Balances, BlockNumber, Governance, OriginCaller, Preimage, Referenda,
	Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason, RuntimeOrigin, Scheduler, System,
	Treasury, DAYS, HOURS, MICRO_UNIT, MINUTES, UNIT,
};

// ---------------------------------------------------------------------------------------------
// Origins of the AI-mining pallets
// ---------------------------------------------------------------------------------------------

/// The expert council's instance of `pallet_collective`.
pub type CouncilCollective = pallet_collective::Instance1;

/// At least two thirds of the expert council.
pub type CouncilTwoThirds =
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>;

/// Who may change the AI-mining pallets' parameters: Root, or a referendum on the
/// `parameters` track.
pub type EnsureParametersOrRoot =
	EitherOf<EnsureRoot<AccountId>, pallet_tos_governance::EnsureParameters>;

/// Who may certify and decertify validators: Root, two thirds of the expert council, or a
/// referendum on the `certification` track.
pub type EnsureCertifier = EitherOf<
	EnsureRoot<AccountId>,
	EitherOf<CouncilTwoThirds, pallet_tos_governance::EnsureCertification>,
>;

/// Who may confirm and dismiss fraud reports: Root, two thirds of the expert council, or a
/// referendum on the `adjudication` track.
pub type EnsureAdjudicator = EitherOf<
	EnsureRoot<AccountId>,
	EitherOf<CouncilTwoThirds, pallet_tos_governance::EnsureAdjudication>,
>;

// ---------------------------------------------------------------------------------------------
// Preimage
// ---------------------------------------------------------------------------------------------

parameter_types! {
	/// Held for every stored preimage...
	pub const PreimageBaseDeposit: Balance = UNIT;
	/// ...plus this per byte: 0.0001 TOS, about 105 TOS for a 1 MiB preimage.
	pub const PreimageByteDeposit: Balance = 100 * MICRO_UNIT;
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
}

/// `pallet_preimage`: calls stored by hash, a hold per byte; Root may note and clear them free.
/// `pallet_tos_governance`: the origins of TOS's own tracks and the governance speed.
impl pallet_tos_governance::Config for Runtime {}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_preimage::WeightInfo<Runtime>;
	// still required by 50.0.0 (for old reserves being migrated to holds)
	type Currency = Balances;
	type ManagerOrigin = EnsureRoot<AccountId>;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

// ---------------------------------------------------------------------------------------------
// Scheduler
// ---------------------------------------------------------------------------------------------

parameter_types! {
	/// Scheduled calls may fill 80 % of a block.
	pub MaximumSchedulerWeight: Weight =
		Perbill::from_percent(80) * RuntimeBlockWeights::get().max_block;
}

/// Calls scheduled for one block. The referenda benchmarks schedule many alarms at once, so
/// the limit is raised for them (the pallet's own advice).
#[cfg(not(feature = "runtime-benchmarks"))]
pub type MaxScheduledPerBlock = ConstU32<50>;
#[cfg(feature = "runtime-benchmarks")]
pub type MaxScheduledPerBlock = ConstU32<512>;

/// `pallet_scheduler`: dispatches enacted referenda. Only Root schedules directly.
impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = MaxScheduledPerBlock;
	type WeightInfo = crate::weights::pallet_scheduler::WeightInfo<Runtime>;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

// ---------------------------------------------------------------------------------------------
// Referenda and their tracks
// ---------------------------------------------------------------------------------------------

/// Track of Root: runtime upgrades and anything else.
pub const ROOT_TRACK: u16 = 0;
/// Track of `pallet_tos_governance::Origin::Parameters`.
pub const PARAMETERS_TRACK: u16 = 1;
/// Track of `pallet_tos_governance::Origin::Certification`.
pub const CERTIFICATION_TRACK: u16 = 2;
/// Track of `pallet_tos_governance::Origin::Adjudication`.
pub const ADJUDICATION_TRACK: u16 = 3;

/// The periods of a track, in blocks.
#[derive(Clone, Copy)]
struct Periods {
	/// From submission until deciding may begin (once the decision deposit is placed).
	prepare: BlockNumber,
	/// How long deciding may last before the referendum is rejected.
	decision: BlockNumber,
	/// How long a passing referendum must keep passing.
	confirm: BlockNumber,
	/// The least delay between approval and dispatch.
	enactment: BlockNumber,
}

/// The periods of every track on a `Fast` chain: one block to prepare, five minutes to decide,
/// thirty seconds to confirm, a minute to enactment.
const FAST: Periods = Periods { prepare: 1, decision: 5 * MINUTES, confirm: 5, enactment: MINUTES };

/// A track as configured here; [`TosTracks`] turns it into `pallet_referenda`'s `TrackInfo`
/// for the chain's speed.
struct TrackSpec {
	id: u16,
	/// At most 25 bytes (`pallet_referenda`'s default track-name length).
	name: &'static str,
	max_deciding: u32,
	decision_deposit: Balance,
	/// The periods on a `Normal` chain; a `Fast` one uses [`FAST`].
	normal: Periods,
	min_approval: Curve,
	min_support: Curve,
}

impl TrackSpec {
	fn info(&self, speed: GovernanceSpeed) -> TrackInfo<Balance, BlockNumber> {
		let periods = match speed {
			GovernanceSpeed::Fast => FAST,
			GovernanceSpeed::Normal => self.normal,
		};
		TrackInfo {
			name: sp_runtime::str_array(self.name),
			max_deciding: self.max_deciding,
			decision_deposit: self.decision_deposit,
			prepare_period: periods.prepare,
			decision_period: periods.decision,
			confirm_period: periods.confirm,
			min_enactment_period: periods.enactment,
			min_approval: self.min_approval.clone(),
			min_support: self.min_support.clone(),
		}
	}
}

/// A threshold falling linearly from `ceil` % at the start of the decision period to
/// `floor` % at its end.
const fn linear(ceil: u32, floor: u32) -> Curve {
	Curve::LinearDecreasing {
		length: Perbill::from_percent(100),
		floor: Perbill::from_percent(floor),
		ceil: Perbill::from_percent(ceil),
	}
}

/// A track of the expert reviews (certification, adjudication): many at once, a small
/// deposit, days rather than weeks, 10 % support to start with.
const fn review_track(id: u16, name: &'static str) -> TrackSpec {
	TrackSpec {
		id,
		name,
		max_deciding: 20,
		decision_deposit: 100 * UNIT,
		normal: Periods {
			prepare: HOURS,
			decision: 3 * DAYS,
			confirm: 3 * HOURS,
			enactment: 10 * MINUTES,
		},
		min_approval: linear(100, 50),
		min_support: linear(10, 0),
	}
}

/// The tracks, sorted by id. Approval (conviction-weighted ayes over all votes) falls from
/// 100 % to 50 % on every track; support (ayes without conviction over total issuance) falls
/// to zero from 50 % (root), 25 % (parameters) or 10 % (certification, adjudication).
static TRACKS: [TrackSpec; 4] = [
	TrackSpec {
		id: ROOT_TRACK,
		name: "root",
		max_deciding: 1,
		decision_deposit: 1_000 * UNIT,
		normal: Periods { prepare: 2 * HOURS, decision: 14 * DAYS, confirm: DAYS, enactment: DAYS },
		min_approval: linear(100, 50),
		min_support: linear(50, 0),
	},
	TrackSpec {
		id: PARAMETERS_TRACK,
		name: "parameters",
		max_deciding: 10,
		decision_deposit: 500 * UNIT,
		normal: Periods {
			prepare: 2 * HOURS,
			decision: 7 * DAYS,
			confirm: 6 * HOURS,
			enactment: DAYS,
		},
		min_approval: linear(100, 50),
		min_support: linear(25, 0),
	},
	review_track(CERTIFICATION_TRACK, "certification"),
	review_track(ADJUDICATION_TRACK, "adjudication"),
];

/// The referenda tracks. Their ids and origins are fixed; their periods follow
/// `pallet_tos_governance::Speed`, so `tracks` and `info` build owned values, and `track_ids`
/// is overridden so that counting the tracks (conviction voting bounds its locks by it) reads
/// no storage.
pub struct TosTracks;

impl pallet_referenda::TracksInfo<Balance, BlockNumber> for TosTracks {
	type Id = u16;
	type RuntimeOrigin = <RuntimeOrigin as OriginTrait>::PalletsOrigin;

	fn tracks() -> impl Iterator<Item = Cow<'static, Track<Self::Id, Balance, BlockNumber>>> {
		let speed = Governance::speed();
		TRACKS.iter().map(move |spec| Cow::Owned(Track { id: spec.id, info: spec.info(speed) }))
	}

	fn track_ids() -> impl Iterator<Item = Self::Id> {
		TRACKS.iter().map(|spec| spec.id)
	}

	fn info(id: Self::Id) -> Option<Cow<'static, TrackInfo<Balance, BlockNumber>>> {
		let spec = TRACKS.iter().find(|spec| spec.id == id)?;
		Some(Cow::Owned(spec.info(Governance::speed())))
	}

	fn track_for(origin: &Self::RuntimeOrigin) -> Result<Self::Id, ()> {
		if origin.is_root() {
			return Ok(ROOT_TRACK);
		}
		match <&pallet_tos_governance::Origin>::try_from(origin) {
			Ok(pallet_tos_governance::Origin::Parameters) => Ok(PARAMETERS_TRACK),
			Ok(pallet_tos_governance::Origin::Certification) => Ok(CERTIFICATION_TRACK),
			Ok(pallet_tos_governance::Origin::Adjudication) => Ok(ADJUDICATION_TRACK),
			Err(()) => Err(()),
		}
	}
}

parameter_types! {
	/// Reserved from whoever submits a referendum, returned once it is decided.
	pub const SubmissionDeposit: Balance = 10 * UNIT;
}

/// `pallet_referenda`: any signed account submits; Root or two thirds of the council cancel
/// (deposits returned); Root kills (deposits slashed to the treasury).
impl pallet_referenda::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_referenda::WeightInfo<Runtime>;
	type Scheduler = Scheduler;
	type Currency = Balances;
	type SubmitOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	type CancelOrigin = EitherOf<EnsureRoot<AccountId>, CouncilTwoThirds>;
	type KillOrigin = EnsureRoot<AccountId>;
	type Slash = Treasury;
	type Votes = Balance;
	type Tally = pallet_conviction_voting::TallyOf<Runtime>;
	type SubmissionDeposit = SubmissionDeposit;
	type MaxQueued = ConstU32<100>;
	/// A referendum whose decision deposit is never placed may be cancelled by anyone after.
	type UndecidingTimeout = BySpeed<Runtime, ConstU32<{ 30 * MINUTES }>, ConstU32<{ 14 * DAYS }>>;
	type AlarmInterval = ConstU32<1>;
	type Tracks = TosTracks;
	type Preimages = Preimage;
	type BlockNumberProvider = System;
}

// ---------------------------------------------------------------------------------------------
// Conviction voting
// ---------------------------------------------------------------------------------------------

/// `pallet_conviction_voting`: votes of locked TOS (held bonds count too: the lock overlaps
/// holds). Support is measured against total issuance. A conviction-1 vote stays locked one
/// period after the referendum ends (longer than any enactment delay), conviction 6 for 32.
impl pallet_conviction_voting::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::pallet_conviction_voting::WeightInfo<Runtime>;
	type Currency = Balances;
	type Polls = Referenda;
	type MaxTurnout = TotalIssuanceOf<Balances, AccountId>;
	type MaxVotes = ConstU32<128>;
	type VoteLockingPeriod = BySpeed<Runtime, ConstU32<{ MINUTES }>, ConstU32<{ 7 * DAYS }>>;
	type BlockNumberProvider = System;
	type VotingHooks = ();
}

// ---------------------------------------------------------------------------------------------
// The expert council
// ---------------------------------------------------------------------------------------------

parameter_types! {
	/// A council motion may dispatch at most half a block.
	pub MaxCouncilProposalWeight: Weight =
		Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

/// `pallet_collective` (instance 1): the expert council. Members are set by Root (a root-track
/// referendum); members who do not vote count as the prime's vote. No proposal deposit: the
/// members are trusted and `MaxProposals` bounds what they can open.
impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = BySpeed<Runtime, ConstU32<{ 5 * MINUTES }>, ConstU32<{ 3 * DAYS }>>;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = ConstU32<13>;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = crate::weights::pallet_collective::WeightInfo<Runtime>;
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCouncilProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	type Consideration = ();
}

// ---------------------------------------------------------------------------------------------
// Treasury
// ---------------------------------------------------------------------------------------------

parameter_types! {
	/// Nothing of the treasury is burnt: fees and forfeits accumulate for governance to spend.
	pub const TreasuryBurn: Permill = Permill::zero();
	/// Root (a root-track referendum) may spend any amount at once.
	pub const MaxTreasurySpend: Balance = Balance::MAX;
}

/// `pallet_treasury`: its account is [`TreasuryAccount`], the one fees already go to (same
/// [`TreasuryPalletId`]). Spends are in TOS only (`AssetKind = ()`), paid from that account.
impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	// voids an approved spend before it is paid (`void_spend`, deprecated `remove_approval`)
	type RejectOrigin = EitherOf<EnsureRoot<AccountId>, CouncilTwoThirds>;
	type RuntimeEvent = RuntimeEvent;
	type SpendPeriod = BySpeed<Runtime, ConstU32<{ 10 * MINUTES }>, ConstU32<{ 6 * DAYS }>>;
	type Burn = TreasuryBurn;
	type PalletId = TreasuryPalletId;
	type BurnDestination = ();
	type WeightInfo = crate::weights::pallet_treasury::WeightInfo<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = ConstU32<100>;
	type SpendOrigin = EnsureRootWithSuccess<AccountId, MaxTreasurySpend>;
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = AccountIdLookup<AccountId, ()>;
	type Paymaster = PayFromAccount<Balances, TreasuryAccount>;
	type BalanceConverter = UnityAssetBalanceConversion;
	type PayoutPeriod = BySpeed<Runtime, ConstU32<{ HOURS }>, ConstU32<{ 30 * DAYS }>>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TreasuryBenchmarkHelper;
	type BlockNumberProvider = System;
}

/// The treasury benchmarks' spends: `AssetKind = ()`, and beneficiaries that hold the
/// existential deposit already — the benchmarks pay out 100 planck, too little to open an
/// account here.
#[cfg(feature = "runtime-benchmarks")]
pub struct TreasuryBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_treasury::ArgumentsFactory<(), AccountId> for TreasuryBenchmarkHelper {
	fn create_asset_kind(_: u32) {}

	fn create_beneficiary(seed: [u8; 32]) -> AccountId {
		use frame_support::traits::fungible::Mutate;
		let who = AccountId::from(seed);
		let _ = Balances::mint_into(&who, crate::EXISTENTIAL_DEPOSIT);
		who
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use frame_support::traits::{EnsureOrigin, Get};
	use pallet_referenda::TracksInfo as _;
	use pallet_tos_governance::Origin as GovOrigin;

	/// The referenda's undeciding timeout (its `Get` is generic, so name the value type).
	struct UndecidingTimeout;
	impl UndecidingTimeout {
		fn get() -> BlockNumber {
			<<Runtime as pallet_referenda::Config>::UndecidingTimeout as Get<BlockNumber>>::get()
		}
	}

	#[test]
	fn tracks_are_sorted_and_follow_the_speed() {
		sp_io::TestExternalities::default().execute_with(|| {
			assert_eq!(TosTracks::check_integrity(), Ok(()));
			assert_eq!(TosTracks::track_ids().collect::<alloc::vec::Vec<_>>(), [0, 1, 2, 3]);
			assert_eq!(TosTracks::tracks().count(), 4);

			// a chain that never set a speed is a normal one
			assert_eq!(TosTracks::info(ROOT_TRACK).unwrap().decision_period, 14 * DAYS);
			assert_eq!(UndecidingTimeout::get(), 14 * DAYS);

			pallet_tos_governance::Speed::<Runtime>::put(GovernanceSpeed::Fast);
			let root = TosTracks::info(ROOT_TRACK).unwrap();
			assert_eq!(root.decision_period, 5 * MINUTES);
			assert_eq!(root.min_enactment_period, MINUTES);
			assert_eq!(&root.name[..4], b"root");
			assert_eq!(UndecidingTimeout::get(), 30 * MINUTES);
			assert!(TosTracks::info(4).is_none());
		});
	}

	#[test]
	fn origins_map_to_their_tracks() {
		let track = |origin: OriginCaller| TosTracks::track_for(&origin);
		assert_eq!(track(frame_system::RawOrigin::<AccountId>::Root.into()), Ok(ROOT_TRACK));
		assert_eq!(track(GovOrigin::Parameters.into()), Ok(PARAMETERS_TRACK));
		assert_eq!(track(GovOrigin::Certification.into()), Ok(CERTIFICATION_TRACK));
		assert_eq!(track(GovOrigin::Adjudication.into()), Ok(ADJUDICATION_TRACK));
		assert_eq!(track(frame_system::RawOrigin::Signed(AccountId::new([1; 32])).into()), Err(()));
		assert_eq!(track(frame_system::RawOrigin::<AccountId>::None.into()), Err(()));
	}

	#[test]
	fn mining_origins_accept_root_their_track_and_the_council() {
		let gov = |origin: GovOrigin| RuntimeOrigin::from(origin);
		let council = |ayes, members| {
			RuntimeOrigin::from(
				pallet_collective::RawOrigin::<AccountId, CouncilCollective>::Members(
					ayes, members,
				),
			)
		};

		assert!(EnsureParametersOrRoot::try_origin(RuntimeOrigin::root()).is_ok());
		assert!(EnsureParametersOrRoot::try_origin(gov(GovOrigin::Parameters)).is_ok());
		assert!(EnsureParametersOrRoot::try_origin(gov(GovOrigin::Certification)).is_err());
		assert!(EnsureParametersOrRoot::try_origin(council(3, 3)).is_err());

		assert!(EnsureCertifier::try_origin(RuntimeOrigin::root()).is_ok());
		assert!(EnsureCertifier::try_origin(gov(GovOrigin::Certification)).is_ok());
		assert!(EnsureCertifier::try_origin(council(2, 3)).is_ok());
		assert!(EnsureCertifier::try_origin(council(1, 3)).is_err());
		assert!(EnsureCertifier::try_origin(gov(GovOrigin::Adjudication)).is_err());

		assert!(EnsureAdjudicator::try_origin(gov(GovOrigin::Adjudication)).is_ok());
		assert!(EnsureAdjudicator::try_origin(council(9, 13)).is_ok());
		assert!(EnsureAdjudicator::try_origin(council(8, 13)).is_err());
		assert!(
			EnsureAdjudicator::try_origin(RuntimeOrigin::signed(AccountId::new([1; 32]))).is_err()
		);
	}
}
