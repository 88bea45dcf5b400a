//! The AI-mining pallets inside the real runtime, driven by signed extrinsics in real blocks:
//! a miner registers, a publisher posts a task, the miner commits and reveals, and the
//! runtime's hooks move the task to validation.

use super::*;
use crate::{MinerReputation, Tasks, UNIT};
use frame_support::{assert_ok, traits::fungible::InspectHold};
use sp_core::H256;
use tos_primitives::{
	Fingerprint, MinerLevel, ReputationDimension, Score, SolutionScore, SpecializationSet, TaskType,
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

		// Bob commits to hash(solution ‖ salt ‖ Bob), after the two blocks of minimum solve
		// time of the development chain (sooner is pre-computation)
		while System::block_number() < 3 {
			next_block();
		}
		let (solution, salt) = (H256::repeat_byte(1), H256::repeat_byte(2));
		let commitment =
			pallet_tos_tasks::commitment_of(&solution, &Fingerprint([3; 32]), &salt, &bob);
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

		// the reveal window closes at block 21: on to validation; Bob's completion waits for
		// the panel's judgement, so nothing is on his record yet
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
		assert_eq!(reputation.dimensions[ReputationDimension::Completion.index()], floor);
		assert_eq!((reputation.score, reputation.record), (floor, 0));
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
	for (pallet, index) in [
		("MinerReputation", 50u8),
		("Tasks", 51),
		("ValidationVoting", 52),
		("Rewards", 53),
		("FraudFlags", 54),
		("Randomness", 4),
	] {
		let found =
			metadata.pallets.iter().find(|p| p.name == pallet).expect("the pallet is there");
		assert_eq!(found.index, index);
		if pallet == "Randomness" {
			assert!(found.calls.is_none(), "the randomness pallet takes no calls");
			continue;
		}
		let calls = found.calls.as_ref().expect("it has calls");
		let variants = match &metadata.types.resolve(calls.ty.id).expect("the call type").type_def {
			scale_info::TypeDef::Variant(v) => {
				v.variants.iter().map(|v| v.name.clone()).collect::<Vec<_>>()
			},
			other => panic!("{other:?}"),
		};
		let expected: &[&str] = if pallet == "ValidationVoting" {
			&[
				"apply_validator",
				"certify",
				"decertify",
				"unbond",
				"withdraw_unbonded",
				"commit_scores",
				"reveal_scores",
				"dispute",
				"set_params",
				"council_judge",
				"add_honeypot_provider",
				"remove_honeypot_provider",
				"declare_honeypot",
			]
		} else if pallet == "Rewards" {
			&["claim_rewards", "set_split"]
		} else if pallet == "FraudFlags" {
			&["report_fraud", "confirm", "dismiss", "set_params", "set_min_solve_time"]
		} else if pallet == "Tasks" {
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

/// Random sequences of signed calls to both mining pallets and of blocks, through the real
/// runtime: total issuance never moves (fees go to the treasury, forfeits too), and every dev
/// account's holds equal what the pallets' storage says they hold.
#[test]
fn money_is_conserved_through_random_mining_activity() {
	use crate::Balances;
	use pallet_tos_miner_reputation::{HoldReason as MinerHold, Miners};
	use Sr25519Keyring::*;

	struct Rng(u64);
	impl Rng {
		fn next(&mut self, below: u64) -> u64 {
			self.0 ^= self.0 << 13;
			self.0 ^= self.0 >> 7;
			self.0 ^= self.0 << 17;
			self.0 % below.max(1)
		}
	}
	let accounts = [Alice, Bob, Charlie, Dave, Eve, Ferdie];
	let (mut succeeded, mut judged, mut settled) = (0, 0, 0);
	for seed in 1..=6u64 {
		genesis_ext("development").execute_with(|| {
			let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
			let mut nonces = [0u32; 6];
			start_block(1);
			let issuance = pallet_balances::TotalIssuance::<Runtime>::get();
			let emitted_before = pallet_tos_rewards::TotalEmitted::<Runtime>::get();
			// short dispute windows and council deadlines, so tasks settle within the sequence
			pallet_tos_validation_voting::Params::<Runtime>::mutate(|p| {
				if let Some(p) = p.as_mut() {
					p.dispute_blocks = 5;
					p.council_blocks = 10;
				}
			});
			// no minimum solve time: random commits come any time after publication
			pallet_tos_fraud_flags::MinSolveTime::<Runtime>::insert(TaskType::CodeGeneration, 0);
			// three certified validators to begin with (a panel's least); more may apply
			for (i, validator) in [Dave, Eve, Ferdie].into_iter().enumerate() {
				let call = RuntimeCall::ValidationVoting(
					pallet_tos_validation_voting::Call::apply_validator {
						specializations: SpecializationSet::from_types(&[TaskType::CodeGeneration]),
						bond: 50 * UNIT,
					},
				);
				assert_eq!(Executive::apply_extrinsic(signed(call, validator, 0)), Ok(Ok(())));
				nonces[3 + i] += 1;
				assert_ok!(crate::ValidationVoting::certify(
					crate::RuntimeOrigin::root(),
					validator.to_account_id(),
					TaskType::CodeGeneration
				));
			}
			let mut events_seen = Vec::new();
			for step in 0..300 {
				let who = rng.next(6) as usize;
				// mostly one of the latest tasks, sometimes one that does not exist
				let task_id =
					pallet_tos_tasks::NextTaskId::<Runtime>::get().saturating_sub(rng.next(4));
				let (solution, salt) = (H256::repeat_byte(who as u8), H256::repeat_byte(9));
				let account = accounts[who].to_account_id();
				let panel_member = pallet_tos_validation_voting::Rounds::<Runtime>::iter()
					.flat_map(|(task, round)| {
						round.panel.iter().map(move |(v, _)| (task, v.clone())).collect::<Vec<_>>()
					})
					.find(|(_, v)| *v == account);
				// a validator whose ticket wins an open private draw on a task it has no part in
				// may take that seat
				let seat = pallet_tos_validation_voting::Draws::<Runtime>::iter_keys()
					.filter(|task| {
						pallet_tos_validation_voting::Rounds::<Runtime>::get(task).is_some_and(
							|r| {
								r.publisher != account
									&& !r.solvers.contains(&account)
									&& !r.seated.contains(&account)
							},
						)
					})
					.find_map(|task| seat_proof(accounts[who], task).map(|proof| (task, proof)));
				let panel_member =
					panel_member.or_else(|| seat.map(|(task, _)| (task, account.clone())));
				// a panel member mostly does its duty
				let op = if panel_member.is_some() && rng.next(3) > 0 { 9 } else { rng.next(14) };
				let call = match op {
					0 => RuntimeCall::MinerReputation(
						pallet_tos_miner_reputation::Call::register_miner {
							specializations: SpecializationSet::from_types(&[
								TaskType::CodeGeneration,
							]),
							bond: (10 + u128::from(rng.next(50))) * UNIT,
						},
					),
					1 => RuntimeCall::MinerReputation(pallet_tos_miner_reputation::Call::unbond {
						amount: u128::from(rng.next(60)) * UNIT,
					}),
					2 => RuntimeCall::MinerReputation(
						pallet_tos_miner_reputation::Call::withdraw_unbonded {},
					),
					3 => RuntimeCall::Tasks(pallet_tos_tasks::Call::publish_task {
						spec: pallet_tos_tasks::TaskSpec {
							task_type: TaskType::CodeGeneration,
							content_hash: H256::repeat_byte(1),
							uri: Default::default(),
							reward: (1 + u128::from(rng.next(100))) * UNIT,
							commit_blocks: 10,
							reveal_blocks: 10,
							validation_blocks: 10,
							max_solutions: 3,
							min_level: MinerLevel::Novice,
							panel_size: 3,
							quality_threshold: Score::new(50).unwrap(),
						},
					}),
					4 => RuntimeCall::Tasks(pallet_tos_tasks::Call::cancel_task { task_id }),
					5 => RuntimeCall::Tasks(pallet_tos_tasks::Call::commit_solution {
						task_id,
						commitment: pallet_tos_tasks::commitment_of(
							&solution,
							&Fingerprint::default(),
							&salt,
							&account,
						),
					}),
					6 => RuntimeCall::Tasks(pallet_tos_tasks::Call::reveal_solution {
						task_id,
						solution_hash: solution,
						salt,
						fingerprint: Fingerprint::default(),
						uri: Default::default(),
					}),
					7 => RuntimeCall::ValidationVoting(
						pallet_tos_validation_voting::Call::apply_validator {
							specializations: SpecializationSet::from_types(&[
								TaskType::CodeGeneration,
							]),
							bond: (10 + u128::from(rng.next(50))) * UNIT,
						},
					),
					// Alice is the sudo key: certifies someone (perhaps not a validator)
					8 if who == 0 => RuntimeCall::Sudo(pallet_sudo::Call::sudo {
						call: Box::new(RuntimeCall::ValidationVoting(
							pallet_tos_validation_voting::Call::certify {
								who: accounts[rng.next(6) as usize].to_account_id(),
								specialization: TaskType::CodeGeneration,
							},
						)),
					}),
					// a panel member scores its task: commits, or reveals what it committed
					9 | 10 => {
						let (task_id, _) =
							panel_member.clone().unwrap_or((task_id, account.clone()));
						let scores: Vec<pallet_tos_validation_voting::Judgement> = (0..3u64)
							.map(|i| {
								let q = ((who as u64 * 37 + task_id * 11 + i * 5) % 101) as u8;
								pallet_tos_validation_voting::Judgement::scores(SolutionScore {
									quality: Score::new(q).unwrap(),
									innovation: Score::new(100 - q).unwrap(),
								})
							})
							.take(
								pallet_tos_validation_voting::Rounds::<Runtime>::get(task_id)
									.map(|r| r.solvers.len())
									.unwrap_or(1),
							)
							.collect();
						let salt = H256::repeat_byte(who as u8);
						let committed =
							pallet_tos_validation_voting::ScoreCommits::<Runtime>::contains_key(
								task_id, &account,
							);
						if committed {
							RuntimeCall::ValidationVoting(
								pallet_tos_validation_voting::Call::reveal_scores {
									task_id,
									judgements: scores.try_into().unwrap(),
									salt,
								},
							)
						} else {
							let commitment = pallet_tos_validation_voting::score_commitment(
								&scores, &salt, &account,
							);
							match seat.filter(|(task, _)| *task == task_id) {
								Some((_, proof)) => RuntimeCall::ValidationVoting(
									pallet_tos_validation_voting::Call::commit_with_seat {
										task_id,
										commitment,
										proof,
									},
								),
								None => RuntimeCall::ValidationVoting(
									pallet_tos_validation_voting::Call::commit_scores {
										task_id,
										commitment,
									},
								),
							}
						}
					},
					11 => {
						RuntimeCall::ValidationVoting(pallet_tos_validation_voting::Call::dispute {
							task_id,
						})
					},
					12 => RuntimeCall::Rewards(pallet_tos_rewards::Call::claim_rewards { era: 0 }),
					_ => {
						for _ in 0..1 + rng.next(6) {
							events_seen.extend(events());
							next_block();
						}
						continue;
					},
				};
				let outcome = Executive::apply_extrinsic(signed(call, accounts[who], nonces[who]));
				// a dispatch error still takes the fee and the nonce
				assert!(outcome.is_ok(), "seed {seed} step {step}: {outcome:?}");
				nonces[who] += 1;
				succeeded += usize::from(matches!(outcome, Ok(Ok(()))));

				// issuance moves only by the emission, which stays under the cap, and the
				// network fees burned (each in the event of the task that burned it)
				let emitted = pallet_tos_rewards::TotalEmitted::<Runtime>::get();
				let burned: u128 = events_seen
					.iter()
					.chain(events().iter())
					.map(|e| match e {
						RuntimeEvent::Tasks(pallet_tos_tasks::Event::TaskExpired {
							fee, ..
						}) => *fee,
						RuntimeEvent::Tasks(pallet_tos_tasks::Event::TaskSettled {
							burned,
							..
						}) => *burned,
						_ => 0,
					})
					.sum();
				assert_eq!(
					pallet_balances::TotalIssuance::<Runtime>::get(),
					issuance + emitted - emitted_before - burned,
					"seed {seed} step {step}"
				);
				assert!(
					pallet_balances::TotalIssuance::<Runtime>::get()
						<= crate::configs::MaxSupply::get()
				);
				pallet_tos_validation_voting::Pallet::<Runtime>::do_try_state()
					.expect("validators' and disputers' holds match the pallet");
				pallet_tos_rewards::Pallet::<Runtime>::do_try_state()
					.expect("the pot holds what was emitted less what was claimed");
				let tasks_holds = pallet_tos_tasks::Pallet::<Runtime>::expected_holds();
				for key in accounts {
					let who = key.to_account_id();
					let bonded = Miners::<Runtime>::get(&who)
						.map(|m| m.bond + m.unlocking.iter().map(|c| c.value).sum::<u128>())
						.unwrap_or(0);
					assert_eq!(
						Balances::balance_on_hold(&MinerHold::MinerBond.into(), &who),
						bonded,
						"seed {seed} step {step}: {key:?}'s miner bond"
					);
					for reason in 0..4u8 {
						let held = Balances::balance_on_hold(
							&pallet_tos_tasks::Pallet::<Runtime>::hold_reason(reason).into(),
							&who,
						);
						let stored = tasks_holds.get(&(who.clone(), reason)).copied().unwrap_or(0);
						assert_eq!(
							held, stored,
							"seed {seed} step {step}: {key:?} reason {reason}"
						);
					}
				}
			}
			events_seen.extend(events());
			judged += events_seen
				.iter()
				.filter(|e| {
					matches!(
						e,
						RuntimeEvent::ValidationVoting(
							pallet_tos_validation_voting::Event::ScoresRevealed { .. }
						)
					)
				})
				.count();
			settled += events_seen
				.iter()
				.filter(|e| {
					matches!(e, RuntimeEvent::Tasks(pallet_tos_tasks::Event::TaskSettled { .. }))
				})
				.count();
			pallet_tos_tasks::Pallet::<Runtime>::do_try_state().expect("tasks invariants");
			pallet_tos_miner_reputation::Pallet::<Runtime>::do_try_state()
				.expect("reputation invariants");
		});
	}
	assert!(succeeded > 150, "the sequences do things: {succeeded} calls succeeded");
	assert!(judged > 0 && settled > 0, "tasks were judged ({judged}) and settled ({settled})");
}
