//! The rules: set by the parameters origin, validated.

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
