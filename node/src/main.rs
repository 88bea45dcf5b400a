//! `tos-node`: the TOS node binary. See `tos-node --help`, and the README for a tour.

use clap::Parser;
use sp_state_machine::BasicExternalities;
use tos_node::{
	cli::{Cli, Command},
	executor::{WasmRuntime, DEFAULT_HEAP_PAGES},
	service,
};

fn main() {
	let cli = Cli::parse();
	tracing_subscriber::fmt()
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env()
				.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
		)
		.with_writer(std::io::stderr)
		.init();

	let result = match cli.command {
		None => tokio::runtime::Builder::new_multi_thread()
			.enable_all()
			.build()
			.map_err(anyhow::Error::from)
			.and_then(|rt| rt.block_on(service::run(cli.run))),
		Some(Command::BuildSpec(cmd)) => service::build_spec(&cmd.shared, cmd.raw),
		Some(Command::PurgeChain(cmd)) => service::purge_chain(&cmd.shared, cmd.yes),
		Some(Command::ExportBlocks(cmd)) => service::export_blocks(&cmd),
		Some(Command::ImportBlocks(cmd)) => service::import_blocks(&cmd),
		Some(Command::ChainInfo(shared)) => service::chain_info(&shared),
		Some(Command::RuntimeInfo) => runtime_info(),
		Some(Command::Benchmark(cmd)) => benchmark(cmd),
		Some(Command::Key(cmd)) => tos_node::key::run(&cmd),
	};
	if let Err(e) = result {
		eprintln!("Error: {e:#}");
		std::process::exit(1);
	}
}

/// `benchmark`: the dev chain's genesis state, the embedded (benchmark-enabled) runtime.
#[cfg(feature = "runtime-benchmarks")]
fn benchmark(cmd: tos_node::cli::BenchmarkCmd) -> anyhow::Result<()> {
	let code = tos_runtime::WASM_BINARY
		.ok_or_else(|| anyhow::anyhow!("this binary was built with SKIP_WASM_BUILD"))?;
	let executor = tos_node::executor::NodeExecutor::new();
	let spec = tos_node::chain::spec::ChainSpec::from_preset(
		&executor,
		code,
		"development",
		"Development",
		"dev",
		"Development",
	)?;
	let genesis = spec.genesis_storage(&executor)?;
	tos_node::benchmark::run(
		code,
		genesis,
		&tos_node::benchmark::Options {
			pallet: cmd.pallet,
			steps: cmd.steps,
			repeat: cmd.repeat,
			output: cmd.output,
			runtime_impl: cmd.runtime_impl,
		},
	)
}

#[cfg(not(feature = "runtime-benchmarks"))]
fn benchmark(_: tos_node::cli::BenchmarkCmd) -> anyhow::Result<()> {
	anyhow::bail!(
		"this binary has no benchmarks: build it with `--features runtime-benchmarks` \
		 (scripts/benchmark.sh does)"
	)
}

/// Prints what the embedded runtime says about itself, by executing its Wasm.
fn runtime_info() -> anyhow::Result<()> {
	let blob = tos_runtime::WASM_BINARY
		.ok_or_else(|| anyhow::anyhow!("this binary was built with SKIP_WASM_BUILD"))?;
	let started = std::time::Instant::now();
	let runtime = WasmRuntime::new(blob, DEFAULT_HEAP_PAGES)?;
	let compiled_in = started.elapsed();
	let mut ext = BasicExternalities::default();

	let version: sp_version::RuntimeVersion = runtime.call_decode(&mut ext, "Core_version", &[])?;
	let metadata_versions: Vec<u32> =
		runtime.call_decode(&mut ext, "Metadata_metadata_versions", &[])?;
	let presets: Vec<Vec<u8>> =
		runtime.call_decode(&mut ext, "GenesisBuilder_preset_names", &[])?;

	println!("runtime blob:        {} bytes (compressed)", blob.len());
	println!("compiled in:         {} ms", compiled_in.as_millis());
	println!("spec:                {} v{}", version.spec_name, version.spec_version);
	println!("impl:                {} v{}", version.impl_name, version.impl_version);
	println!("transaction version: {}", version.transaction_version);
	println!("metadata versions:   {metadata_versions:?}");
	println!(
		"genesis presets:     {}",
		presets.iter().map(|p| String::from_utf8_lossy(p)).collect::<Vec<_>>().join(", ")
	);
	println!("runtime APIs:        {}", version.apis.len());
	Ok(())
}
