//! Consensus: who may author a block, how a block proves it, and when a block is final.
//!
//! - [`aura`]: Aura's slot rules, pre-runtime digest and sr25519 seal — sealing what we build
//!   and checking what we import.
//! - [`grandpa`]: GRANDPA finality — the `finality-grandpa` voter with our environment
//!   (chain, gossip, signed and persisted votes, justifications).
//! - [`vrf`]: the author's VRF each block carries, the input of the chain's randomness.

pub mod aura;
pub mod grandpa;
pub mod vrf;
