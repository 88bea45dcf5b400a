//! `tos-node benchmark`: measures the pallets' benchmarks in the real Wasm runtime and writes
//! their `weights.rs` (built with `--features runtime-benchmarks`).
//!
//! Each benchmark runs through the runtime's `Benchmark_dispatch_benchmark` API, on our
//! wasmtime executor, over the dev chain's genesis state held in memory ([`BenchExt`]). The
//! externalities count storage accesses the way Substrate's benchmarking database does: the
//! first read or write of a key since the counters were reset is a database access, later ones
//! are repeats (served from the overlay), and the whitelisted keys every block touches are
//! free. For every component the runner steps its value from low to high (the others at their
//! highest), repeats each point, and fits `time = base + Σ slope × component` and the same for
//! reads and writes with Substrate's median-slopes analysis (`frame_benchmarking::Analysis`).
//! `TOS_BENCH_RAW=1` prints every measurement (components, time, reads, writes) as it is taken.

use std::{
	any::{Any, TypeId},
	collections::HashMap,
	fmt::Write as _,
	path::PathBuf,
};

use codec::Encode;
use frame_benchmarking::{
	Analysis, BenchmarkBatch, BenchmarkConfig, BenchmarkList, BenchmarkParameter, BenchmarkResult,
	BenchmarkSelector,
};
use sp_core::storage::{ChildInfo, StateVersion, Storage, TrackedStorageKey};
use sp_externalities::{Extension, ExtensionStore, Externalities, MultiRemovalResults};
use sp_state_machine::BasicExternalities;

use crate::executor::{WasmRuntime, DEFAULT_HEAP_PAGES};

/// Externalities for benchmarks: the state in memory, access counting, and `wipe` back to the
/// state the benchmarks started from.
pub struct BenchExt {
	inner: BasicExternalities,
	genesis: Storage,
	whitelist: Vec<TrackedStorageKey>,
	/// key → (reads, writes) since the last reset
	accessed: HashMap<Vec<u8>, (u32, u32)>,
	counts: (u32, u32, u32, u32),
}

impl BenchExt {
	/// Externalities over `genesis`.
	pub fn new(genesis: Storage) -> Self {
		Self {
			inner: BasicExternalities::new(genesis.clone()),
			genesis,
			whitelist: Vec::new(),
			accessed: HashMap::new(),
			counts: (0, 0, 0, 0),
		}
	}

	fn whitelisted(&self, key: &[u8]) -> bool {
		self.whitelist.iter().any(|w| w.key == key)
	}

	fn note_read(&mut self, key: &[u8]) {
		if self.whitelisted(key) {
			return;
		}
		let entry = self.accessed.entry(key.to_vec()).or_default();
		if entry.0 == 0 && entry.1 == 0 {
			self.counts.0 += 1;
		} else {
			self.counts.1 += 1;
		}
		entry.0 += 1;
	}

	fn note_write(&mut self, key: &[u8]) {
		if self.whitelisted(key) {
			return;
		}
		let entry = self.accessed.entry(key.to_vec()).or_default();
		if entry.1 == 0 {
			self.counts.2 += 1;
		} else {
			self.counts.3 += 1;
		}
		entry.1 += 1;
	}
}

impl Externalities for BenchExt {
	fn set_offchain_storage(&mut self, key: &[u8], value: Option<&[u8]>) {
		self.inner.set_offchain_storage(key, value)
	}
	fn storage(&mut self, key: &[u8]) -> Option<Vec<u8>> {
		self.note_read(key);
		self.inner.storage(key)
	}
	fn storage_hash(&mut self, key: &[u8]) -> Option<Vec<u8>> {
		self.note_read(key);
		self.inner.storage_hash(key)
	}
	fn child_storage_hash(&mut self, child_info: &ChildInfo, key: &[u8]) -> Option<Vec<u8>> {
		self.note_read(key);
		self.inner.child_storage_hash(child_info, key)
	}
	fn child_storage(&mut self, child_info: &ChildInfo, key: &[u8]) -> Option<Vec<u8>> {
		self.note_read(key);
		self.inner.child_storage(child_info, key)
	}
	fn next_storage_key(&mut self, key: &[u8]) -> Option<Vec<u8>> {
		self.inner.next_storage_key(key)
	}
	fn next_child_storage_key(&mut self, child_info: &ChildInfo, key: &[u8]) -> Option<Vec<u8>> {
		self.inner.next_child_storage_key(child_info, key)
	}
	fn kill_child_storage(
		&mut self,
		child_info: &ChildInfo,
		maybe_limit: Option<u32>,
		maybe_cursor: Option<&[u8]>,
	) -> MultiRemovalResults {
		self.inner.kill_child_storage(child_info, maybe_limit, maybe_cursor)
	}
	fn clear_prefix(
		&mut self,
		prefix: &[u8],
		maybe_limit: Option<u32>,
		maybe_cursor: Option<&[u8]>,
	) -> MultiRemovalResults {
		let result = self.inner.clear_prefix(prefix, maybe_limit, maybe_cursor);
		self.counts.2 += result.backend;
		result
	}
	fn clear_child_prefix(
		&mut self,
		child_info: &ChildInfo,
		prefix: &[u8],
		maybe_limit: Option<u32>,
		maybe_cursor: Option<&[u8]>,
	) -> MultiRemovalResults {
		self.inner.clear_child_prefix(child_info, prefix, maybe_limit, maybe_cursor)
	}
	fn place_storage(&mut self, key: Vec<u8>, value: Option<Vec<u8>>) {
		self.note_write(&key);
		self.inner.place_storage(key, value)
	}
	fn place_child_storage(
		&mut self,
		child_info: &ChildInfo,
		key: Vec<u8>,
		value: Option<Vec<u8>>,
	) {
		self.note_write(&key);
		self.inner.place_child_storage(child_info, key, value)
	}
	fn storage_root(&mut self, state_version: StateVersion) -> Vec<u8> {
		self.inner.storage_root(state_version)
	}
	fn child_storage_root(
		&mut self,
		child_info: &ChildInfo,
		state_version: StateVersion,
	) -> Vec<u8> {
		self.inner.child_storage_root(child_info, state_version)
	}
	fn storage_append(&mut self, key: Vec<u8>, value: Vec<u8>) {
		self.note_write(&key);
		self.inner.storage_append(key, value)
	}
	fn storage_start_transaction(&mut self) {
		self.inner.storage_start_transaction()
	}
	fn storage_rollback_transaction(&mut self) -> Result<(), ()> {
		self.inner.storage_rollback_transaction()
	}
	fn storage_commit_transaction(&mut self) -> Result<(), ()> {
		self.inner.storage_commit_transaction()
	}
	fn wipe(&mut self) {
		self.inner = BasicExternalities::new(self.genesis.clone());
		self.accessed.clear();
		self.counts = (0, 0, 0, 0);
	}
	fn commit(&mut self) {
		// the state is all in memory: nothing to flush. What was accessed so far counts as
		// cached from here on only for repeats, as in Substrate's benchmarking database.
	}
	fn read_write_count(&self) -> (u32, u32, u32, u32) {
		self.counts
	}
	fn reset_read_write_count(&mut self) {
		self.accessed.clear();
		self.counts = (0, 0, 0, 0);
	}
	fn get_whitelist(&self) -> Vec<TrackedStorageKey> {
		self.whitelist.clone()
	}
	fn set_whitelist(&mut self, new: Vec<TrackedStorageKey>) {
		self.whitelist = new;
	}
	fn proof_size(&self) -> Option<u32> {
		None
	}
	fn get_read_and_written_keys(&self) -> Vec<(Vec<u8>, u32, u32, bool)> {
		self.accessed.iter().map(|(k, (r, w))| (k.clone(), *r, *w, false)).collect()
	}
}

impl ExtensionStore for BenchExt {
	fn extension_by_type_id(&mut self, type_id: TypeId) -> Option<&mut dyn Any> {
		self.inner.extension_by_type_id(type_id)
	}
	fn register_extension_with_type_id(
		&mut self,
		type_id: TypeId,
		extension: Box<dyn Extension>,
	) -> Result<(), sp_externalities::Error> {
		self.inner.register_extension_with_type_id(type_id, extension)
	}
	fn deregister_extension_by_type_id(
		&mut self,
		type_id: TypeId,
	) -> Result<(), sp_externalities::Error> {
		self.inner.deregister_extension_by_type_id(type_id)
	}
}

/// What to measure.
pub struct Options {
	/// The pallet's name as the runtime lists it (`pallet_tos_tasks`).
	pub pallet: String,
	/// Points per component range.
	pub steps: u32,
	/// Runs per point.
	pub repeat: u32,
	/// Where to write the weights (stdout when absent).
	pub output: Option<PathBuf>,
	/// Write the runtime's implementation of the pallet's own `WeightInfo` trait (for pallets
	/// from outside the project) instead of a `WeightInfo` trait with its implementations.
	pub runtime_impl: bool,
}

/// One benchmark's fitted weight.
struct Fitted {
	name: String,
	components: Vec<String>,
	time: Analysis,
	reads: Analysis,
	writes: Analysis,
	/// The fitted intercept was not positive; `time.base` is the cheapest run instead.
	floored: bool,
}

/// Runs every benchmark of `options.pallet` and writes its weights file.
pub fn run(code: &[u8], genesis: Storage, options: &Options) -> anyhow::Result<()> {
	let runtime = WasmRuntime::new(code, DEFAULT_HEAP_PAGES)?;
	let mut ext = BenchExt::new(genesis);
	let (lists, _): (Vec<BenchmarkList>, Vec<frame_support::traits::StorageInfo>) =
		runtime.call_decode(&mut ext, "Benchmark_benchmark_metadata", &false.encode())?;
	let list = lists
		.into_iter()
		.find(|l| l.pallet == options.pallet.as_bytes())
		.ok_or_else(|| anyhow::anyhow!("the runtime has no benchmarks for {}", options.pallet))?;

	let mut fitted = Vec::new();
	for bench in &list.benchmarks {
		let name = String::from_utf8_lossy(&bench.name).into_owned();
		let mut results: Vec<BenchmarkResult> = Vec::new();
		for selection in selections(&bench.components, options.steps) {
			for _ in 0..options.repeat {
				let config = BenchmarkConfig {
					pallet: list.pallet.clone(),
					instance: list.instance.clone(),
					benchmark: bench.name.clone(),
					selected_components: selection.clone(),
					verify: false,
					internal_repeats: 1,
				};
				let outcome: Result<Vec<BenchmarkBatch>, String> = runtime.call_decode(
					&mut ext,
					"Benchmark_dispatch_benchmark",
					&config.encode(),
				)?;
				let batches = outcome.map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
				let new = batches.into_iter().flat_map(|b| b.results);
				for result in new {
					if std::env::var_os("TOS_BENCH_RAW").is_some() {
						eprintln!(
							"{name} {:?}: {} ns, {} reads, {} writes",
							result.components, result.extrinsic_time, result.reads, result.writes
						);
					}
					results.push(result);
				}
			}
		}
		// the median of pairwise slopes per component (Theil–Sen), with the others at their
		// highest as the steps are taken: robust to this machine's noise. Least squares
		// (`min_squares_iqr`) turns a slightly negative intercept into "base = the smallest
		// measurement", which overstated the settlement's base by 5 ms and understated slopes.
		let analyse = |selector| {
			Analysis::median_slopes(&results, selector)
				.map_err(|e| anyhow::anyhow!("{name}: cannot analyse the results: {e}"))
		};
		let mut time = analyse(BenchmarkSelector::ExtrinsicTime)?;
		// a fit through noisy points can put the intercept at or below zero (the analysis
		// clamps it to 0): with one component (or none) the cheapest run is at its lowest
		// value, so charge at least that. With more, every run has the other components at
		// their highest and the cheapest run says nothing about the intercept: keep the fit
		// (the slopes charge for the components) and say so.
		let floored = time.base == 0 && bench.components.len() <= 1;
		if time.base == 0 && !floored {
			eprintln!("{name}: the intercept fitted to 0 (several components): kept");
		}
		if floored {
			// results are in nanoseconds, the analysis in picoseconds
			let cheapest = results.iter().map(|r| r.extrinsic_time).min().unwrap_or_default();
			time.base = cheapest.saturating_mul(1_000);
		}
		let reads = analyse(BenchmarkSelector::Reads)?;
		let writes = analyse(BenchmarkSelector::Writes)?;
		// `Analysis` gives extrinsic times in picoseconds (weight units)
		eprintln!(
			"{name}: {:.1} µs + {:?} ps per component, {} reads, {} writes",
			time.base as f64 / 1e6,
			time.slopes,
			reads.base,
			writes.base
		);
		let components = bench.components.iter().map(|(p, _, _)| format!("{p:?}")).collect();
		fitted.push(Fitted { name, components, time, reads, writes, floored });
	}

	let file = render(&options.pallet, options, &fitted);
	match &options.output {
		Some(path) => std::fs::write(path, file)?,
		None => print!("{file}"),
	}
	Ok(())
}

/// Every component stepped from low to high, the others at their highest.
fn selections(
	components: &[(BenchmarkParameter, u32, u32)],
	steps: u32,
) -> Vec<Vec<(BenchmarkParameter, u32)>> {
	let highest: Vec<(BenchmarkParameter, u32)> =
		components.iter().map(|(p, _, h)| (*p, *h)).collect();
	if components.is_empty() {
		return vec![Vec::new()];
	}
	let mut out = Vec::new();
	for (i, (_, low, high)) in components.iter().enumerate() {
		let steps = steps.max(2);
		for step in 0..steps {
			let value = low + (high - low) * step / (steps - 1);
			let mut selection = highest.clone();
			selection[i].1 = value;
			out.push(selection);
		}
	}
	out
}

/// The weights file: the `WeightInfo` trait and its implementations, or (with
/// `runtime_impl`) the runtime's implementation of the pallet's own trait.
fn render(pallet: &str, options: &Options, fitted: &[Fitted]) -> String {
	let mut out = String::new();
	let _ = writeln!(out, "//! Weights of `{pallet}`, generated by `tos-node benchmark`.");
	let _ = writeln!(out, "//!");
	let _ = writeln!(
		out,
		"//! Do not edit: regenerate with `scripts/benchmark.sh` after changing the pallet."
	);
	let _ = writeln!(
		out,
		"//! Measured in the Wasm runtime on the project's 2-core machine, {} steps × {} repeats;",
		options.steps, options.repeat
	);
	let _ = writeln!(
		out,
		"//! storage accesses counted per key (first access a database read or write, whitelisted"
	);
	let _ =
		writeln!(out, "//! block-level keys free) and priced with the runtime's database weights.");
	let _ = writeln!(out);
	let _ =
		writeln!(out, "#![allow(unused_parens, unused_imports, unused_variables, missing_docs)]");
	let _ = writeln!(out);
	let _ = writeln!(out, "use core::marker::PhantomData;");
	let _ = writeln!(
		out,
		"use frame_support::{{traits::Get, weights::{{constants::RocksDbWeight, Weight}}}};"
	);
	if options.runtime_impl {
		let _ = writeln!(out);
		let _ = writeln!(out, "/// `{pallet}`'s weights as measured in this runtime.");
		let _ = writeln!(out, "pub struct WeightInfo<T>(PhantomData<T>);");
		let header =
			format!("impl<T: frame_system::Config> {pallet}::WeightInfo for WeightInfo<T>");
		write_impl(&mut out, &header, "T::DbWeight::get()", fitted);
		return out;
	}
	let _ = writeln!(out);
	let _ = writeln!(out, "/// The weight of each call (and hook) of the pallet.");
	let _ = writeln!(out, "pub trait WeightInfo {{");
	for f in fitted {
		let _ = writeln!(out, "\t/// `{}`.", f.name);
		let _ = writeln!(out, "\t{};", signature(f));
	}
	let _ = writeln!(out, "}}");
	write_impl(
		&mut out,
		"/// Weights for a runtime, with its database weights.\npub struct SubstrateWeight<T>(PhantomData<T>);\nimpl<T: frame_system::Config> WeightInfo for SubstrateWeight<T>",
		"T::DbWeight::get()",
		fitted,
	);
	write_impl(
		&mut out,
		"/// The same weights with RocksDB's database weights, for tests.\nimpl WeightInfo for ()",
		"RocksDbWeight::get()",
		fitted,
	);
	out
}

/// A weight function's signature: one `u32` per component.
fn signature(f: &Fitted) -> String {
	let args: Vec<String> = f.components.iter().map(|c| format!("{c}: u32")).collect();
	format!("fn {}({}) -> Weight", f.name, args.join(", "))
}

/// `type_decl { fn …() -> Weight { … } … }`, the database weights taken from `db`.
fn write_impl(out: &mut String, type_decl: &str, db: &str, fitted: &[Fitted]) {
	let _ = writeln!(out);
	let _ = writeln!(out, "{type_decl} {{");
	for f in fitted {
		let _ = writeln!(out, "\t{} {{", signature(f));
		if f.floored {
			let _ = writeln!(
				out,
				"\t\t// measured: the fit's intercept was not positive; the cheapest run, {:.1} µs",
				f.time.base as f64 / 1e6
			);
		} else {
			let _ = writeln!(out, "\t\t// measured: {:.1} µs", f.time.base as f64 / 1e6);
		}
		let _ = write!(out, "\t\tWeight::from_parts({}, 0)", f.time.base);
		for (component, slope) in f.components.iter().zip(&f.time.slopes) {
			if *slope > 0 {
				let _ = write!(
					out,
					"\n\t\t\t.saturating_add(Weight::from_parts({slope}, 0).saturating_mul({component}.into()))"
				);
			}
		}
		let _ = write!(out, "\n\t\t\t.saturating_add({db}.reads({}))", f.reads.base);
		for (component, slope) in f.components.iter().zip(&f.reads.slopes) {
			if *slope > 0 {
				let _ = write!(out, "\n\t\t\t.saturating_add({db}.reads({slope}).saturating_mul({component}.into()))");
			}
		}
		let _ = write!(out, "\n\t\t\t.saturating_add({db}.writes({}))", f.writes.base);
		for (component, slope) in f.components.iter().zip(&f.writes.slopes) {
			if *slope > 0 {
				let _ = write!(out, "\n\t\t\t.saturating_add({db}.writes({slope}).saturating_mul({component}.into()))");
			}
		}
		let _ = writeln!(out);
		let _ = writeln!(out, "\t}}");
	}
	let _ = writeln!(out, "}}");
}
