//! The executor against the real runtime blob that `tos-runtime`'s build produced.

use super::*;
use codec::Encode;
use frame_metadata::RuntimeMetadataPrefixed;
use sp_core::OpaqueMetadata;
use sp_state_machine::BasicExternalities;

fn blob() -> &'static [u8] {
	tos_runtime::WASM_BINARY.expect(
		"the Wasm blob is built with the runtime; do not set SKIP_WASM_BUILD for these tests",
	)
}

fn runtime() -> WasmRuntime {
	WasmRuntime::new(blob(), DEFAULT_HEAP_PAGES).expect("the runtime blob compiles")
}

#[test]
fn blob_is_compressed_wasm() {
	let blob = blob();
	let raw = sp_maybe_compressed_blob::decompress(blob, CODE_SIZE_LIMIT).expect("decompresses");
	assert!(raw.len() > blob.len(), "the blob on chain is compressed");
	assert_eq!(&raw[..4], b"\0asm");
}

#[test]
fn metadata_decodes_from_the_wasm_blob() {
	let runtime = runtime();
	let mut ext = BasicExternalities::default();

	let versions: Vec<u32> = runtime
		.call_decode(&mut ext, "Metadata_metadata_versions", &[])
		.expect("versions are listed");
	for v in [14u32, 15, 16] {
		assert!(versions.contains(&v), "v{v} is offered by the Wasm runtime: {versions:?}");
		let metadata: Option<OpaqueMetadata> = runtime
			.call_decode(&mut ext, "Metadata_metadata_at_version", &v.encode())
			.expect("metadata call succeeds");
		let bytes = metadata.expect("an offered version is served");
		let prefixed = RuntimeMetadataPrefixed::decode(&mut &bytes[..]).expect("metadata decodes");
		assert_eq!(prefixed.1.version(), v);

		let frame_metadata::RuntimeMetadata::V15(v15) =
			(if v == 15 { prefixed.1 } else { continue })
		else {
			unreachable!("version checked above")
		};
		let pallets: Vec<&str> = v15.pallets.iter().map(|p| p.name.as_str()).collect();
		assert_eq!(
			pallets,
			vec![
				"System",
				"Timestamp",
				"Aura",
				"Grandpa",
				"Randomness",
				"Balances",
				"TransactionPayment",
				"Utility",
				"Preimage",
				"Scheduler",
				"Referenda",
				"ConvictionVoting",
				"Council",
				"Treasury",
				"Governance",
				"MinerReputation",
				"Tasks",
				"ValidationVoting",
				"Rewards",
				"FraudFlags",
				"Sudo"
			]
		);
		let apis: Vec<&str> = v15.apis.iter().map(|a| a.name.as_str()).collect();
		for api in [
			"Core",
			"Metadata",
			"BlockBuilder",
			"TaggedTransactionQueue",
			"OffchainWorkerApi",
			"SessionKeys",
			"AuraApi",
			"GrandpaApi",
			"AccountNonceApi",
			"TransactionPaymentApi",
			"GenesisBuilder",
			"RandomnessApi",
		] {
			assert!(apis.contains(&api), "{api} in {apis:?}");
		}
	}
}

#[test]
fn wasm_version_matches_native() {
	let version: sp_version::RuntimeVersion = runtime()
		.call_decode(&mut BasicExternalities::default(), "Core_version", &[])
		.expect("Core_version runs");
	assert_eq!(version, tos_runtime::VERSION);
	assert_eq!(version.spec_name, "tos");
}

#[test]
fn wasm_genesis_equals_native_genesis() {
	use sp_genesis_builder::PresetId;
	let runtime = runtime();
	for preset in ["development", "local_testnet"] {
		let mut empty = BasicExternalities::default();
		let from_wasm: Option<Vec<u8>> = runtime
			.call_decode(
				&mut empty,
				"GenesisBuilder_get_preset",
				&Some(PresetId::from(preset)).encode(),
			)
			.expect("get_preset runs");
		let native = tos_runtime::genesis_config_presets::get_preset(&PresetId::from(preset));
		assert_eq!(from_wasm, native, "{preset}");

		// the full config (default + patch) builds to the same storage in Wasm as natively
		let default: Option<Vec<u8>> = runtime
			.call_decode(&mut empty, "GenesisBuilder_get_preset", &None::<PresetId>.encode())
			.expect("default config");
		let mut config: serde_json::Value = serde_json::from_slice(&default.unwrap()).unwrap();
		crate::genesis::merge_json(&mut config, serde_json::from_slice(&native.unwrap()).unwrap());
		let config = serde_json::to_vec(&config).unwrap();

		let mut wasm_state = BasicExternalities::default();
		let result: Result<(), String> = runtime
			.call_decode(&mut wasm_state, "GenesisBuilder_build_state", &config.encode())
			.expect("build_state runs");
		assert_eq!(result, Ok(()));

		let mut native_state = BasicExternalities::default();
		native_state.execute_with(|| {
			use sp_genesis_builder::runtime_decl_for_genesis_builder::GenesisBuilder;
			<tos_runtime::Runtime as GenesisBuilder<tos_runtime::Block>>::build_state(
				config.clone(),
			)
			.expect("native build_state");
		});
		let (wasm_state, native_state) = (wasm_state.into_storages(), native_state.into_storages());
		assert!(!wasm_state.top.is_empty());
		assert_eq!(wasm_state.top, native_state.top, "{preset}");
		assert_eq!(wasm_state.children_default.len(), native_state.children_default.len());
	}
}

#[test]
fn bad_genesis_config_is_an_error_value_not_a_trap() {
	let result: Result<(), String> = runtime()
		.call_decode(
			&mut BasicExternalities::default(),
			"GenesisBuilder_build_state",
			&b"{ not json".to_vec().encode(),
		)
		.expect("the call itself succeeds");
	assert!(result.is_err());
}

#[test]
fn unknown_method_is_reported() {
	let err = runtime()
		.call(&mut BasicExternalities::default(), "Core_no_such_thing", &[])
		.expect_err("no such export");
	assert!(matches!(err, Error::MethodNotFound(ref m) if m == "Core_no_such_thing"), "{err}");
}

#[test]
fn runtime_panic_comes_back_with_its_message() {
	// `Core_initialize_block` with input that is not a header: the runtime panics while
	// decoding its arguments, and the message reaches the caller.
	let err = runtime()
		.call(&mut BasicExternalities::default(), "Core_initialize_block", &[1, 2, 3])
		.expect_err("garbage is not a header");
	match err {
		Error::Trap { method, reason } => {
			assert_eq!(method, "Core_initialize_block");
			assert!(reason.contains("Bad input data"), "{reason}");
		},
		other => panic!("expected a trap, got {other}"),
	}
}

#[test]
fn garbage_code_is_rejected() {
	assert!(matches!(WasmRuntime::new(b"not wasm at all", 0), Err(Error::InvalidCode(_))));
	assert!(matches!(WasmRuntime::new(&[], 0), Err(Error::InvalidCode(_))));
}

#[test]
fn one_compiled_runtime_serves_many_calls() {
	let runtime = runtime();
	let mut ext = BasicExternalities::default();
	// a trap in one call leaves nothing behind for the next
	let _ = runtime.call(&mut ext, "Core_initialize_block", &[0xff]);
	for _ in 0..3 {
		let version: sp_version::RuntimeVersion =
			runtime.call_decode(&mut ext, "Core_version", &[]).expect("still works");
		assert_eq!(version.spec_version, tos_runtime::VERSION.spec_version);
	}
}

#[test]
fn compiled_runtimes_are_kept_on_disk_and_a_bad_cache_file_is_ignored() {
	let dir = tempfile::tempdir().unwrap();
	let version = |runtime: &WasmRuntime| -> sp_version::RuntimeVersion {
		runtime.call_decode(&mut BasicExternalities::default(), "Core_version", &[]).unwrap()
	};
	let cached = |dir: &std::path::Path| -> Vec<std::path::PathBuf> {
		std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect()
	};
	// the first start compiles and saves
	let first = WasmRuntime::new_cached(blob(), DEFAULT_HEAP_PAGES, Some(dir.path())).unwrap();
	let files = cached(dir.path());
	assert_eq!(files.len(), 1, "{files:?}");
	assert_eq!(files[0].extension().unwrap(), "cwasm");
	// the next loads it and runs the same code
	let second = WasmRuntime::new_cached(blob(), DEFAULT_HEAP_PAGES, Some(dir.path())).unwrap();
	assert_eq!(version(&second), version(&first));
	// other heap pages are another prepared module: another file
	WasmRuntime::new_cached(blob(), DEFAULT_HEAP_PAGES + 1, Some(dir.path())).unwrap();
	assert_eq!(cached(dir.path()).len(), 2);
	// a corrupt file is ignored and rewritten
	std::fs::write(&files[0], b"not machine code").unwrap();
	let third = WasmRuntime::new_cached(blob(), DEFAULT_HEAP_PAGES, Some(dir.path())).unwrap();
	assert_eq!(version(&third), version(&first));
	assert!(std::fs::read(&files[0]).unwrap().len() > 1000, "rewritten");
}
