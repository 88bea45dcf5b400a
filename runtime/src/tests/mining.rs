//! The AI-mining pallets inside the real runtime, driven by signed extrinsics in real blocks:
//! a miner registers, a publisher posts a task, the miner commits and reveals, and the
//! runtime's hooks move the task to validation.

use super::*;
use crate::{MinerReputation, Tasks, UNIT};
use frame_support::traits::fungible::InspectHold;
use sp_core::H256;
use tos_primitives::{
	Fingerprint, MinerLevel, ReputationDimension, Score, SpecializationSet, TaskType,
};

fn apply(call: RuntimeCall, signer: Sr25519Keyring, nonce: Nonce) {
	let outcome = Executive::apply_extrinsic(signed(call, signer, nonce));
	assert_eq!(outcome, Ok(Ok(())), "{signer:?} nonce {nonce}");
}

/// Finishes the current block and starts the next, running every pallet's hooks.
fn next_block() {
	let number = System::block_number();
	Executive::finalize_block();
	start_block(number + 1);
}

#[test]
fn publish_commit_reveal_through_signed_extrinsics_reaches_validation() {
	genesis_ext("development").execute_with(|| {
		use Sr25519Keyring::{Alice, Bob};
		let bob = Bob.to_account_id();
		start_block(1);

		// Bob registers as a code-generation miner with a 100 TOS bond
		let code = SpecializationSet::from_types(&[TaskType::CodeGeneration]);
		apply(
			RuntimeCall::MinerReputation(pallet_tos_miner_reputation::Call::register_miner {
				specializations: code,
				bond: 100 * UNIT,
			}),
			Bob,
			0,
		);
		assert_eq!(
			crate::Balances::balance_on_hold(
				&pallet_tos_miner_reputation::HoldReason::MinerBond.into(),
				&bob
			),
			100 * UNIT
		);

		// Alice publishes a 50 TOS task with 10-block commit and reveal windows
		let spec = pallet_tos_tasks::TaskSpec {
			task_type: TaskType::CodeGeneration,
			content_hash: H256::repeat_byte(7),
			uri: frame_support::BoundedVec::truncate_from(b"ipfs://spec".to_vec()),
			reward: 50 * UNIT,
			commit_blocks: 10,
			reveal_blocks: 10,
			validation_blocks: 10,
			max_solutions: 4,
			min_level: MinerLevel::Novice,
			panel_size: 3,
			quality_threshold: Score::new(70).unwrap(),
		};
		apply(RuntimeCall::Tasks(pallet_tos_tasks::Call::publish_task { spec }), Alice, 0);
		let task_id = 0;
		let task = pallet_tos_tasks::Tasks::<Runtime>::get(task_id).expect("published");
		assert_eq!((task.commit_end, task.reveal_end), (11, 21));

		// Bob commits to hash(solution ‖ salt ‖ Bob)
		let (solution, salt) = (H256::repeat_byte(1), H256::repeat_byte(2));
		let commitment = pallet_tos_tasks::commitment_of(&solution, &salt, &bob);
		apply(
			RuntimeCall::Tasks(pallet_tos_tasks::Call::commit_solution { task_id, commitment }),
			Bob,
			1,
		);

		// the commit window closes by itself at block 11
		while System::block_number() < 11 {
			next_block();
		}
		let status = pallet_tos_tasks::Tasks::<Runtime>::get(task_id).unwrap().status;
		assert_eq!(status, pallet_tos_tasks::TaskStatus::Reveal);
		apply(
			RuntimeCall::Tasks(pallet_tos_tasks::Call::reveal_solution {
				task_id,
				solution_hash: solution,
				salt,
				fingerprint: Fingerprint([3; 32]),
				uri: frame_support::BoundedVec::truncate_from(b"ipfs://solution".to_vec()),
			}),
			Bob,
			2,
		);
		assert!(events().contains(&RuntimeEvent::Tasks(
			pallet_tos_tasks::Event::SolutionRevealed {
				task_id,
				miner: bob.clone(),
				solution_hash: solution,
			}
		)));

		// the reveal window closes at block 21: on to validation, Bob's completion recorded
		while System::block_number() < 21 {
			next_block();
		}
		assert!(events().contains(&RuntimeEvent::Tasks(
			pallet_tos_tasks::Event::ValidationStarted { task_id, solutions: 1 }
		)));
		let status = pallet_tos_tasks::Tasks::<Runtime>::get(task_id).unwrap().status;
		assert_eq!(status, pallet_tos_tasks::TaskStatus::Validating);
		let reputation = MinerReputation::reputation_of(&bob);
		let floor = sp_runtime::Perbill::from_percent(10);
		assert!(reputation.dimensions[ReputationDimension::Completion.index()] > floor);
		assert!(reputation.score > floor);
		assert_eq!(reputation.outcomes, 1);
		let _ = Tasks::params();
	});
}

#[test]
fn the_mining_pallets_calls_are_in_the_metadata() {
	use codec::Decode;
	use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
	let bytes = Runtime::metadata_at_version(15).expect("v15 is served");
	let RuntimeMetadataPrefixed(_, RuntimeMetadata::V15(metadata)) =
		RuntimeMetadataPrefixed::decode(&mut &bytes[..]).expect("decodes")
	else {
		panic!("v15 metadata")
	};
	for (pallet, index) in [("MinerReputation", 50u8), ("Tasks", 51)] {
		let found =
			metadata.pallets.iter().find(|p| p.name == pallet).expect("the pallet is there");
		assert_eq!(found.index, index);
		let calls = found.calls.as_ref().expect("it has calls");
		let variants = match &metadata.types.resolve(calls.ty.id).expect("the call type").type_def {
			scale_info::TypeDef::Variant(v) => {
				v.variants.iter().map(|v| v.name.clone()).collect::<Vec<_>>()
			},
			other => panic!("{other:?}"),
		};
		let expected: &[&str] = if pallet == "Tasks" {
			&[
				"publish_task",
				"cancel_task",
				"commit_solution",
				"reveal_solution",
				"rate_solution",
				"set_params",
			]
		} else {
			&[
				"register_miner",
				"update_specializations",
				"bond_extra",
				"unbond",
				"withdraw_unbonded",
				"set_params",
			]
		};
		for call in expected {
			assert!(variants.iter().any(|v| v == call), "{pallet}.{call} in {variants:?}");
		}
	}
}
