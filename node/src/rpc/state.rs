//! `state_*`: storage reads, runtime calls, the runtime version and metadata, read proofs, and
//! the runtime-version and storage subscriptions.

use std::sync::Arc;

use codec::Decode;
use jsonrpsee::{
	core::SubscriptionResult, types::ErrorObjectOwned, PendingSubscriptionSink, RpcModule,
};
use serde_json::{json, Value};
use sp_core::Bytes;
use sp_state_machine::{Backend as _, IterArgs};
use sp_version::RuntimeVersion;
use tokio::sync::broadcast::error::RecvError;
use tos_primitives::Hash;

use super::{error, to_raw, RpcContext};
use crate::chain::ChainEvent;

/// Most keys `state_getKeysPaged` returns at once (Substrate's limit).
pub const KEYS_PAGED_MAX: u32 = 1000;
/// Most keys one `state_subscribeStorage` or `state_queryStorageAt` may name.
pub const MAX_KEYS_PER_QUERY: usize = 1000;

/// Registers `state_*`.
pub fn register(module: &mut RpcModule<RpcContext>) -> anyhow::Result<()> {
	module.register_blocking_method("state_getRuntimeVersion", |params, ctx, _| {
		let at: Option<Hash> = params.sequence().optional_next()?;
		runtime_version(&ctx, ctx.at_or_best(at))
	})?;
	module.register_alias("chain_getRuntimeVersion", "state_getRuntimeVersion")?;
	module.register_blocking_method("state_getMetadata", |params, ctx, _| {
		let at: Option<Hash> = params.sequence().optional_next()?;
		metadata(&ctx, ctx.at_or_best(at))
	})?;
	module.register_blocking_method("state_call", |params, ctx, _| {
		let mut seq = params.sequence();
		let method: String = seq.next()?;
		let data: Bytes = seq.next()?;
		let at: Option<Hash> = seq.optional_next()?;
		let out =
			ctx.chain.call_at(ctx.at_or_best(at), &method, &data).map_err(error::state_client)?;
		Ok::<_, ErrorObjectOwned>(Bytes(out))
	})?;
	module.register_alias("state_callAt", "state_call")?;
	module.register_blocking_method("state_getStorage", |params, ctx, _| {
		let (key, at) = key_at(&params)?;
		storage(&ctx, at, &key).map(|v| v.map(Bytes))
	})?;
	module.register_alias("state_getStorageAt", "state_getStorage")?;
	module.register_blocking_method("state_getStorageHash", |params, ctx, _| {
		let (key, at) = key_at(&params)?;
		let state = ctx.chain.state_at(ctx.at_or_best(at)).map_err(error::state_client)?;
		state.storage_hash(&key).map_err(error::state_client)
	})?;
	module.register_alias("state_getStorageHashAt", "state_getStorageHash")?;
	module.register_blocking_method("state_getStorageSize", |params, ctx, _| {
		let (key, at) = key_at(&params)?;
		storage(&ctx, at, &key).map(|v| v.map(|v| v.len() as u64))
	})?;
	module.register_alias("state_getStorageSizeAt", "state_getStorageSize")?;
	module.register_blocking_method("state_getKeysPaged", |params, ctx, _| {
		let mut seq = params.sequence();
		let prefix: Option<Bytes> = seq.next()?;
		let count: u32 = seq.next()?;
		let start_key: Option<Bytes> = seq.optional_next()?;
		let at: Option<Hash> = seq.optional_next()?;
		if count > KEYS_PAGED_MAX {
			return Err(error::err(
				error::STATE_INVALID_COUNT,
				format!("count exceeds maximum value. value: {count}, max: {KEYS_PAGED_MAX}"),
			));
		}
		let state = ctx.chain.state_at(ctx.at_or_best(at)).map_err(error::state_client)?;
		let mut args = IterArgs::default();
		args.prefix = prefix.as_deref();
		args.start_at = start_key.as_deref();
		args.start_at_exclusive = true;
		let keys = state.keys(args).map_err(error::state_client)?;
		keys.take(count as usize)
			.map(|key| key.map(Bytes).map_err(error::state_client))
			.collect::<Result<Vec<_>, _>>()
	})?;
	module.register_alias("state_getKeysPagedAt", "state_getKeysPaged")?;
	module.register_blocking_method("state_queryStorageAt", |params, ctx, _| {
		let mut seq = params.sequence();
		let keys: Vec<Bytes> = seq.next()?;
		let at: Option<Hash> = seq.optional_next()?;
		if keys.len() > MAX_KEYS_PER_QUERY {
			return Err(error::invalid_params(format!("at most {MAX_KEYS_PER_QUERY} keys")));
		}
		let at = ctx.at_or_best(at);
		let state = ctx.chain.state_at(at).map_err(error::state_client)?;
		let changes = keys
			.into_iter()
			.map(|key| {
				let value = state.storage(&key).map_err(error::state_client)?;
				Ok(json!([key, value.map(Bytes)]))
			})
			.collect::<Result<Vec<Value>, ErrorObjectOwned>>()?;
		Ok(json!([{ "block": at, "changes": changes }]))
	})?;
	module.register_blocking_method("state_getReadProof", |params, ctx, _| {
		let mut seq = params.sequence();
		let keys: Vec<Bytes> = seq.next()?;
		let at: Option<Hash> = seq.optional_next()?;
		if keys.len() > MAX_KEYS_PER_QUERY {
			return Err(error::invalid_params(format!("at most {MAX_KEYS_PER_QUERY} keys")));
		}
		let at = ctx.at_or_best(at);
		let state = ctx.chain.state_at(at).map_err(error::state_client)?;
		let proof = sp_state_machine::prove_read(state, keys.iter().map(|k| &k.0[..]))
			.map_err(error::state_client)?;
		let nodes: Vec<Bytes> = proof.into_iter_nodes().map(Bytes).collect();
		Ok(json!({ "at": at, "proof": nodes }))
	})?;

	module.register_subscription(
		"state_subscribeRuntimeVersion",
		"state_runtimeVersion",
		"state_unsubscribeRuntimeVersion",
		|_, pending, ctx, _| subscribe_runtime_version(pending, ctx),
	)?;
	module.register_alias("chain_subscribeRuntimeVersion", "state_subscribeRuntimeVersion")?;
	module.register_alias("chain_unsubscribeRuntimeVersion", "state_unsubscribeRuntimeVersion")?;
	module.register_subscription(
		"state_subscribeStorage",
		"state_storage",
		"state_unsubscribeStorage",
		|params, pending, ctx, _| subscribe_storage(params, pending, ctx),
	)?;
	Ok(())
}

fn key_at(params: &jsonrpsee::types::Params) -> Result<(Bytes, Option<Hash>), ErrorObjectOwned> {
	let mut seq = params.sequence();
	let key: Bytes = seq.next()?;
	let at: Option<Hash> = seq.optional_next()?;
	Ok((key, at))
}

fn storage(
	ctx: &RpcContext,
	at: Option<Hash>,
	key: &[u8],
) -> Result<Option<Vec<u8>>, ErrorObjectOwned> {
	let state = ctx.chain.state_at(ctx.at_or_best(at)).map_err(error::state_client)?;
	state.storage(key).map_err(error::state_client)
}

fn runtime_version(ctx: &RpcContext, at: Hash) -> Result<RuntimeVersion, ErrorObjectOwned> {
	let bytes = ctx.chain.call_at(at, "Core_version", &[]).map_err(error::state_client)?;
	RuntimeVersion::decode(&mut &bytes[..]).map_err(error::state_client)
}

/// The runtime's metadata at `at` as hex; computed once per runtime code.
fn metadata(ctx: &RpcContext, at: Hash) -> Result<String, ErrorObjectOwned> {
	let state = ctx.chain.state_at(at).map_err(error::state_client)?;
	let code_hash = state
		.storage_hash(sp_core::storage::well_known_keys::CODE)
		.map_err(error::state_client)?
		.unwrap_or_default();
	if let Some((hash, json)) = &*ctx.metadata_cache.lock().expect("never poisoned") {
		if *hash == code_hash {
			return Ok(json.clone());
		}
	}
	let bytes = ctx.chain.call_at(at, "Metadata_metadata", &[]).map_err(error::state_client)?;
	// `OpaqueMetadata` is a length-prefixed blob; the RPC returns the blob itself
	let inner = Vec::<u8>::decode(&mut &bytes[..]).map_err(error::state_client)?;
	let json = format!("0x{}", hex::encode(inner));
	*ctx.metadata_cache.lock().expect("never poisoned") = Some((code_hash, json.clone()));
	Ok(json)
}

async fn subscribe_runtime_version(
	pending: PendingSubscriptionSink,
	ctx: Arc<RpcContext>,
) -> SubscriptionResult {
	let mut events = ctx.subscribe();
	let best = ctx.chain.info().best_hash;
	let task_ctx = ctx.clone();
	let version = tokio::task::spawn_blocking(move || runtime_version(&task_ctx, best)).await?;
	let mut last = match version {
		Ok(version) => version,
		Err(e) => {
			pending.reject(e).await;
			return Ok(());
		},
	};
	let sink = pending.accept().await?;
	sink.send(to_raw(&last)).await?;
	loop {
		let hash = tokio::select! {
			_ = sink.closed() => return Ok(()),
			event = events.recv() => match event {
				Ok(ChainEvent::Imported { hash, is_best: true, .. }) => hash,
				Ok(_) => continue,
				Err(RecvError::Lagged(_)) => ctx.chain.info().best_hash,
				Err(RecvError::Closed) => return Ok(()),
			},
		};
		let task_ctx = ctx.clone();
		let Ok(Ok(version)) =
			tokio::task::spawn_blocking(move || runtime_version(&task_ctx, hash)).await
		else {
			continue;
		};
		if version != last {
			sink.send(to_raw(&version)).await?;
			last = version;
		}
	}
}

async fn subscribe_storage(
	params: jsonrpsee::types::Params<'static>,
	pending: PendingSubscriptionSink,
	ctx: Arc<RpcContext>,
) -> SubscriptionResult {
	let keys: Option<Vec<Bytes>> = match params.sequence().optional_next() {
		Ok(keys) => keys,
		Err(e) => {
			pending.reject(e).await;
			return Ok(());
		},
	};
	// Watching every key of the state is refused: it would mean diffing the whole state per
	// block. Substrate allows it only to unsafe callers.
	let keys = match keys {
		Some(keys) if !keys.is_empty() && keys.len() <= MAX_KEYS_PER_QUERY => keys,
		_ => {
			pending
				.reject(error::invalid_params(format!(
					"name between 1 and {MAX_KEYS_PER_QUERY} storage keys"
				)))
				.await;
			return Ok(());
		},
	};
	let mut events = ctx.subscribe();
	let read = {
		let ctx = ctx.clone();
		let keys = keys.clone();
		move |at: Hash| -> Option<Vec<Option<Vec<u8>>>> {
			let state = ctx.chain.state_at(at).ok()?;
			keys.iter().map(|key| state.storage(key).ok()).collect()
		}
	};
	let best = ctx.chain.info().best_hash;
	let reader = read.clone();
	let Some(mut values) = tokio::task::spawn_blocking(move || reader(best)).await? else {
		pending.reject(error::state_client("cannot read the best state")).await;
		return Ok(());
	};
	let sink = pending.accept().await?;
	// first notification: every key's current value
	let changes: Vec<Value> =
		keys.iter().zip(&values).map(|(k, v)| json!([k, v.clone().map(Bytes)])).collect();
	sink.send(to_raw(&json!({ "block": best, "changes": changes }))).await?;
	loop {
		let hash = tokio::select! {
			_ = sink.closed() => return Ok(()),
			event = events.recv() => match event {
				Ok(ChainEvent::Imported { hash, is_best: true, .. }) => hash,
				Ok(_) => continue,
				Err(RecvError::Lagged(_)) => ctx.chain.info().best_hash,
				Err(RecvError::Closed) => return Ok(()),
			},
		};
		let reader = read.clone();
		let Some(new) = tokio::task::spawn_blocking(move || reader(hash)).await? else {
			continue;
		};
		let changes: Vec<Value> = keys
			.iter()
			.zip(values.iter().zip(&new))
			.filter(|(_, (old, new))| old != new)
			.map(|(key, (_, new))| json!([key, new.clone().map(Bytes)]))
			.collect();
		values = new;
		if !changes.is_empty() {
			sink.send(to_raw(&json!({ "block": hash, "changes": changes }))).await?;
		}
	}
}
