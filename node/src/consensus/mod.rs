//! Consensus: who may author a block, how a block proves it, and when a block is final.
//!
//! - [`aura`]: Aura's slot rules, pre-runtime digest and sr25519 seal — sealing what we build
//!   and checking what we import.
//! - [`grandpa`]: GRANDPA finality — the `finality-grandpa` voter with our environment
//!   (chain, gossip, signed and persisted votes, justifications).

pub mod aura;
pub mod grandpa;
