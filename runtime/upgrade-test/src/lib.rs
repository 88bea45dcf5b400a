//! # tos-runtime-upgrade-test
//!
//! The TOS runtime built a second time, with its `upgrade-test` feature: `spec_version` one
//! higher and a harmless extra pallet (`UpgradeProbe`, one call that only emits an event).
//! Tests upgrade a chain to `WASM_BINARY` to see a real upgrade happen — the node executing
//! the new code from the next block, the new call in the metadata — and scripts/upgrade can
//! use the blob on a dev chain. Never deploy it.

#![cfg_attr(not(feature = "std"), no_std)]

// the Wasm build links the runtime (and its exported runtime API entry points) through this;
// natively it is the real runtime (the `upgrade` feature is only on in the Wasm build)
pub use tos_runtime::*;

/// The encoded call `UpgradeProbe::probe()` of the test runtime (pallet 49, call 0), which
/// native code cannot name: natively this crate is the real runtime.
pub const PROBE_CALL: [u8; 2] = [49, 0];

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));
