//! Rating a settled solution: by its publisher, once, recorded as peer review.

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
		assert_ok!(Tasks::rate_solution(RuntimeOrigin::signed(PUBLISHER), task, MINER_A, score));
		assert_eq!(Ratings::<Test>::get(task, MINER_A), Some(score));
		assert_eq!(events(), vec![Event::SolutionRated { task_id: task, miner: MINER_A, score }]);
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
		let rate =
			|who, task, miner, s| Tasks::rate_solution(RuntimeOrigin::signed(who), task, miner, s);
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
