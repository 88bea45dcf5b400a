//! Chain specs in Substrate's JSON format.
//!
//! A spec names the chain and says how to build its genesis state, in one of two forms:
//!
//! - `"genesis": {"runtimeGenesis": {"code": "0x…", "patch": {…}}}` (or `"config"`): the
//!   runtime's Wasm and a JSON genesis config (a patch over the runtime's defaults, or a whole
//!   config); the node runs the runtime's `GenesisBuilder_build_state` to get the storage.
//! - `"genesis": {"raw": {"top": {"0xkey": "0xvalue", …}, "childrenDefault": {}}}`: the storage
//!   itself. `build-spec --raw` turns the first form into this one.
//!
//! Anything malformed (bad JSON, bad hex, unknown fields, a config the runtime refuses) is an
//! error naming what is wrong; nothing is half-built.

use std::collections::BTreeMap;

use codec::Encode;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sp_core::storage::{well_known_keys, Storage};
use sp_state_machine::BasicExternalities;

use crate::{executor::NodeExecutor, genesis::merge_json};

/// A chain spec.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChainSpec {
	/// Human-readable name ("Development").
	pub name: String,
	/// Short identifier ("dev"); names the folder under the base path.
	pub id: String,
	/// `Development`, `Local`, `Live` or `Custom`.
	#[serde(default = "default_chain_type")]
	pub chain_type: Value,
	/// Multiaddresses of nodes to connect to first.
	#[serde(default)]
	pub boot_nodes: Vec<String>,
	/// Telemetry endpoints (unused by this node; kept for compatibility).
	#[serde(default)]
	pub telemetry_endpoints: Option<Value>,
	/// The network protocol id.
	#[serde(default)]
	pub protocol_id: Option<String>,
	/// An optional fork id, distinguishing networks that share a genesis.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub fork_id: Option<String>,
	/// Token properties shown by wallets (`tokenSymbol`, `tokenDecimals`, `ss58Format`).
	#[serde(default)]
	pub properties: Option<serde_json::Map<String, Value>>,
	/// Code substitutes by block (not supported by this node; must be empty).
	#[serde(default)]
	pub code_substitutes: BTreeMap<String, String>,
	/// How to build the genesis state.
	pub genesis: Genesis,
}

fn default_chain_type() -> Value {
	Value::String("Live".into())
}

/// The genesis section of a chain spec.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Genesis {
	/// Runtime code plus a JSON config for its `GenesisBuilder`.
	RuntimeGenesis(RuntimeGenesis),
	/// The genesis storage itself.
	Raw(RawGenesis),
}

/// Runtime code and its JSON genesis config.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuntimeGenesis {
	/// The runtime's Wasm, hex with `0x`.
	pub code: String,
	/// A patch over the runtime's default config.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub patch: Option<Value>,
	/// A complete config.
	#[serde(default, skip_serializing_if = "Option::is_none")]
	pub config: Option<Value>,
}

/// The genesis storage, hex keys to hex values.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawGenesis {
	/// The main trie.
	pub top: BTreeMap<String, String>,
	/// Default child tries (none on this chain).
	#[serde(default)]
	pub children_default: BTreeMap<String, BTreeMap<String, String>>,
}

/// A chain spec could not be read or built.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
	/// Not JSON, or not a chain spec.
	#[error("invalid chain spec: {0}")]
	Json(#[from] serde_json::Error),
	/// A hex string is malformed.
	#[error("invalid hex in chain spec at {at}: {reason}")]
	Hex {
		/// Where the value is.
		at: String,
		/// What is wrong.
		reason: String,
	},
	/// The runtime code or config is unusable.
	#[error("cannot build genesis: {0}")]
	Genesis(String),
	/// A feature this node does not support.
	#[error("unsupported chain spec: {0}")]
	Unsupported(&'static str),
	/// The runtime has no such preset.
	#[error("the runtime has no genesis preset `{0}`")]
	UnknownPreset(String),
	/// Reading the file failed.
	#[error("cannot read chain spec {path}: {error}")]
	Io {
		/// The file.
		path: String,
		/// What happened.
		error: std::io::Error,
	},
}

fn from_hex(at: &str, value: &str) -> Result<Vec<u8>, SpecError> {
	let digits = value
		.strip_prefix("0x")
		.ok_or_else(|| SpecError::Hex { at: at.to_string(), reason: "missing 0x prefix".into() })?;
	hex::decode(digits).map_err(|e| SpecError::Hex { at: at.to_string(), reason: e.to_string() })
}

fn to_hex(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

impl ChainSpec {
	/// Parses a chain spec from JSON.
	pub fn from_json(json: &[u8]) -> Result<Self, SpecError> {
		let spec: ChainSpec = serde_json::from_slice(json)?;
		if !spec.code_substitutes.is_empty() {
			return Err(SpecError::Unsupported("codeSubstitutes"));
		}
		Ok(spec)
	}

	/// Reads a chain spec file.
	pub fn from_file(path: &std::path::Path) -> Result<Self, SpecError> {
		let json = std::fs::read(path)
			.map_err(|error| SpecError::Io { path: path.display().to_string(), error })?;
		Self::from_json(&json)
	}

	/// A spec for the runtime `code` and its genesis preset `preset`, compiled through
	/// `executor`.
	pub fn from_preset(
		executor: &NodeExecutor,
		code: &[u8],
		preset: &str,
		name: &str,
		id: &str,
		chain_type: &str,
	) -> Result<Self, SpecError> {
		let runtime =
			executor.runtime_for_code(code).map_err(|e| SpecError::Genesis(e.to_string()))?;
		let patch: Option<Vec<u8>> = runtime
			.call_decode(
				&mut BasicExternalities::default(),
				"GenesisBuilder_get_preset",
				&Some(preset.to_string()).encode(),
			)
			.map_err(|e| SpecError::Genesis(e.to_string()))?;
		let patch = patch.ok_or_else(|| SpecError::UnknownPreset(preset.to_string()))?;
		let mut properties = serde_json::Map::new();
		properties.insert("tokenSymbol".into(), tos_primitives::TOKEN_SYMBOL.into());
		properties.insert("tokenDecimals".into(), tos_primitives::TOKEN_DECIMALS.into());
		properties.insert("ss58Format".into(), tos_primitives::SS58_PREFIX.into());
		Ok(Self {
			name: name.into(),
			id: id.into(),
			chain_type: Value::String(chain_type.into()),
			boot_nodes: vec![],
			telemetry_endpoints: None,
			protocol_id: Some("tos".into()),
			fork_id: None,
			properties: Some(properties),
			code_substitutes: BTreeMap::new(),
			genesis: Genesis::RuntimeGenesis(RuntimeGenesis {
				code: to_hex(code),
				patch: Some(serde_json::from_slice(&patch)?),
				config: None,
			}),
		})
	}

	/// The genesis storage this spec describes, building it with the runtime (compiled
	/// through `executor`) if needed.
	pub fn genesis_storage(&self, executor: &NodeExecutor) -> Result<Storage, SpecError> {
		match &self.genesis {
			Genesis::Raw(raw) => {
				if !raw.children_default.is_empty() {
					return Err(SpecError::Unsupported("child tries in genesis"));
				}
				let mut storage = Storage::default();
				for (key, value) in &raw.top {
					storage.top.insert(from_hex("genesis.raw.top", key)?, from_hex(key, value)?);
				}
				Ok(storage)
			},
			Genesis::RuntimeGenesis(genesis) => {
				let code = from_hex("genesis.runtimeGenesis.code", &genesis.code)?;
				let runtime = executor
					.runtime_for_code(&code)
					.map_err(|e| SpecError::Genesis(e.to_string()))?;
				let config = match (&genesis.patch, &genesis.config) {
					(Some(patch), None) => {
						let default: Option<Vec<u8>> = runtime
							.call_decode(
								&mut BasicExternalities::default(),
								"GenesisBuilder_get_preset",
								&None::<String>.encode(),
							)
							.map_err(|e| SpecError::Genesis(e.to_string()))?;
						let default = default.ok_or_else(|| {
							SpecError::Genesis("the runtime serves no default config".into())
						})?;
						let mut config: Value = serde_json::from_slice(&default)?;
						merge_json(&mut config, patch.clone());
						config
					},
					(None, Some(config)) => config.clone(),
					_ => {
						return Err(SpecError::Genesis(
							"runtimeGenesis needs exactly one of `patch` and `config`".into(),
						))
					},
				};
				let mut ext = BasicExternalities::default();
				let result: Result<(), String> = runtime
					.call_decode(
						&mut ext,
						"GenesisBuilder_build_state",
						&serde_json::to_vec(&config)?.encode(),
					)
					.map_err(|e| SpecError::Genesis(e.to_string()))?;
				result.map_err(SpecError::Genesis)?;
				let mut storage = ext.into_storages();
				storage.top.insert(well_known_keys::CODE.to_vec(), code);
				Ok(storage)
			},
		}
	}

	/// This spec with its genesis in raw form.
	pub fn into_raw(self, executor: &NodeExecutor) -> Result<Self, SpecError> {
		let storage = self.genesis_storage(executor)?;
		let top = storage.top.iter().map(|(k, v)| (to_hex(k), to_hex(v))).collect();
		Ok(Self {
			genesis: Genesis::Raw(RawGenesis { top, children_default: BTreeMap::new() }),
			..self
		})
	}

	/// The spec as pretty JSON.
	pub fn to_json(&self) -> Result<String, SpecError> {
		Ok(serde_json::to_string_pretty(self)?)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::executor::{WasmRuntime, DEFAULT_HEAP_PAGES};

	fn executor() -> NodeExecutor {
		NodeExecutor::new()
	}

	fn dev() -> ChainSpec {
		let code = tos_runtime::WASM_BINARY.expect("built with the Wasm blob");
		ChainSpec::from_preset(
			&executor(),
			code,
			"development",
			"Development",
			"dev",
			"Development",
		)
		.unwrap()
	}

	#[test]
	fn raw_and_runtime_genesis_give_the_same_storage() {
		let executor = executor();
		let spec = dev();
		let storage = spec.genesis_storage(&executor).unwrap();
		assert!(storage.top.contains_key(well_known_keys::CODE));
		let raw = spec.into_raw(&executor).unwrap();
		let json = raw.to_json().unwrap();
		let reparsed = ChainSpec::from_json(json.as_bytes()).unwrap();
		assert_eq!(reparsed.genesis_storage(&executor).unwrap().top, storage.top);
	}

	#[test]
	fn spec_json_round_trips_in_substrate_shape() {
		let json: Value = serde_json::from_str(&dev().to_json().unwrap()).unwrap();
		assert_eq!(json["id"], "dev");
		assert_eq!(json["chainType"], "Development");
		assert_eq!(json["properties"]["tokenSymbol"], "TOS");
		assert_eq!(json["properties"]["tokenDecimals"], 12);
		assert_eq!(json["properties"]["ss58Format"], 42);
		assert!(json["genesis"]["runtimeGenesis"]["code"].as_str().unwrap().starts_with("0x"));
		assert!(json["genesis"]["runtimeGenesis"]["patch"]["sudo"]["key"].is_string());
	}

	#[test]
	fn malformed_specs_are_refused_with_a_reason() {
		assert!(matches!(ChainSpec::from_json(b"{ nope"), Err(SpecError::Json(_))));
		assert!(matches!(ChainSpec::from_json(b"{\"name\": \"x\"}"), Err(SpecError::Json(_))));

		let bad_hex = r#"{"name":"x","id":"x","genesis":{"raw":{"top":{"0xzz":"0x00"}}}}"#;
		let spec = ChainSpec::from_json(bad_hex.as_bytes()).unwrap();
		assert!(matches!(spec.genesis_storage(&executor()), Err(SpecError::Hex { .. })));

		let bad_code = r#"{"name":"x","id":"x","genesis":{"runtimeGenesis":{"code":"0x0061736d","patch":{}}}}"#;
		let spec = ChainSpec::from_json(bad_code.as_bytes()).unwrap();
		assert!(matches!(spec.genesis_storage(&executor()), Err(SpecError::Genesis(_))));

		let mut spec = dev();
		if let Genesis::RuntimeGenesis(g) = &mut spec.genesis {
			g.patch = Some(serde_json::json!({"balances": {"balances": "not a list"}}));
		}
		assert!(matches!(spec.genesis_storage(&executor()), Err(SpecError::Genesis(_))));
	}

	#[test]
	fn committed_chain_specs_load_and_build_their_genesis() {
		let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../chain-specs");
		for (file, id, authorities) in
			[("dev.json", "dev", 1usize), ("local.json", "local_testnet", 4)]
		{
			let spec = ChainSpec::from_file(&dir.join(file)).expect("committed spec parses");
			assert_eq!(spec.id, id);
			let storage = spec.genesis_storage(&executor()).expect("committed spec builds");
			let code = storage.top.get(well_known_keys::CODE).expect("the spec carries code");
			let runtime = WasmRuntime::new(code, DEFAULT_HEAP_PAGES).expect("its code compiles");
			let mut ext = BasicExternalities::new(storage);
			let aura: Vec<sp_core::sr25519::Public> =
				runtime.call_decode(&mut ext, "AuraApi_authorities", &[]).unwrap();
			assert_eq!(aura.len(), authorities, "{file}");
		}
	}

	#[test]
	fn unknown_preset_is_named() {
		let code = tos_runtime::WASM_BINARY.unwrap();
		assert!(matches!(
			ChainSpec::from_preset(&executor(), code, "mainnet", "x", "x", "Live"),
			Err(SpecError::UnknownPreset(p)) if p == "mainnet"
		));
	}
}
