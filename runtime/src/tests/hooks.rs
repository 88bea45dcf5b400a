//! The AI-mining pallets' block hooks at their worst leave the block to its transactions: the
//! weights they declare (from benchmarks, `scripts/benchmark.sh`) for the most work one block
//! can hand them — the deadlines the queues take per block, each of its worst kind, the
//! largest task and panel, every punishment the fraud queue applies — stay under a tenth of
//! the block's weight.

use crate::{configs::RuntimeBlockWeights, Runtime};
use frame_support::{traits::Get, weights::Weight};
use tos_primitives::{FraudOracle, TaskPhases, TaskValidation};

type TasksWeights = <Runtime as pallet_tos_tasks::Config>::WeightInfo;
type ValidationWeights = <Runtime as pallet_tos_validation_voting::Config>::WeightInfo;

/// Reads a deadline queue makes scanning for due entries (`DEADLINE_SCAN` in both pallets).
const SCAN: u64 = 64;

fn worst_case() -> Vec<(&'static str, Weight)> {
	use pallet_tos_tasks::WeightInfo as _;
	use pallet_tos_validation_voting::WeightInfo as _;
	let db = <Runtime as frame_system::Config>::DbWeight::get();
	let solutions: u32 = crate::configs::MaxSolutions::get();
	let panel: u32 = crate::configs::MaxPanel::get();
	let candidates: u32 =
		<<Runtime as pallet_tos_validation_voting::Config>::MaxCandidates as Get<u32>>::get();

	// tasks: the deadlines a block takes weigh at most one deadline of the largest task,
	// which may forfeit every bond, run the plagiarism filter and draw a panel
	let tasks_deadlines: u64 =
		<<Runtime as pallet_tos_tasks::Config>::MaxDeadlinesPerBlock as Get<u32>>::get().into();
	let largest = TasksWeights::on_deadline(solutions)
		.saturating_add(<crate::ValidationVoting as TaskValidation<_, _, _>>::weight())
		.saturating_add(<crate::FraudFlags as FraudOracle<_, _>>::solutions_weight(solutions));
	println!(
		"  a task deadline of {solutions} commitments: {:.3} ms its own, {:.3} ms with the hand-over",
		TasksWeights::on_deadline(solutions).ref_time() as f64 / 1e9,
		largest.ref_time() as f64 / 1e9
	);
	// the cursor, the blocks scanned, each deadline priced (and the one left for later)
	let tasks = largest.saturating_add(db.reads_writes(1 + SCAN + tasks_deadlines + 1, 1));

	// validation: each deadline at its most expensive, charged as the pallet charges it. A
	// reveal window's close with r members revealed and q silent (r + q ≤ the panel) is
	// linear in both, so its worst is at r = panel or q = panel.
	let validation_deadlines: u32 =
		<<Runtime as pallet_tos_validation_voting::Config>::MaxDeadlinesPerBlock as Get<u32>>::get(
		);
	// the judges the settlement pays: a first panel's members and its sealed members, 2n + 1
	// at most (a drawn appeal's are paid from the losing side's bond)
	let judges = panel;
	let settlement = <crate::Tasks as TaskPhases<_>>::judged_weight(solutions, judges);
	let draw = ValidationWeights::on_deadline_draw(candidates);
	let worst_close = |tally: &dyn Fn(u32) -> Weight| {
		tally(panel)
			.saturating_add(ValidationWeights::on_deadline_silent(0))
			.max(tally(0).saturating_add(ValidationWeights::on_deadline_silent(panel)))
	};
	// too few revealed: the panel refilled
	let refill =
		worst_close(&|r| ValidationWeights::on_deadline_reveal(r, solutions)).saturating_add(draw);
	// an appeal tallied, the first panel's judges slashed, the result settled
	let appeal = worst_close(&|r| ValidationWeights::on_deadline_final(r, solutions))
		.saturating_add(settlement);
	// the dispute window closed: the sealed members (silent ones penalised) hear a dispute and
	// overturn the first panel, or the result is final
	let sealed = worst_close(&|r| ValidationWeights::on_deadline_sealed(r, solutions))
		.saturating_add(settlement);
	// a provisional result final, or the council's deadline with a panel's scores to tally
	let last = ValidationWeights::on_deadline_final(panel, solutions).saturating_add(settlement);
	for (name, w) in [
		("a draw", draw),
		("a refill", refill),
		("an appeal", appeal),
		("sealed members", sealed),
		("a final", last),
	] {
		println!("  validation deadline, {name}: {:.3} ms", w.ref_time() as f64 / 1e9);
	}
	let per_round_deadline = draw
		.max(ValidationWeights::on_deadline_commit())
		.max(refill)
		.max(appeal)
		.max(sealed)
		.max(last);
	let validation = ValidationWeights::on_initialize_base()
		.saturating_add(
			db.reads_writes(SCAN + u64::from(validation_deadlines), validation_deadlines.into()),
		)
		.saturating_add(per_round_deadline.saturating_mul(validation_deadlines.into()));

	let punishments: u32 =
		<<Runtime as pallet_tos_fraud_flags::Config>::MaxPunishmentsPerBlock as Get<u32>>::get();
	let fraud =
		<<Runtime as pallet_tos_fraud_flags::Config>::WeightInfo as pallet_tos_fraud_flags::WeightInfo>::on_initialize(punishments);
	let rewards =
		<<Runtime as pallet_tos_rewards::Config>::WeightInfo as pallet_tos_rewards::WeightInfo>::on_initialize();
	let randomness =
		<<Runtime as pallet_tos_randomness::Config>::WeightInfo as pallet_tos_randomness::WeightInfo>::on_initialize()
			.max(<<Runtime as pallet_tos_randomness::Config>::WeightInfo as pallet_tos_randomness::WeightInfo>::on_initialize_first());
	vec![
		("tasks", tasks),
		("validation", validation),
		("fraud", fraud),
		("rewards", rewards),
		("randomness", randomness),
	]
}

#[test]
fn the_hooks_at_their_worst_take_under_a_tenth_of_a_block() {
	let max = RuntimeBlockWeights::get().max_block;
	let parts = worst_case();
	let total = parts.iter().fold(Weight::zero(), |sum, (_, w)| sum.saturating_add(*w));
	let share = |w: Weight| w.ref_time() as f64 * 100.0 / max.ref_time() as f64;
	for (name, w) in &parts {
		println!(
			"{name}: {:.3} ms, {} bytes of proof, {:.2} % of a block",
			w.ref_time() as f64 / 1e9,
			w.proof_size(),
			share(*w)
		);
	}
	println!(
		"all: {:.2} % of a block's time, {:.2} % of its proof",
		share(total),
		total.proof_size() as f64 * 100.0 / max.proof_size() as f64
	);
	assert!(
		total.ref_time() < max.ref_time() / 10,
		"the hooks may take {:.1} % of a block's time",
		share(total)
	);
}
