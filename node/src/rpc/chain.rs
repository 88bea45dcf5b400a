//! `chain_*`: block hashes, headers, blocks and head subscriptions.
//!
//! Headers and blocks are serialised by `sp-runtime`'s own serde implementations, so numbers
//! are hex strings and digest logs SCALE hex, exactly as Substrate's RPC returns them. Every
//! head subscription first sends the current head, then one notification per event.

use jsonrpsee::{
	core::SubscriptionResult, types::ErrorObjectOwned, PendingSubscriptionSink, RpcModule,
};
use serde_json::Value;
use tokio::sync::broadcast::error::RecvError;
use tos_primitives::{opaque::Header, BlockNumber, Hash};

use super::{error, to_raw, RpcContext};
use crate::chain::ChainEvent;

/// Registers `chain_*`.
pub fn register(module: &mut RpcModule<RpcContext>) -> anyhow::Result<()> {
	module.register_blocking_method("chain_getBlockHash", |params, ctx, _| {
		let arg: Option<Value> = params.sequence().optional_next()?;
		block_hash(&ctx, arg)
	})?;
	module.register_alias("chain_getHead", "chain_getBlockHash")?;
	module.register_method("chain_getFinalizedHead", |_, ctx, _| {
		Ok::<_, ErrorObjectOwned>(ctx.chain.info().finalized_hash)
	})?;
	module.register_alias("chain_getFinalisedHead", "chain_getFinalizedHead")?;
	module.register_blocking_method("chain_getHeader", |params, ctx, _| {
		let at: Option<Hash> = params.sequence().optional_next()?;
		ctx.chain.header(ctx.at_or_best(at)).map_err(error::chain_client)
	})?;
	module.register_blocking_method("chain_getBlock", |params, ctx, _| {
		let at: Option<Hash> = params.sequence().optional_next()?;
		let hash = ctx.at_or_best(at);
		let block = ctx.chain.block(hash).map_err(error::chain_client)?;
		let justifications =
			ctx.chain.justifications(hash).map_err(error::chain_client)?.and_then(|list| {
				let mut list = list.into_iter();
				let mut justifications = sp_runtime::Justifications::from(list.next()?);
				for justification in list {
					justifications.append(justification);
				}
				Some(justifications)
			});
		Ok::<_, ErrorObjectOwned>(
			block.map(|block| sp_runtime::generic::SignedBlock { block, justifications }),
		)
	})?;

	module.register_subscription(
		"chain_subscribeNewHeads",
		"chain_newHead",
		"chain_unsubscribeNewHeads",
		|_, pending, ctx, _| heads(pending, ctx, Heads::New),
	)?;
	module.register_alias("chain_subscribeNewHead", "chain_subscribeNewHeads")?;
	module.register_alias("chain_unsubscribeNewHead", "chain_unsubscribeNewHeads")?;
	module.register_alias("subscribe_newHead", "chain_subscribeNewHeads")?;
	module.register_alias("unsubscribe_newHead", "chain_unsubscribeNewHeads")?;
	module.register_subscription(
		"chain_subscribeFinalizedHeads",
		"chain_finalizedHead",
		"chain_unsubscribeFinalizedHeads",
		|_, pending, ctx, _| heads(pending, ctx, Heads::Finalized),
	)?;
	module.register_alias("chain_subscribeFinalisedHeads", "chain_subscribeFinalizedHeads")?;
	module.register_alias("chain_unsubscribeFinalisedHeads", "chain_unsubscribeFinalizedHeads")?;
	module.register_subscription(
		"chain_subscribeAllHeads",
		"chain_allHead",
		"chain_unsubscribeAllHeads",
		|_, pending, ctx, _| heads(pending, ctx, Heads::All),
	)?;
	Ok(())
}

/// `chain_getBlockHash`'s argument: nothing (the best block), a number, a hex number, or a
/// list of those.
fn block_hash(ctx: &RpcContext, arg: Option<Value>) -> Result<Value, ErrorObjectOwned> {
	let one = |v: &Value| -> Result<Value, ErrorObjectOwned> {
		let number: BlockNumber = match v {
			Value::Null => return Ok(serde_json::to_value(ctx.chain.info().best_hash).unwrap()),
			Value::Number(n) => n
				.as_u64()
				.and_then(|n| BlockNumber::try_from(n).ok())
				.ok_or_else(|| error::invalid_params(format!("invalid block number {n}")))?,
			Value::String(s) => s
				.strip_prefix("0x")
				.and_then(|hex| u64::from_str_radix(hex, 16).ok())
				.and_then(|n| BlockNumber::try_from(n).ok())
				.ok_or_else(|| error::invalid_params(format!("invalid block number {s}")))?,
			other => return Err(error::invalid_params(format!("invalid block number {other}"))),
		};
		let hash = ctx.chain.canonical_hash(number).map_err(error::chain_client)?;
		Ok(serde_json::to_value(hash).expect("hashes serialise; qed"))
	};
	match arg {
		None => one(&Value::Null),
		Some(Value::Array(list)) => {
			list.iter().map(one).collect::<Result<Vec<_>, _>>().map(Value::Array)
		},
		Some(v) => one(&v),
	}
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Heads {
	New,
	Finalized,
	All,
}

async fn heads(
	pending: PendingSubscriptionSink,
	ctx: std::sync::Arc<RpcContext>,
	kind: Heads,
) -> SubscriptionResult {
	// subscribe before reading the current head, so nothing falls in between
	let mut events = ctx.subscribe();
	let sink = pending.accept().await?;
	let current = |ctx: &RpcContext| -> Option<Header> {
		let info = ctx.chain.info();
		let hash = if kind == Heads::Finalized { info.finalized_hash } else { info.best_hash };
		ctx.chain.header(hash).ok().flatten()
	};
	let mut last_sent: Option<Hash> = None;
	if let Some(header) = current(&ctx) {
		last_sent = Some(header.hash());
		sink.send(to_raw(&header)).await?;
	}
	loop {
		let header = tokio::select! {
			_ = sink.closed() => return Ok(()),
			event = events.recv() => match event {
				Ok(ChainEvent::Imported { header, is_best, .. })
					if kind == Heads::All || (kind == Heads::New && is_best) => header,
				Ok(ChainEvent::Finalized { header, .. }) if kind == Heads::Finalized => header,
				Ok(_) => continue,
				// fell behind: catch up with the current head
				Err(RecvError::Lagged(_)) => match current(&ctx) {
					Some(header) => header,
					None => continue,
				},
				Err(RecvError::Closed) => return Ok(()),
			},
		};
		if last_sent == Some(header.hash()) {
			continue;
		}
		last_sent = Some(header.hash());
		sink.send(to_raw(&header)).await?;
	}
}
