//! # tos-node
//!
//! The thin native host of the TOS runtime. The chain's rules live in the Wasm runtime
//! (`tos-runtime`); the node runs that Wasm, keeps the chain's blocks and state, authors
//! blocks in its Aura slots, serves wallets over JSON-RPC and talks to peers.
//!
//! Each part is a module with one job; [`executor`], [`state`], [`chain`] and
//! [`consensus::aura`] do no I/O of their own (the database is a trait), so they are tested with fixtures:
//!
//! - [`executor`]: compiles the runtime with wasmtime once per code hash and runs any runtime
//!   API by name with SCALE arguments.
//! - [`state`]: the Substrate state trie over the database; runtime calls against a block's
//!   state; the changes a block makes, as trie nodes to commit.
//! - [`db`]: the column-oriented database: RocksDB on disk, a map in memory for tests; every
//!   column declared once in [`db::columns`].
//! - [`chain`]: genesis from a chain spec ([`chain::spec`]), block import (verify seal →
//!   execute → compare roots → commit atomically), block building, fork choice, finality
//!   bookkeeping.
//! - [`consensus`]: Aura's slot rules and sr25519 seals; GRANDPA finality (the
//!   `finality-grandpa` voter with our environment: signed, persisted votes; justifications).
//! - [`txpool`]: the transaction pool — ready and future queues by the runtime's tags,
//!   limits, bans, and maintenance after each block.
//! - [`network`]: libp2p — discovery, block announcements, transactions, block sync
//!   ([`network::sync`]), peer reputation and bans.
//! - [`rpc`]: Substrate's JSON-RPC API with jsonrpsee (HTTP and WebSocket on one port).
//! - [`keystore`]: the node's secret keys on disk, usable by the runtime (`author_rotateKeys`).
//! - [`node_key`]: the network identity (peer id).
//! - [`key`]: `tos-node key generate | inspect | insert` (Substrate's key formats).
//! - [`service`]: wiring — opens the database, starts the network and the GRANDPA voter,
//!   authors blocks from the pool (Aura slots or instant sealing), finalizes dev chains,
//!   serves RPC and metrics.
//! - [`cli`]: the command line.
//!
//! See `docs/ARCHITECTURE.md` for how a block flows through these parts.

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmark;
pub mod chain;
pub mod cli;
pub mod consensus;
pub mod db;
pub mod dev_tx;
pub mod executor;
pub mod genesis;
pub mod key;
pub mod keystore;
pub mod metrics;
pub mod network;
pub mod node_key;
pub mod rpc;
pub mod service;
pub mod state;
pub mod txpool;
