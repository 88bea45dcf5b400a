//! The storage migration to version 1: rounds in flight keep going, reveals gain verdicts, the
//! rules their new fields.

use codec::Encode;
use frame_support::assert_ok;
use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
use tos_primitives::SolutionFate;

use super::*;
use crate::{
	migrations::v1::{self, OldAppeal, OldParams, OldPhase, OldRound},
	Params, RoundPhase, Rounds, ScoreReveals,
};

#[test]
fn a_version_0_chain_is_migrated_with_its_rounds_in_flight() {
	build_and_execute(|| {
		// given a version-0 chain with its rules, a round being revealed and one appealed
		StorageVersion::new(0).put::<Validation>();
		v1::old::Params::<Test>::put(OldParams {
			clip_band: 20,
			non_reveal_slash: sp_runtime::Perbill::from_percent(7),
			dispute_blocks: 8u64,
			dispute_bond: 40u64,
			overturn_margin: 9,
		});
		let revealing = OldRound::<u64, u64, u64> {
			task_type: CODE,
			publisher: PUBLISHER,
			solvers: SOLVERS.to_vec(),
			panel: vec![(1, 100), (2, 100), (3, 100)],
			window: 2,
			phase: OldPhase::Reveal { until: 5 },
			result: vec![],
			appeal: None,
		};
		let appealed = OldRound::<u64, u64, u64> {
			panel: vec![(4, 100), (5, 100)],
			phase: OldPhase::Commit { until: 9 },
			appeal: Some(OldAppeal {
				disputer: 20,
				bond: 40,
				first_panel: vec![(1, 100), (2, 100), (3, 100)],
				first_result: vec![sc(30, 20), sc(40, 10)],
			}),
			..revealing.clone()
		};
		sp_io::storage::set(&Rounds::<Test>::hashed_key_for(1), &revealing.encode());
		crate::Deadlines::<Test>::insert(5, 1, ());
		assert_ok!(<Balances as frame_support::traits::fungible::MutateHold<_>>::hold(
			&crate::HoldReason::DisputeBond.into(),
			&20,
			40
		));
		crate::Deadlines::<Test>::insert(9, 2, ());
		sp_io::storage::set(&Rounds::<Test>::hashed_key_for(2), &appealed.encode());
		let scores = vec![sc(70, 50), sc(40, 30)];
		sp_io::storage::set(&ScoreReveals::<Test>::hashed_key_for(1, 1), &scores.encode());

		// when
		v1::MigrateToV1::<Test>::on_runtime_upgrade();

		// then
		assert_eq!(Validation::on_chain_storage_version(), StorageVersion::new(1));
		let params = Params::<Test>::get().unwrap();
		assert_eq!(
			(
				params.clip_band,
				params.dispute_blocks,
				params.min_dispute_bond,
				params.overturn_margin
			),
			(20, 8, 40, 9)
		);
		assert_eq!(params.min_panel, Validation::default_params().min_panel);
		let round = Rounds::<Test>::get(1).unwrap();
		assert_eq!(round.phase, RoundPhase::Reveal { until: 5 });
		assert_eq!(round.seated.to_vec(), vec![1, 2, 3]);
		assert_eq!(round.groups.to_vec(), vec![0, 1]);
		assert!(round.provisional.is_none());
		let round = Rounds::<Test>::get(2).unwrap();
		let appeal = round.appeal.unwrap();
		assert_eq!((appeal.disputer, appeal.bond, appeal.first_judges.len()), (20, 40, 3));
		let provisional = round.provisional.unwrap();
		assert_eq!(provisional.result.to_vec(), vec![sc(30, 20), sc(40, 10)]);
		assert_eq!(provisional.fates[1], SolutionFate::Judged { group: 1 });
		assert_eq!(round.seated.len(), 5);
		assert_eq!(
			ScoreReveals::<Test>::get(1, 1).unwrap().to_vec(),
			vec![j(70, 50), j(40, 30)],
			"the scores, with verdicts that find nothing"
		);
		// a second run is a no-op
		v1::MigrateToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Rounds::<Test>::get(1).unwrap().phase, RoundPhase::Reveal { until: 5 });
	});
}
