//! A task's whole life in the real runtime, through signed extrinsics and real blocks: publish,
//! commit, reveal, a panel drawn, scores committed and revealed, consensus, the dispute window,
//! settlement — with every balance that settlement moves checked to the planck. Variants: a
//! dispute that overturns the result, a validator that does not reveal, and no solution good
//! enough (refund).

use super::*;
use crate::{configs::TreasuryAccount, Balances, UNIT};
use frame_support::traits::fungible::{Inspect, InspectHold};
use sp_core::H256;
use sp_runtime::{AccountId32, Perbill};
use tos_primitives::{MinerLevel, Score, SolutionScore, SpecializationSet, TaskType};
use Sr25519Keyring::{Alice, Bob, Charlie, Dave, Eve, EveStash, Ferdie, FerdieStash};

type AccountId = AccountId32;

const REWARD: u128 = 1_000 * UNIT;
const TASK: u64 = 0;
const CODE: TaskType = TaskType::CodeGeneration;

fn nonce(who: Sr25519Keyring) -> Nonce {
	System::account_nonce(who.to_account_id())
}

fn apply(call: RuntimeCall, signer: Sr25519Keyring) {
	let outcome = Executive::apply_extrinsic(signed(call, signer, nonce(signer)));
	assert_eq!(outcome, Ok(Ok(())), "{signer:?}");
}

fn sudo(call: RuntimeCall) {
	apply(RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) }), Alice);
	assert!(
		events().contains(&RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result: Ok(()) })),
		"the sudo call dispatched"
	);
}

fn next_block() {
	let number = System::block_number();
	Executive::finalize_block();
	start_block(number + 1);
}

fn run_until(n: u32) {
	while System::block_number() < n {
		next_block();
	}
}

/// What `who` has free or vesting: a miner's pay from a task is its own but held until the
/// task is cleaned up, a day after settlement.
fn free(who: &AccountId) -> u128 {
	Balances::balance(who) + vesting(who)
}

fn vesting(who: &AccountId) -> u128 {
	Balances::balance_on_hold(&pallet_tos_tasks::HoldReason::PayVesting.into(), who)
}

fn sc(quality: u8, innovation: u8) -> SolutionScore {
	SolutionScore {
		quality: Score::new(quality).unwrap(),
		innovation: Score::new(innovation).unwrap(),
	}
}

/// What every honest validator thinks: Bob's solution is excellent, Charlie's good, Dave's
/// weak.
fn honest(miner: &AccountId) -> SolutionScore {
	if *miner == Bob.to_account_id() {
		sc(90, 80)
	} else if *miner == Charlie.to_account_id() {
		sc(70, 40)
	} else {
		sc(40, 50)
	}
}

/// Bob, Charlie and Dave register as miners; `validators` apply and are certified; Alice
/// publishes a 1 000 TOS task (windows of 10 blocks, threshold 60) at block 1, whose earliest
/// commit is block 3 (the development chain's two blocks of minimum solve time); Bob commits at
/// block 3, Charlie at 5, Dave at 10; all reveal at 11; at block 21 the task goes to
/// validation with a panel of `panel_size` (three at least).
fn judged_task(validators: &[Sr25519Keyring], panel_size: u32) {
	start_block(1);
	let code = SpecializationSet::from_types(&[CODE]);
	for miner in [Bob, Charlie, Dave] {
		apply(
			RuntimeCall::MinerReputation(pallet_tos_miner_reputation::Call::register_miner {
				specializations: code,
				bond: 100 * UNIT,
			}),
			miner,
		);
	}
	for validator in validators {
		apply(
			RuntimeCall::ValidationVoting(pallet_tos_validation_voting::Call::apply_validator {
				specializations: code,
				bond: 100 * UNIT,
			}),
			*validator,
		);
		sudo(RuntimeCall::ValidationVoting(pallet_tos_validation_voting::Call::certify {
			who: validator.to_account_id(),
			specialization: CODE,
		}));
	}
	let spec = pallet_tos_tasks::TaskSpec {
		task_type: CODE,
		content_hash: H256::repeat_byte(7),
		uri: Default::default(),
		reward: REWARD,
		commit_blocks: 10,
		reveal_blocks: 10,
		validation_blocks: 10,
		max_solutions: 3,
		min_level: MinerLevel::Novice,
		panel_size,
		quality_threshold: Score::new(60).unwrap(),
	};
	apply(RuntimeCall::Tasks(pallet_tos_tasks::Call::publish_task { spec }), Alice);
	let salt = H256::repeat_byte(9);
	let solution = |miner: Sr25519Keyring| H256::from_low_u64_be(miner as u64 + 1);
	let fingerprint = |miner: Sr25519Keyring| {
		tos_primitives::Fingerprint(sp_io::hashing::blake2_256(&[miner as u8]))
	};
	for (miner, block) in [(Bob, 3), (Charlie, 5), (Dave, 10)] {
		run_until(block);
		let commitment = pallet_tos_tasks::commitment_of(
			&solution(miner),
			&fingerprint(miner),
			&salt,
			&miner.to_account_id(),
		);
		apply(
			RuntimeCall::Tasks(pallet_tos_tasks::Call::commit_solution {
				task_id: TASK,
				commitment,
			}),
			miner,
		);
	}
	run_until(11);
	for miner in [Bob, Charlie, Dave] {
		apply(
			RuntimeCall::Tasks(pallet_tos_tasks::Call::reveal_solution {
				task_id: TASK,
				solution_hash: solution(miner),
				salt,
				// each miner's own work: fingerprints far apart
				fingerprint: fingerprint(miner),
				uri: Default::default(),
			}),
			miner,
		);
	}
	run_until(21);
	assert!(pallet_tos_validation_voting::Rounds::<Runtime>::contains_key(TASK));
}

fn round() -> pallet_tos_validation_voting::RoundOf<Runtime> {
	pallet_tos_validation_voting::Rounds::<Runtime>::get(TASK).expect("being judged")
}

/// The members of the current panel, as keys.
fn panel(validators: &[Sr25519Keyring]) -> Vec<Sr25519Keyring> {
	round()
		.panel
		.iter()
		.map(|(v, _)| *validators.iter().find(|k| k.to_account_id() == *v).expect("a known key"))
		.collect()
}

/// The panel commits, then (but for `silent`) reveals, `scores` of each solution. In a
/// private draw every validator whose ticket wins takes its seat with its commitment; in a
/// public one the members drawn commit.
fn score(
	validators: &[Sr25519Keyring],
	scores: impl Fn(Sr25519Keyring, &AccountId) -> SolutionScore,
	silent: &[Sr25519Keyring],
) {
	use pallet_tos_validation_voting::{Call, Judgement};
	let solvers = round().solvers.to_vec();
	let of = |member| -> Vec<Judgement> {
		solvers.iter().map(|m| Judgement::scores(scores(member, m))).collect()
	};
	let salt = |member: Sr25519Keyring| H256::from_low_u64_be(member as u64 + 100);
	let commitment = |member: Sr25519Keyring| {
		pallet_tos_validation_voting::score_commitment(
			&of(member),
			&salt(member),
			&member.to_account_id(),
		)
	};
	if pallet_tos_validation_voting::Draws::<Runtime>::contains_key(TASK) {
		for validator in validators {
			if let Some(proof) = seat_proof(*validator, TASK) {
				let commitment = commitment(*validator);
				let call = Call::commit_with_seat { task_id: TASK, commitment, proof };
				apply(RuntimeCall::ValidationVoting(call), *validator);
			}
		}
	} else {
		for member in panel(validators) {
			let call = Call::commit_scores { task_id: TASK, commitment: commitment(member) };
			apply(RuntimeCall::ValidationVoting(call), member);
		}
	}
	let members = panel(validators);
	let pallet_tos_validation_voting::RoundPhase::Commit { until } = round().phase else {
		panic!("commit phase")
	};
	run_until(until);
	for member in members.iter().filter(|m| !silent.contains(m)) {
		apply(
			RuntimeCall::ValidationVoting(pallet_tos_validation_voting::Call::reveal_scores {
				task_id: TASK,
				judgements: of(*member).try_into().unwrap(),
				salt: salt(*member),
			}),
			*member,
		);
	}
}

/// Runs to the end of the current phase.
fn end_of_phase() {
	use pallet_tos_validation_voting::RoundPhase::*;
	let (Draw { at: until }
	| Commit { until }
	| Reveal { until }
	| Provisional { until }
	| Council { until }) = round().phase;
	run_until(until);
}

fn provisional() -> Vec<SolutionScore> {
	round().provisional.expect("a provisional result").result.to_vec()
}

/// `pot × weight / Σ weights` for each weight, rounded down.
fn pro_rata(pot: u128, weights: &[u128]) -> Vec<u128> {
	let total: u128 = weights.iter().sum();
	weights.iter().map(|w| (pot * w).checked_div(total).unwrap_or(0)).collect()
}

/// The accounts settlement touches, with their free balances now.
fn snapshot(accounts: &[AccountId]) -> Vec<u128> {
	accounts.iter().map(free).collect()
}

/// The submission bonds the accounts have on hold now: settlement gives back every bond
/// that was not forfeited.
fn bonds(accounts: &[AccountId]) -> Vec<u128> {
	accounts
		.iter()
		.map(|a| Balances::balance_on_hold(&pallet_tos_tasks::HoldReason::SubmissionBond.into(), a))
		.collect()
}

/// `gains[i] - bonds[i]`: what settlement paid beyond the bond it gave back.
fn less_bonds(gains: &[u128], bonds: &[u128]) -> Vec<u128> {
	gains.iter().zip(bonds).map(|(g, b)| g - b).collect()
}

fn escrow_held() -> u128 {
	Balances::balance_on_hold(
		&pallet_tos_tasks::HoldReason::TaskEscrow.into(),
		&Alice.to_account_id(),
	)
}

/// The network fee of the default split (5 %): burned at settlement.
const FEE: u128 = REWARD * 500 / 10_000;

/// What the default split pays when Bob and Charlie win (quality ≥ 60), Dave participates
/// (40 ≥ 30), and the validators have `pay_weights`: the expected gain of Bob, Charlie, Dave,
/// each validator, and the treasury (the rounding; the fee is burned).
fn expected_split(pay_weights: &[u128]) -> (Vec<u128>, Vec<u128>, u128) {
	let part = |bps: u128| REWARD * bps / 10_000;
	let quality = pro_rata(part(4_000), &[90, 70]);
	let innovation = pro_rata(part(2_000), &[80, 40]);
	// from the earliest commit (block 3) to the window's last block (10): Bob at 3 has 7 of 7
	// blocks left, Charlie at 5 has 5, Dave at 10 none
	let early = |left: u32| u128::from(Perbill::from_rational(left, 7).deconstruct());
	let time = pro_rata(part(1_000), &[early(7), early(5)]);
	let miners = vec![
		quality[0] + innovation[0] + time[0],
		quality[1] + innovation[1] + time[1],
		part(1_250),
	];
	let validators = pro_rata(part(1_250), pay_weights);
	let treasury = REWARD - FEE - miners.iter().sum::<u128>() - validators.iter().sum::<u128>();
	(miners, validators, treasury)
}

/// The seat weights of the panel now judging, by validator key.
fn seats(validators: &[Sr25519Keyring]) -> Vec<u128> {
	let round = round();
	let weights = crate::ValidationVoting::seat_weights(&round.panel);
	validators
		.iter()
		.map(|v| {
			round
				.panel
				.iter()
				.zip(weights.iter())
				.find(|((a, _), _)| *a == v.to_account_id())
				.map_or(0, |(_, w)| *w)
		})
		.collect()
}

#[test]
fn a_task_is_judged_and_settled_with_every_balance_to_the_planck() {
	genesis_ext("development").execute_with(|| {
		let validators = [Eve, Ferdie, EveStash];
		judged_task(&validators, 3);
		// a private draw of three seats among three validators: nobody named, each certain
		// of its seat, which it takes with its commitment
		assert!(round().panel.is_empty());
		score(&validators, |_, miner| honest(miner), &[]);
		assert_eq!(panel(&validators), validators.to_vec());
		end_of_phase();
		// provisional: the consensus is the honest scores; the task records it
		assert_eq!(provisional(), round().solvers.iter().map(honest).collect::<Vec<_>>());
		let status = pallet_tos_tasks::Tasks::<Runtime>::get(TASK).unwrap().status;
		assert_eq!(status, pallet_tos_tasks::TaskStatus::Provisional);
		// every score on consensus: accuracy 100, paid by seat weight
		let weights: Vec<u128> = seats(&validators).into_iter().map(|w| 100 * w).collect();

		let pallet_tos_validation_voting::RoundPhase::Provisional { until } = round().phase else {
			panic!("provisional")
		};
		run_until(until - 1);
		let accounts: Vec<AccountId> = [Bob, Charlie, Dave]
			.iter()
			.chain(validators.iter())
			.map(|k| k.to_account_id())
			.chain([TreasuryAccount::get(), Alice.to_account_id()])
			.collect();
		let before = snapshot(&accounts);
		let held = bonds(&accounts);
		assert!(held[..3].iter().all(|b| *b > 0), "each miner's bond is held until settlement");
		assert_eq!(escrow_held(), REWARD);
		next_block();
		let gains: Vec<u128> = accounts.iter().zip(before).map(|(a, b)| free(a) - b).collect();
		assert_eq!(bonds(&accounts), vec![0; accounts.len()], "every bond came back");
		let gains = less_bonds(&gains, &held);
		let (miners, validator_shares, treasury) = expected_split(&weights);
		// the miners' pay vests, the validators' is free at once
		let vesting: Vec<u128> = accounts.iter().map(vesting).collect();
		assert_eq!(vesting[..3], miners[..]);
		assert!(vesting[3..].iter().all(|v| *v == 0));
		let mut expected = miners;
		expected.extend(validator_shares);
		expected.extend([treasury, 0]);
		assert_eq!(gains, expected);
		assert_eq!(gains.iter().sum::<u128>(), REWARD - FEE, "the whole escrow but the fee");
		assert_eq!(escrow_held(), 0);
		let status = pallet_tos_tasks::Tasks::<Runtime>::get(TASK).unwrap().status;
		assert!(matches!(status, pallet_tos_tasks::TaskStatus::Settled { .. }));
		assert!(events().contains(&RuntimeEvent::Tasks(pallet_tos_tasks::Event::TaskSettled {
			task_id: TASK,
			winners: 2,
			paid: REWARD - FEE - treasury,
			refunded: 0,
			burned: FEE,
			to_treasury: treasury,
		})));
		// reputation: Bob's quality moved up from the floor; the validators' accuracy too
		let bob = crate::MinerReputation::reputation_of(&Bob.to_account_id());
		let floor = Perbill::from_percent(10);
		assert!(bob.dimensions[tos_primitives::ReputationDimension::Quality.index()] > floor);
		// …and his completion, recorded once the panel accepted the work: one task on record
		// (a task of 1 000 TOS is worth more than the 100 TOS of a whole one: it counts one)
		assert!(bob.dimensions[tos_primitives::ReputationDimension::Completion.index()] > floor);
		assert_eq!(bob.record, pallet_tos_miner_reputation::RECORD_UNIT);
		let eve = crate::MinerReputation::reputation_of(&Eve.to_account_id());
		assert!(
			eve.dimensions[tos_primitives::ReputationDimension::ValidationAccuracy.index()] > floor
		);
	});
}

#[test]
fn a_settled_task_earns_emission_worth_at_most_nine_tenths_of_the_fee_it_burned() {
	genesis_ext("development").execute_with(|| {
		let validators = [Eve, Ferdie, EveStash];
		judged_task(&validators, 3);
		score(&validators, |_, miner| honest(miner), &[]);
		end_of_phase();
		let pallet_tos_validation_voting::RoundPhase::Provisional { until } = round().phase else {
			panic!("provisional")
		};
		let issuance = pallet_balances::TotalIssuance::<Runtime>::get();
		run_until(until);
		// the fee is burned at settlement, and nothing is minted while the era runs
		assert_eq!(pallet_balances::TotalIssuance::<Runtime>::get(), issuance - FEE);
		// the era ends an hour in: it offered a TOS a block, far more than this one task earned
		let era_length = crate::HOURS;
		run_until(era_length + 1);
		let emitted = pallet_tos_rewards::TotalEmitted::<Runtime>::get();
		assert_eq!(pallet_balances::TotalIssuance::<Runtime>::get(), issuance - FEE + emitted);
		for who in [Bob, Charlie, Dave, Eve, Ferdie, EveStash] {
			apply(RuntimeCall::Rewards(pallet_tos_rewards::Call::claim_rewards { era: 0 }), who);
		}
		let claimed: u128 = events()
			.into_iter()
			.filter_map(|e| match e {
				RuntimeEvent::Rewards(pallet_tos_rewards::Event::EmissionClaimed {
					amount,
					..
				}) => Some(amount),
				_ => None,
			})
			.sum();
		// the task's participants got back nine tenths of the burned fee, less rounding — not
		// the hour's 600 TOS, however few tasks shared it
		assert_eq!(claimed, emitted);
		assert!(emitted <= FEE * 9 / 10, "{emitted} minted for {FEE} burned");
		assert!(emitted > FEE * 9 / 10 - 10, "every point paid: {emitted}");
	});
}

#[test]
fn a_dispute_that_overturns_returns_the_bond_and_the_wrong_judges_pay_the_appeal() {
	genesis_ext("development").execute_with(|| {
		let validators = [
			Eve,
			Ferdie,
			EveStash,
			FerdieStash,
			Sr25519Keyring::AliceStash,
			Sr25519Keyring::BobStash,
			Sr25519Keyring::CharlieStash,
		];
		// drawn publicly and without sealed seats, so that the first panel is three of the
		// seven and the appeal's, drawn after the dispute, the other four — the path a dispute
		// takes when too few sealed members can hear it (private draws of this shape, and
		// sealed members hearing a dispute, are the simulation's, the pallet's and the
		// end-to-end tests')
		crate::configs::PrivateDraws::set(&false);
		crate::configs::SealedSeats::set(&false);
		judged_task(&validators, 3);
		let first = panel(&validators);
		assert_eq!(first.len(), 3);
		// the first panel scores everything 10: nothing would win
		score(&validators, |_, _| sc(10, 10), &[]);
		end_of_phase();
		assert_eq!(provisional(), vec![sc(10, 10); 3]);
		// the bond: 5 % of the 1 000 TOS reward (more than the 10 TOS minimum)
		let bond = 50 * UNIT;
		let bob_before_dispute = free(&Bob.to_account_id());
		apply(
			RuntimeCall::ValidationVoting(pallet_tos_validation_voting::Call::dispute {
				task_id: TASK,
			}),
			Bob,
		);
		assert_eq!(
			Balances::balance_on_hold(
				&pallet_tos_validation_voting::HoldReason::DisputeBond.into(),
				&Bob.to_account_id()
			),
			bond
		);
		let status = pallet_tos_tasks::Tasks::<Runtime>::get(TASK).unwrap().status;
		assert_eq!(status, pallet_tos_tasks::TaskStatus::Disputed);
		// the appeal panel is drawn in the next block: the four not yet drawn
		assert!(round().panel.is_empty());
		next_block();
		let appeal = panel(&validators);
		assert_eq!(appeal.len(), 4);
		assert!(appeal.iter().all(|a| !first.contains(a)));
		score(&validators, |_, miner| honest(miner), &[]);

		let pallet_tos_validation_voting::RoundPhase::Reveal { until } = round().phase else {
			panic!("appeal reveal")
		};
		run_until(until - 1);
		let accounts: Vec<AccountId> = [Bob, Charlie, Dave]
			.iter()
			.chain(appeal.iter())
			.chain(first.iter())
			.map(|k| k.to_account_id())
			.chain([TreasuryAccount::get()])
			.collect();
		let before = snapshot(&accounts);
		let held = bonds(&accounts);
		next_block();
		assert!(events().contains(&RuntimeEvent::ValidationVoting(
			pallet_tos_validation_voting::Event::AppealDecided { task_id: TASK, overturned: true }
		)));
		let gains: Vec<u128> = accounts.iter().zip(before).map(|(a, b)| free(a) - b).collect();
		assert_eq!(bonds(&accounts), vec![0; accounts.len()], "every bond came back");
		let gains = less_bonds(&gains, &held);
		// the first judges scored outside the band of the final result: no pay from the escrow
		let (miners, _, treasury) = expected_split(&[0, 0, 0]);
		// each first judge pays 20 % of its 100 TOS to the appeal panel (equally accurate,
		// equal seats): 20 / 4 = 5 TOS from each, 15 TOS each
		let mut expected = miners.clone();
		expected[0] += bond;
		expected.extend([15 * UNIT; 4]);
		expected.extend([0; 3]);
		expected.push(treasury);
		assert_eq!(gains, expected);
		for judge in first {
			assert_eq!(
				Balances::balance_on_hold(
					&pallet_tos_validation_voting::HoldReason::ValidatorBond.into(),
					&judge.to_account_id()
				),
				80 * UNIT
			);
		}
		// since disputing, Bob lost only the dispute's transaction fee
		let fee = bob_before_dispute + miners[0] + held[0] - free(&Bob.to_account_id());
		assert!(fee > 0 && fee < UNIT / 10, "{fee}");
		assert_eq!(escrow_held(), 0);
	});
}

#[test]
fn a_validator_that_does_not_reveal_is_penalised_and_unpaid() {
	genesis_ext("development").execute_with(|| {
		let validators = [Eve, Ferdie, EveStash, FerdieStash];
		judged_task(&validators, 4);
		score(&validators, |_, miner| honest(miner), &[Ferdie]);
		let treasury = free(&TreasuryAccount::get());
		end_of_phase();
		// 10 % of Ferdie's 100 TOS bond, to the treasury; three of four revealed: the quorum
		assert_eq!(free(&TreasuryAccount::get()) - treasury, 10 * UNIT);
		assert_eq!(
			Balances::balance_on_hold(
				&pallet_tos_validation_voting::HoldReason::ValidatorBond.into(),
				&Ferdie.to_account_id()
			),
			90 * UNIT
		);
		let revealers = [Eve, EveStash, FerdieStash];
		let weights: Vec<u128> = seats(&revealers).into_iter().map(|w| 100 * w).collect();
		let pallet_tos_validation_voting::RoundPhase::Provisional { until } = round().phase else {
			panic!("provisional")
		};
		run_until(until - 1);
		let accounts: Vec<AccountId> =
			[Eve, EveStash, FerdieStash, Ferdie].iter().map(|k| k.to_account_id()).collect();
		let before = snapshot(&accounts);
		next_block();
		let gains: Vec<u128> = accounts.iter().zip(before).map(|(a, b)| free(a) - b).collect();
		let (_, shares, _) = expected_split(&weights);
		assert_eq!(gains, vec![shares[0], shares[1], shares[2], 0]);
	});
}

#[test]
fn with_no_solution_good_enough_the_validators_are_paid_and_the_rest_refunded_less_the_fee() {
	genesis_ext("development").execute_with(|| {
		let validators = [Eve, Ferdie, EveStash];
		judged_task(&validators, 3);
		// everything below the threshold of 60
		score(&validators, |_, _| sc(50, 90), &[]);
		end_of_phase();
		let weights: Vec<u128> = seats(&validators).into_iter().map(|w| 100 * w).collect();
		let pallet_tos_validation_voting::RoundPhase::Provisional { until } = round().phase else {
			panic!("provisional")
		};
		run_until(until - 1);
		let accounts: Vec<AccountId> = [Alice, Bob, Charlie, Dave, Eve, Ferdie, EveStash]
			.iter()
			.map(|k| k.to_account_id())
			.chain([TreasuryAccount::get()])
			.collect();
		let before = snapshot(&accounts);
		let held = bonds(&accounts);
		next_block();
		let gains: Vec<u128> = accounts.iter().zip(before).map(|(a, b)| free(a) - b).collect();
		assert_eq!(bonds(&accounts), vec![0; accounts.len()], "every bond came back");
		let gains = less_bonds(&gains, &held);
		let shares = pro_rata(REWARD * 1_250 / 10_000, &weights);
		let paid: u128 = shares.iter().sum();
		let refund = REWARD - FEE - paid;
		// the fee is burned: the treasury gets nothing
		assert_eq!(gains, vec![refund, 0, 0, 0, shares[0], shares[1], shares[2], 0]);
		assert_eq!(escrow_held(), 0);
		assert!(events().contains(&RuntimeEvent::Tasks(pallet_tos_tasks::Event::TaskSettled {
			task_id: TASK,
			winners: 0,
			paid,
			refunded: refund,
			burned: FEE,
			to_treasury: 0,
		})));
	});
}

#[test]
fn a_panel_that_never_reveals_is_replaced_by_the_council_and_the_escrow_waits() {
	genesis_ext("development").execute_with(|| {
		let validators = [Eve, Ferdie, EveStash];
		judged_task(&validators, 3);
		// nobody reveals; nobody else can sit: the council is asked
		score(&validators, |_, miner| honest(miner), &validators);
		end_of_phase();
		assert!(matches!(round().phase, pallet_tos_validation_voting::RoundPhase::Council { .. }));
		assert_eq!(escrow_held(), REWARD, "no refund for a panel that does not judge");
		let judgements: Vec<pallet_tos_validation_voting::Judgement> = round()
			.solvers
			.iter()
			.map(|m| pallet_tos_validation_voting::Judgement::scores(honest(m)))
			.collect();
		let before = snapshot(&[Bob.to_account_id(), Alice.to_account_id()]);
		let held = bonds(&[Bob.to_account_id()])[0];
		sudo(RuntimeCall::ValidationVoting(pallet_tos_validation_voting::Call::council_judge {
			task_id: TASK,
			judgements: judgements.try_into().unwrap(),
		}));
		// the miners are paid by the council's judgement; no validator earned anything
		let (miners, _, _) = expected_split(&[]);
		let after = snapshot(&[Bob.to_account_id(), Alice.to_account_id()]);
		assert_eq!(after[0] - before[0], miners[0] + held, "Bob's pay and his bond back");
		assert!(after[1] <= before[1], "the publisher got no refund");
		assert_eq!(escrow_held(), 0);
		for silent in validators {
			assert_eq!(
				Balances::balance_on_hold(
					&pallet_tos_validation_voting::HoldReason::ValidatorBond.into(),
					&silent.to_account_id()
				),
				90 * UNIT
			);
		}
	});
}

#[test]
fn a_share_an_account_cannot_receive_goes_to_the_treasury() {
	use frame_support::traits::fungible::Inspect as _;
	use tos_primitives::{
		JudgedSolution, SolutionFate, TaskPhases, ValidationOutcome, ValidatorResult,
	};
	genesis_ext("development").execute_with(|| {
		judged_task(&[Eve, Ferdie, EveStash], 3);
		// a validator that has since left and emptied its account, with a share of a few
		// planck: below the existential deposit, it cannot be paid
		let gone = Sr25519Keyring::One.to_account_id();
		assert_eq!(Balances::balance(&gone), 0);
		let outcome = ValidationOutcome {
			solutions: round()
				.solvers
				.iter()
				.enumerate()
				.map(|(i, m)| JudgedSolution {
					miner: m.clone(),
					score: honest(m),
					fate: SolutionFate::Judged { group: i as u32 },
				})
				.collect(),
			validators: vec![
				ValidatorResult {
					validator: Eve.to_account_id(),
					accuracy: Score::MAX,
					pay_weight: 1 << 40,
				},
				ValidatorResult { validator: gone.clone(), accuracy: Score::MAX, pay_weight: 1 },
			],
			judged: true,
		};
		let treasury = free(&TreasuryAccount::get());
		let eve = free(&Eve.to_account_id());
		crate::Tasks::judged(TASK, &outcome);
		assert_eq!(Balances::balance(&gone), 0);
		let (_, shares, to_treasury) = expected_split(&[1 << 40, 1]);
		assert!(shares[1] > 0 && shares[1] < crate::EXISTENTIAL_DEPOSIT);
		assert_eq!(free(&Eve.to_account_id()) - eve, shares[0]);
		assert_eq!(free(&TreasuryAccount::get()) - treasury, to_treasury + shares[1]);
		assert_eq!(escrow_held(), 0, "nothing stays held");
	});
}
