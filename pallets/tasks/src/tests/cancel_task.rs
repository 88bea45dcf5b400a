//! Cancelling: by the publisher, before anyone committed; the escrow and deposit back.

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
