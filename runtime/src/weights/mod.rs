//! Weights of the SDK's pallets as measured in this runtime (`scripts/benchmark.sh`, which runs
//! `tos-node benchmark --runtime-impl`): each module implements its pallet's own `WeightInfo`
//! trait with the figures from this machine and this runtime's configuration (tracks, deposits,
//! council size), instead of the reference figures the pallets ship with.
//!
//! - [`pallet_preimage`], [`pallet_scheduler`], [`pallet_referenda`],
//!   [`pallet_conviction_voting`], [`pallet_collective`] (the council), [`pallet_treasury`].
//!
//! The AI-mining pallets keep their weights in their own crates (`pallets/*/src/weights.rs`).

pub mod pallet_collective;
pub mod pallet_conviction_voting;
pub mod pallet_preimage;
pub mod pallet_referenda;
pub mod pallet_scheduler;
pub mod pallet_treasury;
