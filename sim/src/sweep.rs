//! The sensitivity sweep: how the mechanism's figures move when honest experts are noisier
//! than the market's σ 2–4 points, when cheaters hold more of the validators' stake, and on
//! smaller and larger panels.
//!
//! Each cell is [`scenarios::sweep_cell`]: ten validators of equal stake whose scores carry
//! noise of standard deviation σ, a coalition of them (10–40 % of the stake) steering just
//! inside the outlier margin for one honestly working partner, panels of 3–9 seats. It is run
//! like a row of the strategy table — as written, and with the coalition playing honestly, the
//! same seed — and reports what the coalition earned against honest play, how often honest
//! validators were flagged, and what honest agents lost to slashes.
//!
//! The long form is every cell, σ ∈ {2, 4, 6, 8} × coalition ∈ {10, 20, 30, 40} % × panel ∈
//! {3, 5, 7, 9}; the short form, which the test suite runs, the corners and the centre.

use crate::{
	engine::RunResult,
	report::{self, Row},
	scenarios,
};

/// One cell's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
	/// The honest experts' noise (points, one standard deviation).
	pub sigma: u8,
	/// The coalition's validators, of ten of equal stake (so tens of percent of the stake).
	pub colluders: u32,
	/// Seats per panel.
	pub panel: u32,
}

/// The noises, coalition sizes and panel sizes the long form crosses.
pub const SIGMAS: [u8; 4] = [2, 4, 6, 8];
pub const COLLUDERS: [u32; 4] = [1, 2, 3, 4];
pub const PANELS: [u32; 4] = [3, 5, 7, 9];

/// Every cell.
pub fn long_cells() -> Vec<Cell> {
	let mut out = Vec::new();
	for sigma in SIGMAS {
		for colluders in COLLUDERS {
			for panel in PANELS {
				out.push(Cell { sigma, colluders, panel });
			}
		}
	}
	out
}

/// The corners of the cube and its centre: what the test suite runs.
pub fn short_cells() -> Vec<Cell> {
	let mut out = Vec::new();
	for sigma in [2, 8] {
		for colluders in [1, 4] {
			for panel in [3, 9] {
				out.push(Cell { sigma, colluders, panel });
			}
		}
	}
	out.push(Cell { sigma: 4, colluders: 2, panel: 5 });
	out
}

/// What one cell measured.
#[derive(Clone, Debug)]
pub struct CellRow {
	pub cell: Cell,
	pub row: Row,
}

/// Runs `cells`, `blocks` blocks of publishing each, on `threads` threads, in order.
pub fn run(cells: &[Cell], blocks: u32, seed: u64, threads: usize) -> Vec<CellRow> {
	let next = std::sync::atomic::AtomicUsize::new(0);
	let rows = std::sync::Mutex::new(vec![None; cells.len()]);
	std::thread::scope(|scope| {
		for _ in 0..threads.max(1) {
			scope.spawn(|| loop {
				let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
				let Some(cell) = cells.get(i).copied() else { break };
				let scenario =
					scenarios::sweep_cell(cell.sigma, cell.colluders, cell.panel, blocks, seed);
				// no crowding-out target here: the baseline only serves that comparison
				let row = report::measure(&scenario, &RunResult::default());
				rows.lock().expect("no panics while holding the lock")[i] =
					Some(CellRow { cell, row });
			});
		}
	});
	rows.into_inner().expect("threads joined").into_iter().flatten().collect()
}

/// The sweep as a Markdown table.
pub fn markdown(rows: &[CellRow]) -> String {
	let mut out = String::from(
		"| honest σ | coalition's stake | panel | coalition's return (TOS) | same agents, honest (TOS) | ratio | partner's score lift (points) | honest validators flagged | honest slashed (TOS) | coalition caught | target |\n\
		 |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
	);
	for CellRow { cell, row } in rows {
		out += &format!(
			"| {} | {} % | {} | {:.1} | {:.1} | {} | {} | {:.2} % of {} | {:.1} | {} | {} |\n",
			cell.sigma,
			cell.colluders * 10,
			cell.panel,
			row.cheater_return,
			row.honest_return,
			row.ratio.map_or("–".into(), |r| format!("{r:.2}")),
			row.beneficiary_lift.map_or("–".into(), |l| format!("{l:+.2}")),
			row.judging_false_flags,
			row.judging_rounds,
			row.honest_slashed,
			row.detection.map_or("–".into(), |d| format!("{d:.0} % of {}", row.cheat_rounds)),
			match row.misses() {
				m if m.is_empty() => "met".to_string(),
				m => format!("**missed**: {}", m.join("; ")),
			},
		);
	}
	out
}

/// The sweep as CSV (for the plot).
pub fn csv(rows: &[CellRow]) -> String {
	let mut out = String::from(
		"sigma,coalition,panel,cheater_return,honest_return,ratio,lift,judging_rounds,judging_false_flags,honest_slashed,detection\n",
	);
	for CellRow { cell, row } in rows {
		out += &format!(
			"{},{},{},{:.3},{:.3},{},{},{},{:.4},{:.3},{}\n",
			cell.sigma,
			cell.colluders * 10,
			cell.panel,
			row.cheater_return,
			row.honest_return,
			row.ratio.map_or(String::new(), |v| format!("{v:.4}")),
			row.beneficiary_lift.map_or(String::new(), |v| format!("{v:.3}")),
			row.judging_rounds,
			row.judging_false_flags,
			row.honest_slashed,
			row.detection.map_or(String::new(), |v| format!("{v:.2}")),
		);
	}
	out
}
