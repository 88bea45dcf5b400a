//! # TOS primitives
//!
//! The vocabulary every other crate of TOS speaks. Nothing here has behaviour that touches
//! storage: these are plain, `no_std`, SCALE-encodable types, so the runtime, the pallets and
//! the node agree on them byte for byte.
//!
//! - [`chain`]: the chain's basic types — [`AccountId`], [`Balance`], [`Nonce`],
//!   [`BlockNumber`], [`Hash`], [`Signature`], and the [`opaque`] block and header a node can
//!   handle without knowing the runtime's calls.
//! - [`currency`]: the TOS token — 12 decimals, SS58 prefix 42, and the unit constants.
//! - [`mining`]: the AI-mining domain shared by the pallets: [`TaskId`], [`TaskType`] (which
//!   doubles as a miner's or validator's specialization), [`SpecializationSet`],
//!   [`Score`] (a validator's 0–100 judgement), [`ReputationScore`] (fixed point, never a
//!   float), [`BasisPoints`] for the reward split, [`MinerLevel`] and the solution
//!   [`Fingerprint`].
//!
//! - [`api`]: the `AiMiningApi` runtime API and its views (tasks, profiles, pending rewards).
//! - [`holds`]: releasing and moving held funds, shared by the pallets that hold them.
//! - [`deadlines`]: the per-block deadline queue the task and validation pallets share.
//! - [`fingerprint`]: TOS-SimHash-256, the documented fingerprint of a solution's content.
//! - [`scoring`]: consensus of validators' scores (weighted median, clipping, accuracy) and
//!   exact pro-rata splits of rewards.
//! - [`sortition`]: private sortition — a validator's VRF ticket for a panel's seat, and
//!   whether it wins.
//! - [`vrf`]: the block author's VRF: what it signs, and the output the runtime's
//!   randomness accumulates.
//! - [`traits`]: how the pallets couple to each other — [`MinerRegistry`],
//!   [`ReputationLedger`], [`TaskValidation`] — each with a no-op implementation for `()`.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod api;
pub mod chain;
pub mod currency;
pub mod deadlines;
pub mod fingerprint;
pub mod holds;
pub mod mining;
pub mod scoring;
pub mod sortition;
pub mod traits;
pub mod vrf;

pub use chain::*;
pub use currency::*;
pub use mining::*;
pub use traits::*;
