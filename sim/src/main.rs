//! `tos-sim`: runs every cheating strategy against the honest market through the real runtime
//! and prints what each earned against honest play (see the crate docs).
//!
//! ```text
//! tos-sim [--short | --long | --blocks N] [--seed N] [--only TEXT] [--csv FILE] [--markdown FILE]
//! tos-sim --recovery [DAYS] [--csv FILE] [--markdown FILE]
//! tos-sim --sweep [--short | --long | --blocks N] [--seed N] [--csv FILE] [--markdown FILE]
//! ```
//!
//! `--sweep` runs the sensitivity sweep ([`tos_sim::sweep`]): its corners and centre with
//! `--short`, every cell with `--long`, each cell 300 blocks of publishing unless `--blocks`.

use std::time::Instant;
use tos_sim::{report, scenarios, LONG_BLOCKS, SEED, SHORT_BLOCKS};

fn main() {
	let mut args = std::env::args().skip(1);
	let (mut blocks, mut seed, mut only, mut csv, mut markdown) =
		(SHORT_BLOCKS, SEED, None, None, None);
	let mut recovery: Option<u32> = None;
	let (mut sweep, mut long, mut blocks_given) = (false, false, None);
	while let Some(arg) = args.next() {
		let mut value =
			|name: &str| args.next().unwrap_or_else(|| fail(&format!("{name} needs a value")));
		match arg.as_str() {
			"--short" => (blocks, long) = (SHORT_BLOCKS, false),
			"--long" => (blocks, long) = (LONG_BLOCKS, true),
			"--sweep" => sweep = true,
			"--blocks" => {
				blocks = value("--blocks").parse().unwrap_or_else(|_| fail("--blocks: a number"));
				blocks_given = Some(blocks);
			},
			"--seed" => seed = value("--seed").parse().unwrap_or_else(|_| fail("--seed: a number")),
			"--only" => only = Some(value("--only")),
			"--csv" => csv = Some(value("--csv")),
			"--markdown" => markdown = Some(value("--markdown")),
			"--recovery" => recovery = Some(120),
			"-h" | "--help" => {
				println!("tos-sim [--short | --long | --blocks N] [--seed N] [--only TEXT] [--csv FILE] [--markdown FILE]");
				println!("tos-sim --recovery [DAYS] [--csv FILE] [--markdown FILE]");
				println!("tos-sim --sweep [--short | --long | --blocks N] [--seed N] [--csv FILE] [--markdown FILE]");
				return;
			},
			other => match (recovery, other.parse::<u32>()) {
				(Some(_), Ok(days)) => recovery = Some(days),
				_ => fail(&format!("unknown argument {other}")),
			},
		}
	}
	if let Some(days) = recovery {
		let days = tos_sim::recovery::run(days);
		let table = tos_sim::recovery::markdown(&days);
		println!("{table}");
		write(csv, tos_sim::recovery::csv(&days));
		write(markdown, table);
		return;
	}
	let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
	if sweep {
		let cells = if long { tos_sim::sweep::long_cells() } else { tos_sim::sweep::short_cells() };
		// every cell plays the short form's blocks unless told otherwise: the long form is
		// longer by its cells
		let blocks = blocks_given.unwrap_or(SHORT_BLOCKS);
		let started = Instant::now();
		let rows = tos_sim::sweep::run(&cells, blocks, seed, threads);
		let table = tos_sim::sweep::markdown(&rows);
		println!("{table}");
		println!(
			"{} cells × 2 runs, {blocks} blocks of publishing each, seed {seed}: {:.1} s",
			rows.len(),
			started.elapsed().as_secs_f64()
		);
		write(csv, tos_sim::sweep::csv(&rows));
		write(markdown, table);
		return;
	}
	let mut all = scenarios::all(blocks, seed);
	if let Some(only) = &only {
		all.retain(|s| s.name.contains(only.as_str()));
	}
	let started = Instant::now();
	let (_, rows) = report::measure_all(&scenarios::honest(blocks, seed), &all, threads);
	let mut table = report::markdown(&rows);
	if rows.iter().any(|r| r.bribed.is_some()) {
		table.push('\n');
		table.push_str(&report::bribery_markdown(&rows));
	}
	println!("{table}");
	println!(
		"{} scenarios × 2 runs, {blocks} blocks of publishing each, seed {seed}: {:.1} s",
		rows.len(),
		started.elapsed().as_secs_f64()
	);
	for row in rows.iter().filter(|r| !r.invariant_errors.is_empty()) {
		eprintln!("{}: invariants broken: {:?}", row.name, row.invariant_errors);
	}
	write(csv, report::csv(&rows));
	write(markdown, table);
}

fn write(path: Option<String>, contents: String) {
	if let Some(path) = path {
		std::fs::write(&path, contents).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
	}
}

fn fail(message: &str) -> ! {
	eprintln!("tos-sim: {message}");
	std::process::exit(2)
}
