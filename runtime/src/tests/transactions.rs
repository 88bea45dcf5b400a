//! Signed transactions in real blocks, and the errors wallets see for invalid ones.

use super::*;
use crate::{configs::TreasuryAccount, Balances, UNIT};
use sp_runtime::{
	transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	DispatchError, TokenError,
};

fn transfer(to: Sr25519Keyring, amount: u128) -> RuntimeCall {
	RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death {
		dest: Address::Id(to.to_account_id()),
		value: amount,
	})
}

fn validate(xt: UncheckedExtrinsic) -> sp_runtime::transaction_validity::TransactionValidity {
	Executive::validate_transaction(TransactionSource::External, xt, System::parent_hash())
}

fn free(who: Sr25519Keyring) -> u128 {
	Balances::free_balance(who.to_account_id())
}

#[test]
fn signed_transfer_moves_funds_charges_the_fee_and_emits_events() {
	genesis_ext("development").execute_with(|| {
		// given
		start_block(1);
		let alice_before = free(Sr25519Keyring::Alice);
		let bob_before = free(Sr25519Keyring::Bob);
		let treasury_before = Balances::free_balance(TreasuryAccount::get());
		let issuance_before = pallet_balances::TotalIssuance::<Runtime>::get();
		let amount = 42 * UNIT;
		let xt = signed(transfer(Sr25519Keyring::Bob, amount), Sr25519Keyring::Alice, 0);
		let fee = expected_fee(&xt);

		// when
		let outcome = Executive::apply_extrinsic(xt);

		// then
		assert_eq!(outcome, Ok(Ok(())));
		assert!(fee > 0);
		assert_eq!(free(Sr25519Keyring::Alice), alice_before - amount - fee);
		assert_eq!(free(Sr25519Keyring::Bob), bob_before + amount);
		assert_eq!(Balances::free_balance(TreasuryAccount::get()), treasury_before + fee);
		assert_eq!(pallet_balances::TotalIssuance::<Runtime>::get(), issuance_before);
		assert_eq!(System::account_nonce(Sr25519Keyring::Alice.to_account_id()), 1);

		let events = events();
		assert!(events.contains(&RuntimeEvent::Balances(pallet_balances::Event::Transfer {
			from: Sr25519Keyring::Alice.to_account_id(),
			to: Sr25519Keyring::Bob.to_account_id(),
			amount,
		})));
		assert!(events.contains(&RuntimeEvent::TransactionPayment(
			pallet_transaction_payment::Event::TransactionFeePaid {
				who: Sr25519Keyring::Alice.to_account_id(),
				actual_fee: fee,
				tip: 0,
			}
		)));
		assert!(events.iter().any(|e| matches!(
			e,
			RuntimeEvent::System(frame_system::Event::ExtrinsicSuccess { .. })
		)));

		// and the block finishes with a header committing to what happened
		let header = Executive::finalize_block();
		assert_eq!(header.number, 1);
		assert_ne!(header.state_root, Default::default());
	});
}

#[test]
fn fee_has_a_length_part() {
	genesis_ext("development").execute_with(|| {
		start_block(1);
		let short = signed(
			RuntimeCall::System(frame_system::Call::remark { remark: vec![] }),
			Sr25519Keyring::Alice,
			0,
		);
		let long = signed(
			RuntimeCall::System(frame_system::Call::remark { remark: vec![7u8; 1000] }),
			Sr25519Keyring::Alice,
			0,
		);
		let length_difference = (long.encoded_size() - short.encoded_size()) as u128;
		let info = |xt: &UncheckedExtrinsic| {
			crate::TransactionPayment::query_info(xt.clone(), xt.encoded_size() as u32).partial_fee
		};
		// remark's weight grows with length too, so the difference is at least the length fee
		assert!(
			info(&long) - info(&short) >= length_difference * crate::configs::TRANSACTION_BYTE_FEE
		);
		assert_eq!(info(&short), expected_fee(&short));
	});
}

#[test]
fn a_second_block_builds_on_the_first() {
	genesis_ext("development").execute_with(|| {
		start_block(1);
		assert_eq!(
			Executive::apply_extrinsic(signed(
				transfer(Sr25519Keyring::Bob, UNIT),
				Sr25519Keyring::Alice,
				0
			)),
			Ok(Ok(()))
		);
		let first = Executive::finalize_block();
		start_block(2);
		assert_eq!(System::parent_hash(), System::block_hash(1));
		assert_eq!(
			Executive::apply_extrinsic(signed(
				transfer(Sr25519Keyring::Bob, UNIT),
				Sr25519Keyring::Alice,
				1
			)),
			Ok(Ok(()))
		);
		let second = Executive::finalize_block();
		assert_ne!(first.state_root, second.state_root);
	});
}

#[test]
fn stale_nonce_is_rejected() {
	genesis_ext("development").execute_with(|| {
		start_block(1);
		let first = signed(transfer(Sr25519Keyring::Bob, UNIT), Sr25519Keyring::Alice, 0);
		assert_eq!(Executive::apply_extrinsic(first), Ok(Ok(())));
		let replay = signed(transfer(Sr25519Keyring::Bob, UNIT), Sr25519Keyring::Alice, 0);
		let alice_before = free(Sr25519Keyring::Alice);

		assert_eq!(
			validate(replay.clone()),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Stale))
		);
		assert_eq!(
			Executive::apply_extrinsic(replay),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Stale))
		);
		assert_eq!(free(Sr25519Keyring::Alice), alice_before, "nothing was charged");
	});
}

#[test]
fn future_nonce_waits_in_the_pool_but_cannot_be_included() {
	genesis_ext("development").execute_with(|| {
		start_block(1);
		let early = signed(transfer(Sr25519Keyring::Bob, UNIT), Sr25519Keyring::Alice, 3);
		let validity = validate(early.clone()).expect("a future nonce is valid for the pool");
		assert!(!validity.requires.is_empty(), "it waits for the nonce before it");
		assert_eq!(
			Executive::apply_extrinsic(early),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Future))
		);
	});
}

#[test]
fn account_that_cannot_pay_the_fee_is_rejected() {
	genesis_ext("development").execute_with(|| {
		start_block(1);
		// `One` is a well-known key with no funds.
		let broke = signed(transfer(Sr25519Keyring::Bob, UNIT), Sr25519Keyring::One, 0);
		assert_eq!(
			validate(broke.clone()),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Payment))
		);
		assert_eq!(
			Executive::apply_extrinsic(broke),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Payment))
		);
		assert_eq!(free(Sr25519Keyring::Bob), crate::genesis_config_presets::DEV_ENDOWMENT);
	});
}

#[test]
fn transfer_beyond_balance_fails_in_dispatch_and_still_pays_the_fee() {
	genesis_ext("development").execute_with(|| {
		start_block(1);
		let alice_before = free(Sr25519Keyring::Alice);
		let bob_before = free(Sr25519Keyring::Bob);
		let xt = signed(transfer(Sr25519Keyring::Bob, alice_before), Sr25519Keyring::Alice, 0);
		let fee = expected_fee(&xt);

		assert!(validate(xt.clone()).is_ok(), "the fee can be paid, so the pool accepts it");
		assert_eq!(
			Executive::apply_extrinsic(xt),
			Ok(Err(DispatchError::Token(TokenError::FundsUnavailable)))
		);
		assert_eq!(free(Sr25519Keyring::Alice), alice_before - fee);
		assert_eq!(free(Sr25519Keyring::Bob), bob_before);
	});
}

#[test]
fn bad_signature_is_rejected() {
	genesis_ext("development").execute_with(|| {
		start_block(1);
		// claims to be Alice, signed by Bob
		let forged = signed_as(
			transfer(Sr25519Keyring::Bob, UNIT),
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			0,
		);
		let alice_before = free(Sr25519Keyring::Alice);
		assert_eq!(
			validate(forged.clone()),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof))
		);
		assert_eq!(
			Executive::apply_extrinsic(forged),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof))
		);
		assert_eq!(free(Sr25519Keyring::Alice), alice_before);
	});
}

#[test]
fn transaction_signed_for_another_chain_is_rejected() {
	// Signed against the local_testnet genesis, submitted to development: the genesis hash
	// in the signed payload differs, so the signature does not verify.
	let foreign = genesis_ext("local_testnet").execute_with(|| {
		System::set_block_number(0);
		frame_system::BlockHash::<Runtime>::insert(0, sp_core::H256::repeat_byte(9));
		signed(transfer(Sr25519Keyring::Bob, UNIT), Sr25519Keyring::Alice, 0)
	});
	genesis_ext("development").execute_with(|| {
		start_block(1);
		assert_eq!(
			validate(foreign),
			Err(TransactionValidityError::Invalid(InvalidTransaction::BadProof))
		);
	});
}

#[test]
fn unsigned_transfer_is_rejected() {
	genesis_ext("development").execute_with(|| {
		start_block(1);
		let bare = UncheckedExtrinsic::new_bare(transfer(Sr25519Keyring::Bob, UNIT));
		assert!(matches!(
			validate(bare),
			Err(TransactionValidityError::Unknown(_)) | Err(TransactionValidityError::Invalid(_))
		));
	});
}

#[test]
fn sudo_is_alice_only() {
	genesis_ext("development").execute_with(|| {
		start_block(1);
		let call = RuntimeCall::Sudo(pallet_sudo::Call::sudo {
			call: Box::new(RuntimeCall::Balances(pallet_balances::Call::force_set_balance {
				who: Address::Id(Sr25519Keyring::Charlie.to_account_id()),
				new_free: 5 * UNIT,
			})),
		});
		assert_eq!(
			Executive::apply_extrinsic(signed(call.clone(), Sr25519Keyring::Bob, 0)),
			Ok(Err(pallet_sudo::Error::<Runtime>::RequireSudo.into()))
		);
		assert_eq!(free(Sr25519Keyring::Charlie), crate::genesis_config_presets::DEV_ENDOWMENT);
		assert_eq!(Executive::apply_extrinsic(signed(call, Sr25519Keyring::Alice, 0)), Ok(Ok(())));
		let evs = events();
		assert!(
			evs.iter().any(|e| matches!(
				e,
				RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result: Ok(()) })
			)),
			"{evs:#?}"
		);
		assert_eq!(free(Sr25519Keyring::Charlie), 5 * UNIT);
	});
}

#[test]
fn utility_batch_dispatches_every_call() {
	genesis_ext("development").execute_with(|| {
		start_block(1);
		let bob_before = free(Sr25519Keyring::Bob);
		let batch = RuntimeCall::Utility(pallet_utility::Call::batch_all {
			calls: vec![
				transfer(Sr25519Keyring::Bob, UNIT),
				transfer(Sr25519Keyring::Bob, 2 * UNIT),
			],
		});
		assert_eq!(Executive::apply_extrinsic(signed(batch, Sr25519Keyring::Alice, 0)), Ok(Ok(())));
		assert_eq!(free(Sr25519Keyring::Bob), bob_before + 3 * UNIT);
	});
}
