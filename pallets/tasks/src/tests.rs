//! The market's behaviour: each call with its errors, each phase change, paging of deadlines,
//! and a property test that money is conserved and holds always match storage.

use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold, BoundedVec};
use sp_core::H256;
use sp_runtime::{DispatchError, Perbill};
use tos_primitives::{
	Fingerprint, Ineligible, JudgedSolution, ReputationDimension, RevealedSalts, Score,
	SolutionFate, SolutionScore, TaskPhases, TaskType, ValidationOutcome, ValidatorResult,
};

use crate::{
	commitment_of, mock::*, CommitmentHashes, Commitments, Deadlines, Error, Event, Forfeit,
	HoldReason, Ratings, TaskSpec, TaskStatus, Tasks as TaskStore,
};

fn held(reason: HoldReason, who: u64) -> u64 {
	Balances::balance_on_hold(&reason.into(), &who)
}

fn publish() -> u64 {
	let id = crate::NextTaskId::<Test>::get();
	assert_ok!(Tasks::publish_task(RuntimeOrigin::signed(PUBLISHER), spec()));
	events();
	id
}

fn solution(miner: u64) -> H256 {
	H256::repeat_byte(miner as u8)
}

fn fingerprint(miner: u64) -> Fingerprint {
	Fingerprint([miner as u8; 32])
}

fn salt(miner: u64) -> H256 {
	H256::repeat_byte(0x50 + miner as u8)
}

fn commit(task: u64, miner: u64) {
	let hash = commitment_of(&solution(miner), &fingerprint(miner), &salt(miner), &miner);
	assert_ok!(Tasks::commit_solution(RuntimeOrigin::signed(miner), task, hash));
	events();
}

fn reveal(task: u64, miner: u64) -> sp_runtime::DispatchResult {
	Tasks::reveal_solution(
		RuntimeOrigin::signed(miner),
		task,
		solution(miner),
		salt(miner),
		Fingerprint([miner as u8; 32]),
		BoundedVec::truncate_from(b"sol".to_vec()),
	)
}

fn status(task: u64) -> TaskStatus<u64> {
	TaskStore::<Test>::get(task).unwrap().status
}

mod publish_task {
	use super::*;

	#[test]
	fn holds_reward_and_deposit_and_queues_the_commit_deadline() {
		build_and_execute(|| {
			assert_ok!(Tasks::publish_task(RuntimeOrigin::signed(PUBLISHER), spec()));
			assert_eq!(held(HoldReason::TaskEscrow, PUBLISHER), 1_000);
			assert_eq!(held(HoldReason::TaskDeposit, PUBLISHER), 7);
			let task = TaskStore::<Test>::get(0).unwrap();
			assert_eq!((task.commit_end, task.reveal_end, task.status), (11, 16, TaskStatus::Open));
			assert_eq!(Deadlines::<Test>::iter_key_prefix(11).collect::<Vec<_>>(), vec![0]);
			assert_eq!(
				events(),
				vec![Event::TaskPublished {
					task_id: 0,
					publisher: PUBLISHER,
					task_type: TaskType::CodeGeneration,
					reward: 1_000,
					commit_end: 11,
					reveal_end: 16,
				}]
			);
			assert_eq!(publish(), 1, "ids count up");
		});
	}

	#[test]
	fn errors() {
		build_and_execute(|| {
			let try_publish = |s: crate::TaskSpecOf<Test>| {
				Tasks::publish_task(RuntimeOrigin::signed(PUBLISHER), s)
			};
			assert_noop!(
				Tasks::publish_task(RuntimeOrigin::none(), spec()),
				DispatchError::BadOrigin
			);
			for (commit, reveal, validate) in [(1, 5, 5), (51, 5, 5), (10, 1, 5), (10, 5, 51)] {
				assert_noop!(
					try_publish(TaskSpec {
						commit_blocks: commit,
						reveal_blocks: reveal,
						validation_blocks: validate,
						..spec()
					}),
					Error::<Test>::WindowOutOfBounds
				);
			}
			assert_noop!(
				try_publish(TaskSpec { reward: 9, ..spec() }),
				Error::<Test>::RewardTooLow
			);
			for max_solutions in [0, 9] {
				assert_noop!(
					try_publish(TaskSpec { max_solutions, ..spec() }),
					Error::<Test>::InvalidMaxSolutions
				);
			}
			for panel_size in [0, 6] {
				assert_noop!(
					try_publish(TaskSpec { panel_size, ..spec() }),
					Error::<Test>::InvalidPanelSize
				);
			}
			let over: Score = codec::Decode::decode(&mut &[101u8][..]).unwrap();
			assert_noop!(
				try_publish(TaskSpec { quality_threshold: over, ..spec() }),
				Error::<Test>::InvalidQualityThreshold
			);
			// enough for the escrow, not for the deposit: nothing stays held
			assert_noop!(
				try_publish(TaskSpec { reward: 9_995, ..spec() }),
				Error::<Test>::InsufficientBalance
			);
			assert_noop!(
				Tasks::publish_task(RuntimeOrigin::signed(PAUPER), spec()),
				Error::<Test>::InsufficientBalance
			);
			// the commit window must outlast the type's minimum solve time
			MockFraud::set_min_solve(10);
			assert_noop!(try_publish(spec()), Error::<Test>::CommitWindowTooShort);
			assert_ok!(try_publish(TaskSpec { commit_blocks: 11, ..spec() }));
		});
	}

	#[test]
	fn the_submission_bond_and_the_earliest_commit_are_fixed_at_publication() {
		build_and_execute(|| {
			MockFraud::set_min_solve(3);
			// 0.5 % of 4 000 is 20; of 1 000 it would be 5, the minimum
			assert_ok!(Tasks::publish_task(
				RuntimeOrigin::signed(PUBLISHER),
				TaskSpec { reward: 4_000, ..spec() }
			));
			let task = TaskStore::<Test>::get(0).unwrap();
			assert_eq!((task.submission_bond, task.earliest_commit), (20, 4));
			// a later change of the rules does not reach it
			let params = crate::TaskParams { min_submission_bond: 50, ..test_params() };
			assert_ok!(Tasks::set_params(RuntimeOrigin::root(), params));
			commit(0, MINER_A);
			assert_eq!(held(HoldReason::SubmissionBond, MINER_A), 20);
		});
	}

	#[test]
	fn a_flood_of_tasks_is_never_refused_nor_lost_for_deadlines() {
		build_and_execute(|| {
			// 200 tasks whose commit windows all close at block 11; three deadlines a block
			for _ in 0..200 {
				assert_ok!(Tasks::publish_task(
					RuntimeOrigin::signed(PUBLISHER),
					TaskSpec { reward: 10, uri: Default::default(), ..spec() }
				));
			}
			run_to_block(11);
			let expired = || {
				TaskStore::<Test>::iter()
					.filter(|(_, t)| matches!(t.status, TaskStatus::Expired { .. }))
					.count()
			};
			assert_eq!(expired(), 3);
			// three a block, oldest first: the last two of the 200 at block 11 + 66
			let open =
				|| TaskStore::<Test>::iter().filter(|(_, t)| t.status == TaskStatus::Open).count();
			run_to_block(76);
			assert_eq!(open(), 2);
			run_to_block(77);
			assert_eq!(open(), 0, "every task reached its deadline");
			run_to_block(76 + 20 + 70);
			assert_eq!(TaskStore::<Test>::iter().count(), 0, "and every one was cleaned up");
		});
	}
}

mod cancel_task {
	use super::*;

	#[test]
	fn returns_everything_before_the_first_commitment() {
		build_and_execute(|| {
			let task = publish();
			assert_ok!(Tasks::cancel_task(RuntimeOrigin::signed(PUBLISHER), task));
			assert_eq!(Balances::free_balance(PUBLISHER), 10_000);
			assert!(TaskStore::<Test>::get(task).is_none());
			assert_eq!(events(), vec![Event::TaskCancelled { task_id: task }]);
			// its deadline passes harmlessly
			run_to_block(12);
			assert!(events().is_empty());
		});
	}

	#[test]
	fn errors() {
		build_and_execute(|| {
			assert_noop!(
				Tasks::cancel_task(RuntimeOrigin::signed(PUBLISHER), 7),
				Error::<Test>::UnknownTask
			);
			let task = publish();
			assert_noop!(Tasks::cancel_task(RuntimeOrigin::none(), task), DispatchError::BadOrigin);
			assert_noop!(
				Tasks::cancel_task(RuntimeOrigin::signed(MINER_A), task),
				Error::<Test>::NotPublisher
			);
			commit(task, MINER_A);
			assert_noop!(
				Tasks::cancel_task(RuntimeOrigin::signed(PUBLISHER), task),
				Error::<Test>::HasCommitments
			);
			run_to_block(11);
			assert_noop!(
				Tasks::cancel_task(RuntimeOrigin::signed(PUBLISHER), task),
				Error::<Test>::CommitWindowClosed
			);
		});
	}
}

mod commit_solution {
	use super::*;

	#[test]
	fn a_full_task_bumps_the_lowest_priority_for_a_higher_one() {
		build_and_execute(|| {
			let task = publish();
			MockMiners::set_priority(MINER_A, 30);
			MockMiners::set_priority(MINER_B, 10);
			MockMiners::set_priority(PUBLISHER, 20);
			commit(task, MINER_A);
			commit(task, MINER_B);
			commit(task, PUBLISHER);
			// C's record beats B's, the lowest: B is bumped and gets its bond back
			MockMiners::set_priority(MINER_C, 15);
			let hash =
				commitment_of(&solution(MINER_C), &fingerprint(MINER_C), &salt(MINER_C), &MINER_C);
			assert_ok!(Tasks::commit_solution(RuntimeOrigin::signed(MINER_C), task, hash));
			assert_eq!(
				events(),
				vec![
					Event::CommitmentBumped { task_id: task, miner: MINER_B, by: MINER_C },
					Event::SolutionCommitted { task_id: task, miner: MINER_C }
				]
			);
			assert!(Commitments::<Test>::get(task, MINER_B).is_none());
			assert_eq!(held(HoldReason::SubmissionBond, MINER_B), 0);
			assert_eq!(MockMiners::open(MINER_B), 0);
			assert_eq!(TaskStore::<Test>::get(task).unwrap().commitments, 3);
			// B cannot come back: its priority is below everyone's now
			let hash =
				commitment_of(&solution(MINER_B), &fingerprint(MINER_B), &salt(MINER_B), &MINER_B);
			assert_noop!(
				Tasks::commit_solution(RuntimeOrigin::signed(MINER_B), task, hash),
				Error::<Test>::TaskFull
			);
		});
	}

	#[test]
	fn holds_the_bond_and_stores_the_commitment() {
		build_and_execute(|| {
			let task = publish();
			run_to_block(4);
			let hash =
				commitment_of(&solution(MINER_A), &fingerprint(MINER_A), &salt(MINER_A), &MINER_A);
			assert_ok!(Tasks::commit_solution(RuntimeOrigin::signed(MINER_A), task, hash));
			assert_eq!(held(HoldReason::SubmissionBond, MINER_A), 5);
			let commitment = Commitments::<Test>::get(task, MINER_A).unwrap();
			assert_eq!((commitment.hash, commitment.committed_at, commitment.bond), (hash, 4, 5));
			assert_eq!(TaskStore::<Test>::get(task).unwrap().commitments, 1);
			assert!(CommitmentHashes::<Test>::contains_key(task, hash));
			assert_eq!(events(), vec![Event::SolutionCommitted { task_id: task, miner: MINER_A }]);
		});
	}

	#[test]
	fn errors() {
		build_and_execute(|| {
			let hash = H256::repeat_byte(9);
			let mine = |who: u64| H256::repeat_byte(who as u8);
			let try_commit =
				|who, task| Tasks::commit_solution(RuntimeOrigin::signed(who), task, mine(who));
			assert_noop!(try_commit(MINER_A, 0), Error::<Test>::UnknownTask);
			let task = publish();
			assert_noop!(
				Tasks::commit_solution(RuntimeOrigin::none(), task, hash),
				DispatchError::BadOrigin
			);
			for (why, error) in [
				(Ineligible::NotRegistered, Error::<Test>::NotAMiner),
				(Ineligible::Banned, Error::<Test>::MinerBanned),
				(Ineligible::WrongSpecialization, Error::<Test>::WrongSpecialization),
				(Ineligible::LevelTooLow, Error::<Test>::LevelTooLow),
			] {
				MockMiners::refuse(MINER_C, why);
				assert_noop!(try_commit(MINER_C, task), error);
			}
			assert_noop!(try_commit(PAUPER, task), Error::<Test>::InsufficientBalance);
			assert_ok!(try_commit(MINER_A, task));
			assert_noop!(try_commit(MINER_A, task), Error::<Test>::AlreadyCommitted);
			// a byte-for-byte copy of another's commitment is refused at once
			assert_noop!(
				Tasks::commit_solution(RuntimeOrigin::signed(MINER_B), task, mine(MINER_A)),
				Error::<Test>::DuplicateCommitment
			);
			assert_ok!(try_commit(MINER_B, task));
			assert_ok!(Tasks::commit_solution(RuntimeOrigin::signed(PUBLISHER), task, hash));
			// full, and the newcomer's priority is no higher than anyone's
			assert_noop!(try_commit(TREASURY, task), Error::<Test>::TaskFull);
			// a reward that needs a Skilled miner
			let rich = crate::NextTaskId::<Test>::get();
			assert_ok!(Tasks::publish_task(
				RuntimeOrigin::signed(PUBLISHER),
				TaskSpec { reward: 5_000, ..spec() }
			));
			assert_noop!(try_commit(MINER_C, rich), Error::<Test>::LevelTooLow);
			let other = publish();
			run_to_block(11);
			assert_noop!(try_commit(MINER_C - 2, other), Error::<Test>::CommitWindowClosed);
		});
	}
}

mod reveal_solution {
	use super::*;

	#[test]
	fn a_matching_reveal_is_stored() {
		build_and_execute(|| {
			let task = publish();
			commit(task, MINER_A);
			run_to_block(11);
			events();
			assert_ok!(reveal(task, MINER_A));
			let stored = Commitments::<Test>::get(task, MINER_A).unwrap().solution.unwrap();
			assert_eq!(stored.solution_hash, solution(MINER_A));
			assert_eq!(stored.salt, salt(MINER_A));
			assert_eq!(Tasks::revealed_salt(task, &MINER_A), Some(salt(MINER_A)));
			assert_eq!(Tasks::revealed_salt(task, &MINER_B), None);
			assert_eq!(stored.fingerprint, Fingerprint([MINER_A as u8; 32]));
			assert_eq!(TaskStore::<Test>::get(task).unwrap().reveals, 1);
			assert_eq!(
				events(),
				vec![Event::SolutionRevealed {
					task_id: task,
					miner: MINER_A,
					solution_hash: solution(MINER_A)
				}]
			);
		});
	}

	#[test]
	fn a_reveal_counts_by_block_number_even_when_the_phase_change_is_late() {
		build_and_execute(|| {
			// four tasks closing their commit windows in block 11, three deadlines a block:
			// the last is still Open in block 11, yet its reveal window has begun
			let tasks: Vec<u64> = (0..4).map(|_| publish()).collect();
			for task in tasks.iter() {
				commit(*task, MINER_A);
			}
			run_to_block(11);
			let late: Vec<u64> =
				tasks.iter().copied().filter(|t| status(*t) == TaskStatus::Open).collect();
			assert_eq!(late.len(), 1, "one task's phase change waits for the next block");
			let late = late[0];
			assert_ok!(reveal(late, MINER_A));
			run_to_block(12);
			assert_eq!(status(late), TaskStatus::Reveal);
		});
	}

	#[test]
	fn errors() {
		build_and_execute(|| {
			assert_noop!(reveal(0, MINER_A), Error::<Test>::UnknownTask);
			let task = publish();
			commit(task, MINER_A);
			commit(task, MINER_B);
			assert_noop!(reveal(task, MINER_A), Error::<Test>::RevealWindowNotOpen);
			run_to_block(11);
			assert_noop!(reveal(task, MINER_C), Error::<Test>::NoCommitment);
			// a wrong salt
			assert_noop!(
				Tasks::reveal_solution(
					RuntimeOrigin::signed(MINER_A),
					task,
					solution(MINER_A),
					H256::zero(),
					Fingerprint::default(),
					Default::default()
				),
				Error::<Test>::CommitmentMismatch
			);
			assert_noop!(
				Tasks::reveal_solution(
					RuntimeOrigin::none(),
					task,
					solution(MINER_A),
					salt(MINER_A),
					Fingerprint::default(),
					Default::default()
				),
				DispatchError::BadOrigin
			);
			assert_ok!(reveal(task, MINER_A));
			assert_noop!(reveal(task, MINER_A), Error::<Test>::AlreadyRevealed);
			// late
			run_to_block(16);
			assert_noop!(reveal(task, MINER_B), Error::<Test>::RevealWindowClosed);
		});
	}
}

mod phases {
	use super::*;

	#[test]
	fn a_task_nobody_commits_to_expires_and_refunds_less_the_fee() {
		build_and_execute(|| {
			let task = publish();
			let issuance = Balances::total_issuance();
			run_to_block(11);
			assert_eq!(status(task), TaskStatus::Expired { at: 11 });
			assert_eq!(
				events(),
				vec![Event::TaskExpired { task_id: task, refunded: 900, fee: 100 }]
			);
			// the fee is burned, not the treasury's
			assert_eq!(Balances::free_balance(TREASURY), 1);
			assert_eq!(Balances::total_issuance(), issuance - 100);
			assert_eq!(held(HoldReason::TaskEscrow, PUBLISHER), 0);
			assert_eq!(held(HoldReason::TaskDeposit, PUBLISHER), 7, "until the clean-up");
			// retention over: removed, deposit back
			run_to_block(31);
			assert!(TaskStore::<Test>::get(task).is_none());
			assert_eq!(events(), vec![Event::TaskCleanedUp { task_id: task }]);
			assert_eq!(Balances::free_balance(PUBLISHER), 10_000 - 100);
		});
	}

	#[test]
	fn commit_then_reveal_then_validation_with_unrevealed_bonds_forfeited() {
		build_and_execute(|| {
			let task = publish();
			commit(task, MINER_A);
			commit(task, MINER_B);
			run_to_block(11);
			assert_eq!(status(task), TaskStatus::Reveal);
			assert_eq!(events(), vec![Event::RevealStarted { task_id: task, commitments: 2 }]);
			assert_ok!(reveal(task, MINER_A));
			events();

			run_to_block(16);
			assert_eq!(status(task), TaskStatus::Validating);
			assert_eq!(
				events(),
				vec![
					Event::BondForfeited {
						task_id: task,
						miner: MINER_B,
						bond: 5,
						reason: Forfeit::NotRevealed
					},
					Event::ValidationStarted { task_id: task, solutions: 1 }
				]
			);
			assert_eq!(Balances::free_balance(TREASURY), 1 + 5);
			assert_eq!(held(HoldReason::SubmissionBond, MINER_B), 0);
			assert_eq!(held(HoldReason::SubmissionBond, MINER_A), 5, "kept until settlement");
			assert_eq!(held(HoldReason::TaskEscrow, PUBLISHER), 1_000, "the reward waits too");
			assert_eq!(MockValidation::take(), vec![(task, 3, vec![MINER_A], vec![], 1_000)]);
			let recorded = MockReputation::take();
			let completion = |who| {
				recorded
					.iter()
					.find(|(w, _, _)| *w == who)
					.and_then(|(_, _, s)| s.get(ReputationDimension::Completion))
			};
			// B delivered nothing: a failed completion; A's waits for the panel's judgement
			assert_eq!(completion(MINER_A), None);
			assert_eq!(completion(MINER_B), Score::new(0));
		});
	}

	#[test]
	fn a_task_with_commitments_but_no_reveals_expires_after_the_reveal_window() {
		build_and_execute(|| {
			let task = publish();
			commit(task, MINER_A);
			run_to_block(16);
			assert_eq!(status(task), TaskStatus::Expired { at: 16 });
			assert_eq!(Balances::free_balance(TREASURY), 1 + 5, "the bond; the fee is burned");
			assert!(MockValidation::take().is_empty());
			run_to_block(36);
			assert!(TaskStore::<Test>::get(task).is_none());
			assert!(Commitments::<Test>::iter_prefix(task).next().is_none());
		});
	}

	#[test]
	fn settled_tasks_are_cleaned_up_after_retention_returning_deposit_and_bonds() {
		build_and_execute(|| {
			let task = publish();
			commit(task, MINER_A);
			run_to_block(11);
			assert_ok!(reveal(task, MINER_A));
			run_to_block(16);
			// judged with no validator: all back but the fee
			Tasks::judged(task, &unjudged(&[MINER_A]));
			run_to_block(36);
			assert!(TaskStore::<Test>::get(task).is_none());
			assert_eq!(held(HoldReason::SubmissionBond, MINER_A), 0);
			assert_eq!(held(HoldReason::TaskDeposit, PUBLISHER), 0);
		});
	}

	#[test]
	fn deadlines_page_to_later_blocks_when_one_block_is_full() {
		build_and_execute(|| {
			// seven tasks, all with their commit window ending at block 11; three fit a block
			let tasks: Vec<u64> = (0..7).map(|_| publish()).collect();
			assert_eq!(Deadlines::<Test>::iter_key_prefix(11).count(), 7);
			run_to_block(11);
			let expired = |t| matches!(status(t), TaskStatus::Expired { .. });
			assert_eq!(tasks.iter().filter(|t| expired(**t)).count(), 3);
			run_to_block(13);
			assert!(tasks.iter().all(|t| expired(*t)), "every task moved on within the paging");
		});
	}
}

/// An outcome nobody judged (the council let its deadline pass).
fn unjudged(miners: &[u64]) -> ValidationOutcome<u64> {
	ValidationOutcome {
		solutions: miners
			.iter()
			.enumerate()
			.map(|(i, m)| JudgedSolution {
				miner: *m,
				score: Default::default(),
				fate: SolutionFate::Judged { group: i as u32 },
			})
			.collect(),
		validators: vec![],
		judged: false,
	}
}

fn sc(quality: u8, innovation: u8) -> SolutionScore {
	SolutionScore {
		quality: Score::new(quality).unwrap(),
		innovation: Score::new(innovation).unwrap(),
	}
}

mod fraud {
	use super::*;

	#[test]
	fn nobody_can_reveal_a_fingerprint_other_than_the_committed_one() {
		build_and_execute(|| {
			// an early committer cannot wait for a rival's reveal and claim its fingerprint
			let task = publish();
			commit(task, MINER_A);
			run_to_block(11);
			assert_noop!(
				Tasks::reveal_solution(
					RuntimeOrigin::signed(MINER_A),
					task,
					solution(MINER_A),
					salt(MINER_A),
					fingerprint(MINER_B),
					BoundedVec::truncate_from(b"sol".to_vec()),
				),
				Error::<Test>::CommitmentMismatch
			);
			assert_ok!(reveal(task, MINER_A));
		});
	}

	#[test]
	fn a_pre_computed_commitment_is_excluded_and_copies_are_only_paired() {
		build_and_execute(|| {
			// A pre-computed (flagged at commit); the first filter pairs B and C as copies
			MockFraud::precomputed(vec![MINER_A]);
			MockFraud::pairs(vec![(0, 1)]);
			let task = publish();
			for miner in [MINER_A, MINER_B, MINER_C] {
				commit(task, miner);
			}
			assert!(Commitments::<Test>::get(task, MINER_A).unwrap().flagged);
			assert_eq!(MockMiners::open(MINER_A), 1, "the stake stays until the reveal closes");
			run_to_block(11);
			for miner in [MINER_A, MINER_B, MINER_C] {
				assert_ok!(reveal(task, miner));
			}
			let treasury = Balances::free_balance(TREASURY);
			run_to_block(16);
			// the filter saw the solutions not excluded already; nobody is punished for a pair
			let mut checked = MockFraud::checked().pop().unwrap();
			checked.sort();
			assert_eq!(checked, vec![MINER_B, MINER_C]);
			let handed = MockValidation::take();
			assert_eq!(handed.len(), 1);
			let (_, _, mut solvers, copies, _) = handed[0].clone();
			solvers.sort();
			assert_eq!((solvers, copies), (vec![MINER_B, MINER_C], vec![(0, 1)]));
			for miner in [MINER_A, MINER_B, MINER_C] {
				assert_eq!(MockMiners::open(miner), 0);
			}
			assert_eq!(Balances::free_balance(TREASURY) - treasury, 5, "A's bond only");
			assert!(events().contains(&Event::BondForfeited {
				task_id: task,
				miner: MINER_A,
				bond: 5,
				reason: Forfeit::PreComputation
			}));
			assert_eq!(held(HoldReason::SubmissionBond, MINER_B), 5);
		});
	}
}

mod settlement {
	use super::*;

	/// A task at block 1 with MINER_A committing at once and MINER_B at block 6, both revealed,
	/// handed to validation at block 16.
	fn judged() -> u64 {
		let task = publish();
		commit(task, MINER_A);
		run_to_block(6);
		commit(task, MINER_B);
		run_to_block(11);
		assert_ok!(reveal(task, MINER_A));
		assert_ok!(reveal(task, MINER_B));
		run_to_block(16);
		events();
		task
	}

	fn outcome(a: SolutionFate, b: SolutionFate, scores: (u8, u8)) -> ValidationOutcome<u64> {
		ValidationOutcome {
			solutions: vec![
				JudgedSolution { miner: MINER_A, score: sc(scores.0, 50), fate: a },
				JudgedSolution { miner: MINER_B, score: sc(scores.1, 50), fate: b },
			],
			validators: vec![ValidatorResult {
				validator: MINER_C,
				accuracy: Score::MAX,
				pay_weight: 100,
			}],
			judged: true,
		}
	}

	#[test]
	fn phases_follow_validation_then_the_judgement_pays_the_escrow_exactly() {
		build_and_execute(|| {
			let task = judged();
			Tasks::note_provisional(task);
			assert_eq!(status(task), TaskStatus::Provisional);
			Tasks::note_disputed(task);
			assert_eq!(status(task), TaskStatus::Disputed);
			let before = ACCOUNTS.map(Balances::free_balance);
			let issuance = Balances::total_issuance();
			// both win (60 ≥ 60): 300 each; C judged: 100; the fee 100, burned; 200 to the
			// treasury
			Tasks::judged(
				task,
				&outcome(
					SolutionFate::Judged { group: 0 },
					SolutionFate::Judged { group: 1 },
					(80, 60),
				),
			);
			let gains: Vec<u64> =
				ACCOUNTS.iter().zip(before).map(|(w, b)| Balances::free_balance(*w) - b).collect();
			// publisher, A, B, C, treasury, pauper; A and B also get their 5 bonds back
			assert_eq!(gains, vec![0, 305, 305, 100, 200, 0]);
			assert_eq!(Balances::total_issuance(), issuance - 100, "the fee is burned");
			assert_eq!(held(HoldReason::SubmissionBond, MINER_A), 0);
			let kept = Commitments::<Test>::get(task, MINER_A).unwrap();
			assert_eq!((kept.score, kept.reward), (Some(sc(80, 50)), 300));
			assert_eq!(held(HoldReason::TaskEscrow, PUBLISHER), 0);
			assert!(matches!(status(task), TaskStatus::Settled { .. }));
			let events = events();
			assert!(events.contains(&Event::RewardPaid {
				task_id: task,
				who: MINER_A,
				amount: 300
			}));
			assert_eq!(
				events.last(),
				Some(&Event::TaskSettled {
					task_id: task,
					winners: 2,
					paid: 700,
					refunded: 0,
					burned: 100,
					to_treasury: 200
				})
			);
			// noted for emission, bounded by the burn
			assert_eq!(MockRewards::work(), vec![(true, 100)]);
			// both solutions were accepted work: completed
			let recorded = MockReputation::take();
			for miner in [MINER_A, MINER_B] {
				assert!(recorded.iter().any(|(w, _, s)| *w == miner
					&& s.get(ReputationDimension::Completion) == Some(Score::MAX)));
			}
			// a settled task is not judged any more: phase notes and judgements do nothing
			Tasks::note_provisional(task);
			assert!(matches!(status(task), TaskStatus::Settled { .. }));
		});
	}

	#[test]
	fn a_false_fingerprint_and_junk_forfeit_their_bonds_and_copies_share() {
		build_and_execute(|| {
			let task = judged();
			let treasury = Balances::free_balance(TREASURY);
			// A's fingerprint is false; B is junk (quality 5 < 10)
			Tasks::judged(
				task,
				&outcome(
					SolutionFate::FalseFingerprint,
					SolutionFate::Judged { group: 1 },
					(80, 5),
				),
			);
			let events = events();
			for (miner, reason) in
				[(MINER_A, Forfeit::FalseFingerprint), (MINER_B, Forfeit::BelowMinimumQuality)]
			{
				assert!(events.contains(&Event::BondForfeited {
					task_id: task,
					miner,
					bond: 5,
					reason
				}));
				assert_eq!(held(HoldReason::SubmissionBond, miner), 0);
			}
			// nothing won: the publisher gets all but the fee and the validator's part
			assert!(events.contains(&Event::TaskSettled {
				task_id: task,
				winners: 0,
				paid: 100,
				refunded: 800,
				burned: 100,
				to_treasury: 0
			}));
			assert_eq!(Balances::free_balance(TREASURY) - treasury, 10, "the two bonds");
			assert_eq!(MockRewards::work(), vec![(false, 100)], "nothing won");
			// neither completed the task: revealing junk or a false fingerprint earns no record
			let recorded = MockReputation::take();
			for miner in [MINER_A, MINER_B] {
				let completions: Vec<_> = recorded
					.iter()
					.filter(|(w, _, _)| *w == miner)
					.filter_map(|(_, _, s)| s.get(ReputationDimension::Completion))
					.collect();
				assert_eq!(completions, vec![Score::default()]);
			}
		});
	}

	#[test]
	fn copies_share_one_winners_reward() {
		build_and_execute(|| {
			let task = judged();
			let (a, b) = (Balances::free_balance(MINER_A), Balances::free_balance(MINER_B));
			// B copies A: one group, one winner's 600 between them
			Tasks::judged(
				task,
				&outcome(
					SolutionFate::Judged { group: 0 },
					SolutionFate::Judged { group: 0 },
					(80, 80),
				),
			);
			// (each with its bond back)
			assert_eq!(Balances::free_balance(MINER_A) - a, 300 + 5);
			assert_eq!(Balances::free_balance(MINER_B) - b, 300 + 5);
		});
	}

	#[test]
	fn an_unjudged_task_refunds_all_but_the_fee_and_earns_no_emission() {
		build_and_execute(|| {
			let task = judged();
			let publisher = Balances::free_balance(PUBLISHER);
			let a = Balances::free_balance(MINER_A);
			Tasks::judged(task, &unjudged(&[MINER_A, MINER_B]));
			assert_eq!(Balances::free_balance(PUBLISHER) - publisher, 900);
			// nobody judged, so nobody's bond is forfeited as junk: it comes back
			assert_eq!(Balances::free_balance(MINER_A) - a, 5);
			assert_eq!(held(HoldReason::SubmissionBond, MINER_A), 0);
			assert!(events().contains(&Event::TaskSettled {
				task_id: task,
				winners: 0,
				paid: 0,
				refunded: 900,
				burned: 100,
				to_treasury: 0
			}));
		});
	}

	#[test]
	fn earliness_counts_from_the_earliest_allowed_commit() {
		build_and_execute(|| {
			MockFraud::set_min_solve(4);
			let task = publish();
			// the window is blocks 5..=10 for a full reward: A at 5, B at 8
			run_to_block(5);
			commit(task, MINER_A);
			run_to_block(8);
			commit(task, MINER_B);
			let task_info = TaskStore::<Test>::get(task).unwrap();
			let mut early = Tasks::earliness_of(task, &task_info);
			early.sort();
			assert!(early.is_empty(), "nothing revealed yet");
			run_to_block(11);
			assert_ok!(reveal(task, MINER_A));
			assert_ok!(reveal(task, MINER_B));
			let mut early = Tasks::earliness_of(task, &task_info);
			early.sort();
			// 5 of 5 blocks left at 5; 2 of 5 at 8
			assert_eq!(
				early,
				vec![(MINER_A, Perbill::one()), (MINER_B, Perbill::from_rational(2u32, 5))]
			);
		});
	}
}

mod rate_solution {
	use super::*;

	fn settled_task_with_a_solution() -> u64 {
		let task = publish();
		commit(task, MINER_A);
		commit(task, MINER_B);
		run_to_block(11);
		assert_ok!(reveal(task, MINER_A));
		run_to_block(16);
		Tasks::judged(task, &unjudged(&[MINER_A]));
		MockReputation::take();
		events();
		task
	}

	#[test]
	fn records_peer_review_once() {
		build_and_execute(|| {
			let task = settled_task_with_a_solution();
			let score = Score::new(90).unwrap();
			assert_ok!(Tasks::rate_solution(
				RuntimeOrigin::signed(PUBLISHER),
				task,
				MINER_A,
				score
			));
			assert_eq!(Ratings::<Test>::get(task, MINER_A), Some(score));
			assert_eq!(
				events(),
				vec![Event::SolutionRated { task_id: task, miner: MINER_A, score }]
			);
			let recorded = MockReputation::take();
			assert_eq!(recorded.len(), 1);
			assert_eq!(recorded[0].2.get(ReputationDimension::PeerReview), Some(score));
			assert_eq!(recorded[0].2.get(ReputationDimension::Quality), None);
		});
	}

	#[test]
	fn errors() {
		build_and_execute(|| {
			let score = Score::new(50).unwrap();
			let rate = |who, task, miner, s| {
				Tasks::rate_solution(RuntimeOrigin::signed(who), task, miner, s)
			};
			assert_noop!(rate(PUBLISHER, 5, MINER_A, score), Error::<Test>::UnknownTask);
			let open = publish();
			assert_noop!(rate(PUBLISHER, open, MINER_A, score), Error::<Test>::NotSettled);
			let task = settled_task_with_a_solution();
			assert_noop!(rate(MINER_A, task, MINER_A, score), Error::<Test>::NotPublisher);
			assert_noop!(
				Tasks::rate_solution(RuntimeOrigin::none(), task, MINER_A, score),
				DispatchError::BadOrigin
			);
			let over: Score = codec::Decode::decode(&mut &[200u8][..]).unwrap();
			assert_noop!(rate(PUBLISHER, task, MINER_A, over), Error::<Test>::InvalidScore);
			assert_noop!(rate(PUBLISHER, task, MINER_B, score), Error::<Test>::NoSolution);
			assert_ok!(rate(PUBLISHER, task, MINER_A, score));
			assert_noop!(rate(PUBLISHER, task, MINER_A, score), Error::<Test>::AlreadyRated);
		});
	}
}

mod set_params {
	use super::*;

	#[test]
	fn governance_changes_the_rules_for_new_tasks() {
		build_and_execute(|| {
			let params = crate::TaskParams { min_reward: 5_000, ..test_params() };
			assert_ok!(Tasks::set_params(RuntimeOrigin::root(), params));
			assert_eq!(events(), vec![Event::ParamsUpdated]);
			assert_noop!(
				Tasks::publish_task(RuntimeOrigin::signed(PUBLISHER), spec()),
				Error::<Test>::RewardTooLow
			);
		});
	}

	#[test]
	fn errors() {
		build_and_execute(|| {
			assert_noop!(
				Tasks::set_params(RuntimeOrigin::signed(PUBLISHER), test_params()),
				DispatchError::BadOrigin
			);
			let bad = [
				crate::TaskParams { min_window: 0, ..test_params() },
				crate::TaskParams { min_window: 60, ..test_params() },
				crate::TaskParams { reward_levels: [10, 5, 20], ..test_params() },
				crate::TaskParams {
					junk_quality: codec::Decode::decode(&mut &[101u8][..]).unwrap(),
					..test_params()
				},
				crate::TaskParams { max_panel: 0, ..test_params() },
			];
			for params in bad {
				assert_noop!(
					Tasks::set_params(RuntimeOrigin::root(), params),
					Error::<Test>::InvalidParams
				);
			}
		});
	}
}

/// Random sequences of calls and blocks: after every step the total issuance is down by exactly
/// the network fees burned and every account's holds equal the escrows, deposits and bonds in storage (nothing leaks, not
/// even to accounts storage no longer mentions).
#[test]
fn money_is_conserved_through_random_sequences_of_calls_and_blocks() {
	/// xorshift64*: deterministic, so a failure replays from its seed.
	struct Rng(u64);
	impl Rng {
		fn next(&mut self, below: u64) -> u64 {
			self.0 ^= self.0 >> 12;
			self.0 ^= self.0 << 25;
			self.0 ^= self.0 >> 27;
			self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % below.max(1)
		}
	}
	// how often each kind of call succeeded, to know the sequences reach every phase
	let mut done = [0u32; 5];
	for seed in 1..=40u64 {
		new_test_ext().execute_with(|| {
			let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
			let issuance = Balances::total_issuance();
			forget_burns();
			for step in 0..150 {
				let next_id = crate::NextTaskId::<Test>::get();
				let task = rng.next(next_id + 1);
				let miner = [MINER_A, MINER_B, MINER_C, PAUPER][rng.next(4) as usize];
				let kind = rng.next(7);
				let result = match kind {
					0 => Tasks::publish_task(
						RuntimeOrigin::signed(PUBLISHER),
						TaskSpec {
							reward: 10 + rng.next(500),
							commit_blocks: 2 + rng.next(6),
							reveal_blocks: 2 + rng.next(6),
							max_solutions: 1 + rng.next(3) as u32,
							..spec()
						},
					),
					1 => Tasks::cancel_task(RuntimeOrigin::signed(PUBLISHER), task),
					2 | 3 => {
						let hash = commitment_of(
							&solution(miner),
							&fingerprint(miner),
							&salt(miner),
							&miner,
						);
						Tasks::commit_solution(RuntimeOrigin::signed(miner), task, hash)
					},
					4 | 5 => reveal(task, miner),
					_ => {
						let to = System::block_number() + 1 + rng.next(4);
						run_to_block(to);
						Ok(())
					},
				};
				if result.is_ok() && kind < 6 {
					done[[0, 1, 2, 2, 3, 3][kind as usize]] += 1;
				}
				if System::events().iter().any(|e| {
					matches!(e.event, RuntimeEvent::Tasks(Event::ValidationStarted { .. }))
				}) {
					done[4] += 1;
				}
				crate::Pallet::<Test>::do_try_state()
					.unwrap_or_else(|e| panic!("seed {seed} step {step}: {e:?}"));
				let expected = crate::Pallet::<Test>::expected_holds();
				for who in ACCOUNTS {
					for reason in 0..3u8 {
						let held = held(crate::Pallet::<Test>::hold_reason(reason), who);
						let stored = expected.get(&(who, reason)).copied().unwrap_or(0);
						assert_eq!(
							held, stored,
							"seed {seed} step {step}: account {who} reason {reason}"
						);
					}
				}
				assert_eq!(
					Balances::total_issuance(),
					issuance - burned(),
					"seed {seed} step {step}"
				);
			}
		});
	}
	let [published, cancelled, committed, revealed, validated] = done;
	assert!(
		published > 100 && cancelled > 5 && committed > 100 && revealed > 5 && validated > 5,
		"the sequences exercise every phase: {done:?}"
	);
}

#[test]
fn the_v1_migration_keeps_tasks_in_flight_and_indexes_their_commitments() {
	use crate::migrations::v1;
	use codec::Encode;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	build_and_execute(|| {
		StorageVersion::new(0).put::<Tasks>();
		v1::old::Params::<Test>::put(v1::OldParams {
			min_window: 2,
			max_window: 50,
			min_reward: 10,
			submission_bond: 7,
			task_deposit: 3,
			deposit_per_byte: 1,
			network_fee: Perbill::from_percent(10),
			retention: 20,
			max_panel: 5,
		});
		let old_task = v1::OldTaskInfo::<u64, u64, u64> {
			publisher: PUBLISHER,
			task_type: TaskType::CodeGeneration,
			content_hash: H256::repeat_byte(1),
			uri: b"ipfs".to_vec(),
			reward: 1_000,
			deposit: 7,
			published_at: 1,
			commit_end: 11,
			reveal_end: 16,
			validation_blocks: 5,
			max_solutions: 3,
			min_level: tos_primitives::MinerLevel::Novice,
			panel_size: 3,
			quality_threshold: Score::new(60).unwrap(),
			status: TaskStatus::Reveal,
			commitments: 1,
			reveals: 1,
		};
		let old_commitment = v1::OldCommitment::<u64, u64> {
			hash: H256::repeat_byte(2),
			committed_at: 3,
			bond: 7,
			solution: Some(v1::OldSolution {
				solution_hash: H256::repeat_byte(3),
				fingerprint: Fingerprint([4; 32]),
				uri: b"sol".to_vec(),
			}),
			flagged: false,
			score: None,
			reward: 0,
		};
		sp_io::storage::set(&TaskStore::<Test>::hashed_key_for(0), &old_task.encode());
		sp_io::storage::set(
			&Commitments::<Test>::hashed_key_for(0, MINER_A),
			&old_commitment.encode(),
		);
		// the chain holds what the old storage says
		use frame_support::traits::fungible::MutateHold;
		assert_ok!(Balances::hold(&HoldReason::TaskEscrow.into(), &PUBLISHER, 1_000));
		assert_ok!(Balances::hold(&HoldReason::TaskDeposit.into(), &PUBLISHER, 7));
		assert_ok!(Balances::hold(&HoldReason::SubmissionBond.into(), &MINER_A, 7));
		Deadlines::<Test>::insert(16, 0, ());

		v1::MigrateToV1::<Test>::on_runtime_upgrade();

		assert_eq!(Tasks::on_chain_storage_version(), StorageVersion::new(1));
		let params = crate::Params::<Test>::get().unwrap();
		assert_eq!((params.min_submission_bond, params.retention), (7, 20));
		let task = TaskStore::<Test>::get(0).unwrap();
		assert_eq!(
			(task.earliest_commit, task.submission_bond, task.status),
			(1, 7, TaskStatus::Reveal)
		);
		let commitment = Commitments::<Test>::get(0, MINER_A).unwrap();
		assert_eq!(commitment.solution.unwrap().salt, H256::zero());
		assert!(CommitmentHashes::<Test>::contains_key(0, H256::repeat_byte(2)));
		// the task goes on: its reveal window closes and it goes to validation
		run_to_block(16);
		assert_eq!(status(0), TaskStatus::Validating);
	});
}
