//! Consensus: who may author a block, and how a block proves it.
//!
//! - [`aura`]: Aura's slot rules, pre-runtime digest and sr25519 seal — sealing what we build
//!   and checking what we import.
//!
//! GRANDPA finality arrives with the network (issue 8).

pub mod aura;
