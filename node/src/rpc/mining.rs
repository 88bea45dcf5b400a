//! `aiMining_*`: the AI-mining market read through the runtime's `AiMiningApi` at a block (the
//! best one unless `at` is given). Balances are decimal strings (JavaScript numbers cannot hold
//! them); accounts are SS58 addresses.
//!
//! - `aiMining_tasks(state?, from?, limit?, at?)`: task summaries, `state` one of `open`,
//!   `reveal`, `validating`, `provisional`, `disputed`, `settled`, `expired`; at most 100, from
//!   at most 1 000 ids after `from` (page with `from`);
//! - `aiMining_task(id, at?)`: a task with its solutions (scores, rewards, fraud flags), its
//!   panel and its provisional result, or `null`;
//! - `aiMining_profile(account, at?)`: miner and validator standing and fraud record;
//! - `aiMining_pendingRewards(account, at?)`: unclaimed emission shares per era.

use codec::{Decode, Encode};
use jsonrpsee::{types::ErrorObjectOwned, RpcModule};
use serde::{Serialize, Serializer};
use sp_runtime::AccountId32;
use tos_primitives::{
	api::{PendingReward, Profile, TaskDetail, TaskState, TaskSummary},
	BlockNumber, Hash, TaskId,
};

use super::{error, RpcContext};

/// A balance as JSON wants it: a decimal string.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Decode)]
pub struct RpcBalance(pub u128);

impl Serialize for RpcBalance {
	fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(&self.0.to_string())
	}
}

/// Calls `AiMiningApi_<method>` at `at` with `args` and decodes the answer.
fn call<R: Decode>(
	ctx: &RpcContext,
	at: Option<Hash>,
	method: &str,
	args: impl Encode,
) -> Result<R, ErrorObjectOwned> {
	let bytes = ctx
		.chain
		.call_at(ctx.at_or_best(at), &format!("AiMiningApi_{method}"), &args.encode())
		.map_err(error::state_client)?;
	R::decode(&mut &bytes[..]).map_err(error::state_client)
}

/// Registers `aiMining_*`.
pub fn register(module: &mut RpcModule<RpcContext>) -> anyhow::Result<()> {
	module.register_blocking_method("aiMining_tasks", |params, ctx, _| {
		let mut seq = params.sequence();
		let state: Option<TaskState> = seq.optional_next()?;
		let from: Option<TaskId> = seq.optional_next()?;
		let limit: Option<u32> = seq.optional_next()?;
		let at: Option<Hash> = seq.optional_next()?;
		call::<Vec<TaskSummary<AccountId32, RpcBalance, BlockNumber>>>(
			&ctx,
			at,
			"tasks",
			(state, from.unwrap_or(0), limit.unwrap_or(100)),
		)
	})?;
	module.register_blocking_method("aiMining_task", |params, ctx, _| {
		let mut seq = params.sequence();
		let id: TaskId = seq.next()?;
		let at: Option<Hash> = seq.optional_next()?;
		call::<Option<TaskDetail<AccountId32, RpcBalance, BlockNumber>>>(&ctx, at, "task", id)
	})?;
	module.register_blocking_method("aiMining_profile", |params, ctx, _| {
		let mut seq = params.sequence();
		let who: AccountId32 = seq.next()?;
		let at: Option<Hash> = seq.optional_next()?;
		call::<Profile<RpcBalance, BlockNumber>>(&ctx, at, "profile", who)
	})?;
	module.register_blocking_method("aiMining_pendingRewards", |params, ctx, _| {
		let mut seq = params.sequence();
		let who: AccountId32 = seq.next()?;
		let at: Option<Hash> = seq.optional_next()?;
		call::<Vec<PendingReward<RpcBalance>>>(&ctx, at, "pending_rewards", who)
	})?;
	Ok(())
}
