//! Governance through real blocks on the development chain (governance speed `Fast`): token
//! holders submit referenda, place the decision deposit, vote with conviction, and the
//! scheduler enacts what passed — a reward split on the parameters track, a runtime upgrade
//! authorized on the root track; a referendum voted down changes nothing.

use super::*;
use crate::{configs::PARAMETERS_TRACK, OriginCaller, Preimage, UNIT};
use frame_support::traits::{schedule::DispatchTime, Bounded, StorePreimage};
use pallet_conviction_voting::{AccountVote, Conviction, Vote};
use pallet_tos_rewards::RewardSplit;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave, Eve, Ferdie};

fn nonce(who: Sr25519Keyring) -> Nonce {
	System::account_nonce(who.to_account_id())
}

fn apply(call: RuntimeCall, signer: Sr25519Keyring) {
	let outcome = Executive::apply_extrinsic(signed(call, signer, nonce(signer)));
	assert_eq!(outcome, Ok(Ok(())), "{signer:?}");
}

fn next_block() {
	let number = System::block_number();
	Executive::finalize_block();
	start_block(number + 1);
}

/// Submits `call` as a referendum to be dispatched with `origin`, places its decision
/// deposit, and returns its index.
fn propose(call: RuntimeCall, origin: OriginCaller) -> u32 {
	let index = pallet_referenda::ReferendumCount::<Runtime>::get();
	let proposal: Bounded<RuntimeCall, _> = Preimage::bound(call).expect("the call is bounded");
	apply(
		RuntimeCall::Referenda(pallet_referenda::Call::submit {
			proposal_origin: Box::new(origin),
			proposal,
			enactment_moment: DispatchTime::After(0),
		}),
		Alice,
	);
	apply(RuntimeCall::Referenda(pallet_referenda::Call::place_decision_deposit { index }), Alice);
	index
}

fn vote(index: u32, who: Sr25519Keyring, aye: bool) {
	let vote = AccountVote::Standard {
		vote: Vote { aye, conviction: Conviction::Locked1x },
		balance: 900_000 * UNIT,
	};
	apply(
		RuntimeCall::ConvictionVoting(pallet_conviction_voting::Call::vote {
			poll_index: index,
			vote,
		}),
		who,
	);
}

/// Runs blocks until `done` holds (at most `limit` blocks); returns how many it took.
fn run_until(limit: u32, done: impl Fn() -> bool) -> u32 {
	for n in 0..limit {
		if done() {
			return n;
		}
		next_block();
	}
	panic!("not done within {limit} blocks");
}

fn is_ongoing(index: u32) -> bool {
	matches!(
		pallet_referenda::ReferendumInfoFor::<Runtime>::get(index),
		Some(pallet_referenda::ReferendumInfo::Ongoing(_))
	)
}

#[test]
fn a_referendum_on_the_parameters_track_changes_the_reward_split() {
	genesis_ext("development").execute_with(|| {
		start_block(1);
		let split = RewardSplit { quality: 4500, innovation: 1500, time: 1000, ..Default::default() };
		let current = || pallet_tos_rewards::Split::<Runtime>::get().unwrap_or_default();
		assert_ne!(current(), split);
		let call = RuntimeCall::Rewards(pallet_tos_rewards::Call::set_split { split });
		let index = propose(call, pallet_tos_governance::Origin::Parameters.into());
		let track = pallet_referenda::ReferendumInfoFor::<Runtime>::get(index);
		assert!(
			matches!(track, Some(pallet_referenda::ReferendumInfo::Ongoing(ref s)) if s.track == PARAMETERS_TRACK),
			"{track:?}"
		);
		for who in [Alice, Bob, Charlie, Dave] {
			vote(index, who, true);
		}
		// minutes on a Fast chain: decided, confirmed, enacted
		let blocks = run_until(200, || current() == split);
		assert!(blocks > 1, "enactment waits for the track's periods");
		assert!(!is_ongoing(index));
		assert!(matches!(
			pallet_referenda::ReferendumInfoFor::<Runtime>::get(index),
			Some(pallet_referenda::ReferendumInfo::Approved(..))
		));
		// it reaches the tasks published from the enacting block on; those published before
		// keep the split they were published under
		let enacted = System::block_number();
		let before = pallet_tos_rewards::Pallet::<Runtime>::split_for(enacted - 1);
		assert_eq!(before, RewardSplit::default());
		assert_eq!(pallet_tos_rewards::Pallet::<Runtime>::split_for(enacted), split);
	});
}

#[test]
fn a_referendum_voted_down_authorizes_no_upgrade() {
	genesis_ext("development").execute_with(|| {
		start_block(1);
		let code_hash = sp_core::H256::repeat_byte(7);
		let call = RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash });
		let index = propose(call, frame_system::RawOrigin::Root.into());
		vote(index, Alice, true);
		for who in [Bob, Charlie, Dave, Eve, Ferdie] {
			vote(index, who, false);
		}
		run_until(400, || !is_ongoing(index));
		assert!(matches!(
			pallet_referenda::ReferendumInfoFor::<Runtime>::get(index),
			Some(pallet_referenda::ReferendumInfo::Rejected(..))
		));
		assert!(System::authorized_upgrade().is_none());
		// with nothing authorized, no code can be applied
		let applied =
			Executive::apply_extrinsic(UncheckedExtrinsic::new_bare(RuntimeCall::System(
				frame_system::Call::apply_authorized_upgrade { code: vec![1, 2, 3] },
			)));
		assert!(applied.is_err(), "{applied:?}");
	});
}

#[test]
fn a_passed_root_referendum_authorizes_an_upgrade_and_only_that_code_is_accepted() {
	genesis_ext("development").execute_with(|| {
		start_block(1);
		let code = b"the new runtime (a stand-in blob)".to_vec();
		let code_hash = sp_core::H256(sp_io::hashing::blake2_256(&code));
		let call = RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash });
		let index = propose(call, frame_system::RawOrigin::Root.into());
		for who in [Alice, Bob, Charlie, Dave, Eve] {
			vote(index, who, true);
		}
		run_until(400, || System::authorized_upgrade().is_some());
		assert_eq!(System::authorized_upgrade().map(|a| *a.code_hash()), Some(code_hash));
		// anyone may apply it, but only with the authorized code
		let wrong = Executive::apply_extrinsic(UncheckedExtrinsic::new_bare(RuntimeCall::System(
			frame_system::Call::apply_authorized_upgrade { code: b"other code".to_vec() },
		)));
		assert!(wrong.is_err(), "{wrong:?}");
		assert!(System::authorized_upgrade().is_some(), "still authorized");
	});
}
