//! # tos-sim: does cheating pay?
//!
//! The mechanism simulation. Populations of honest and cheating agents play the AI-mining
//! market through the **real runtime**, natively and in memory: genesis from the
//! `development` preset, blocks through `Executive` (every pallet's hooks), calls dispatched
//! with the agents' signed origins. Each cheating strategy gets its own scenario — the honest
//! market plus its cheaters — run twice with the same seed: once as written, once with the
//! cheaters playing honestly (the *counterfactual*). What a strategy is worth is the ratio of
//! the two: what the cheaters earned, against what the same agents would have earned doing
//! the work. The table in `docs/MECHANISM.md` is this crate's output.
//!
//! Panels are drawn privately, as the runtime draws them (its `PrivateDraws`): each
//! agent's account is an sr25519 key, and a validator evaluates its VRF ticket on every draw
//! it may sit in and takes the seat it wins with its commitment, as a validator's program
//! would. Nobody, briber or colluder, learns a panel before it has committed.
//!
//! - [`world`]: the runtime in memory, blocks, dispatch, balances;
//! - [`market`]: the pallets' calls, storage and events as agents see them (the one module
//!   that knows call shapes);
//! - [`agents`]: the strategies;
//! - [`content`]: solutions as content, their hashes and fingerprints;
//! - [`engine`]: one scenario's run;
//! - [`scenarios`]: the honest market and one scenario per strategy;
//! - [`report`]: the comparison with honest play, as Markdown and CSV;
//! - [`sweep`]: the sensitivity sweep — honest noise, the cheaters' share of stake, panel
//!   sizes;
//! - [`recovery`]: reputation after a confirmed fraud, against an honest twin and a new
//!   identity, over months;
//! - [`rng`]: deterministic integer randomness.
//!
//! `tos-sim --short` (what the test suite runs, a fixed seed) and `tos-sim --long` (a release
//! check, `scripts/mechanism` plots it) print the table.

pub mod agents;
pub mod content;
pub mod engine;
pub mod market;
pub mod recovery;
pub mod report;
pub mod rng;
pub mod scenarios;
pub mod sweep;
pub mod world;

/// Blocks of publishing in the short form (the test suite's) and the long one.
pub const SHORT_BLOCKS: u32 = 300;
/// See [`SHORT_BLOCKS`].
pub const LONG_BLOCKS: u32 = 3_000;
/// The seed both forms use unless told otherwise.
pub const SEED: u64 = 20_261_202;
