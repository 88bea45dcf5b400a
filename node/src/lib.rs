//! # tos-node
//!
//! The thin native host of the TOS runtime. The chain's rules live in the Wasm runtime
//! (`tos-runtime`); the node's job is to run that Wasm, keep the chain's blocks and state,
//! talk to peers and serve wallets. It is built from small parts, each one job (see
//! `docs/ARCHITECTURE.md`); so far:
//!
//! - [`executor`]: compiles the runtime with wasmtime once per code blob and runs any
//!   runtime API by name with SCALE arguments, against any externalities.
//! - [`genesis`]: turns a runtime's genesis preset (a JSON patch) into a full config.
//!
//! Still to come, each as its own module: state (overlay + trie over RocksDB), db, chain
//! import, Aura/GRANDPA consensus, the transaction pool, libp2p networking and JSON-RPC.

pub mod executor;
pub mod genesis;
