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
		// 2 and 3 committed to version-0 scores (no verdicts) and have not revealed yet
		for who in [2u64, 3] {
			let old = (scores.clone(), salt(who), who).using_encoded(sp_io::hashing::blake2_256);
			crate::ScoreCommits::<Test>::insert(1, who, sp_core::H256(old));
		}

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
		// revealing at the upgrade: the commit window starts again (the window is 2 blocks)
		assert_eq!(round.phase, RoundPhase::Commit { until: 3 });
		assert!(crate::ScoreCommits::<Test>::get(1, 2).is_none(), "an unopenable commitment");
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
		assert_eq!(Rounds::<Test>::get(2).unwrap().phase, RoundPhase::Commit { until: 3 });
		// a second run is a no-op
		v1::MigrateToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Rounds::<Test>::get(1).unwrap().phase, RoundPhase::Commit { until: 3 });

		// after the upgrade, the members who had not revealed commit and reveal judgements,
		// 1's reveal stands, and nobody is penalised as silent
		events();
		let now = vec![j(70, 50), j(40, 30)];
		for who in [2u64, 3] {
			let hash = crate::score_commitment(&now, &salt(who), &who);
			frame_support::assert_ok!(Validation::commit_scores(
				RuntimeOrigin::signed(who),
				1,
				hash
			));
		}
		run_to(3);
		assert_eq!(Rounds::<Test>::get(1).unwrap().phase, RoundPhase::Reveal { until: 5 });
		for who in [2u64, 3] {
			frame_support::assert_ok!(Validation::reveal_scores(
				RuntimeOrigin::signed(who),
				1,
				now.clone().try_into().unwrap(),
				salt(who)
			));
		}
		run_to(5);
		let events = events();
		assert!(!events
			.iter()
			.any(|e| matches!(e, crate::Event::ValidatorPenalised { task_id: 1, .. })));
		let provisional = Rounds::<Test>::get(1).unwrap().provisional.expect("judged");
		assert_eq!(provisional.result.to_vec(), vec![sc(70, 50), sc(40, 30)]);
	});
}
