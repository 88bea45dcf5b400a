//! `author_*`: submitting and watching transactions, the node's keys; and `payment_queryInfo`.

use std::sync::Arc;

use codec::{Decode, Encode};
use jsonrpsee::{
	core::SubscriptionResult, types::ErrorObjectOwned, PendingSubscriptionSink, RpcModule,
};
use sp_core::{crypto::KeyTypeId, Bytes};
use sp_keystore::{Keystore as _, KeystoreExt};
use sp_runtime::OpaqueExtrinsic;
use tos_primitives::{Balance, Hash};

use super::{error, to_raw, RpcContext, SEND_TIMEOUT};

/// Registers `author_*` and `payment_queryInfo`.
pub fn register(module: &mut RpcModule<RpcContext>) -> anyhow::Result<()> {
	module.register_blocking_method("author_submitExtrinsic", |params, ctx, _| {
		let xt = extrinsic(params.one()?)?;
		ctx.pool.submit(xt).map_err(error::pool)
	})?;
	module.register_subscription(
		"author_submitAndWatchExtrinsic",
		"author_extrinsicUpdate",
		"author_unwatchExtrinsic",
		|params, pending, ctx, _| submit_and_watch(params, pending, ctx),
	)?;
	module.register_method("author_pendingExtrinsics", |_, ctx, _| {
		ctx.pool.pending().into_iter().map(|xt| Bytes(xt.encode())).collect::<Vec<_>>()
	})?;

	module.register_method("author_insertKey", |params, ctx, _| {
		ctx.check_unsafe()?;
		let mut seq = params.sequence();
		let key_type: String = seq.next()?;
		let suri: String = seq.next()?;
		let public: Bytes = seq.next()?;
		let key_type = key_type_id(&key_type)?;
		ctx.keystore
			.add(key_type, &suri, &public)
			.map_err(|e| error::err(error::AUTHOR_OTHER, e.to_string()))
	})?;
	module.register_method("author_hasKey", |params, ctx, _| {
		ctx.check_unsafe()?;
		let mut seq = params.sequence();
		let public: Bytes = seq.next()?;
		let key_type: String = seq.next()?;
		let key_type = key_type_id(&key_type)?;
		Ok::<_, ErrorObjectOwned>(ctx.keystore.has_keys(&[(public.0, key_type)]))
	})?;
	module.register_blocking_method("author_hasSessionKeys", |params, ctx, _| {
		ctx.check_unsafe()?;
		let keys: Bytes = params.one()?;
		let best = ctx.chain.info().best_hash;
		let out = ctx
			.chain
			.call_at(best, "SessionKeys_decode_session_keys", &keys.0.encode())
			.map_err(|e| error::err(error::AUTHOR_OTHER, e.to_string()))?;
		let decoded = Option::<Vec<(Vec<u8>, KeyTypeId)>>::decode(&mut &out[..])
			.map_err(|e| error::err(error::AUTHOR_OTHER, e.to_string()))?
			.ok_or_else(|| {
				error::err(error::AUTHOR_OTHER, "Session keys are not encoded correctly")
			})?;
		Ok::<_, ErrorObjectOwned>(ctx.keystore.has_keys(&decoded))
	})?;
	module.register_blocking_method("author_rotateKeys", |_, ctx, _| {
		ctx.check_unsafe()?;
		let best = ctx.chain.info().best_hash;
		let mut extensions = sp_externalities::Extensions::default();
		extensions.register(KeystoreExt::from(ctx.keystore.clone()));
		// SessionKeys API v2: (owner, seed) → { keys, proof }
		let input = (Vec::<u8>::new(), Option::<Vec<u8>>::None).encode();
		let out = ctx
			.chain
			.call_at_with(best, "SessionKeys_generate_session_keys", &input, extensions)
			.map_err(|e| error::err(error::AUTHOR_OTHER, e.to_string()))?;
		let generated = sp_session::OpaqueGeneratedSessionKeys::decode(&mut &out[..])
			.map_err(|e| error::err(error::AUTHOR_OTHER, e.to_string()))?;
		Ok::<_, ErrorObjectOwned>(Bytes(generated.keys))
	})?;

	module.register_blocking_method("payment_queryInfo", |params, ctx, _| {
		let mut seq = params.sequence();
		let xt: Bytes = seq.next()?;
		let at: Option<Hash> = seq.optional_next()?;
		let len = xt.len() as u32;
		let mut input = xt.0;
		len.encode_to(&mut input);
		let out = ctx
			.chain
			.call_at(ctx.at_or_best(at), "TransactionPaymentApi_query_info", &input)
			.map_err(|e| {
				ErrorObjectOwned::owned(
					error::PAYMENT_RUNTIME,
					"Unable to query dispatch info.",
					Some(e.to_string()),
				)
			})?;
		let info =
			pallet_transaction_payment::RuntimeDispatchInfo::<Balance, sp_runtime::Weight>::decode(
				&mut &out[..],
			)
			.map_err(|e| {
				ErrorObjectOwned::owned(2, "Unable to decode dispatch info.", Some(e.to_string()))
			})?;
		Ok::<_, ErrorObjectOwned>(info)
	})?;
	Ok(())
}

fn key_type_id(s: &str) -> Result<KeyTypeId, ErrorObjectOwned> {
	let bytes: [u8; 4] = s.as_bytes().try_into().map_err(|_| {
		error::err(error::BAD_KEY_TYPE, "Invalid key type ID format (should be of length four)")
	})?;
	Ok(KeyTypeId(bytes))
}

/// An extrinsic as wallets send it: its SCALE encoding (a length-prefixed blob), nothing more.
fn extrinsic(bytes: Bytes) -> Result<OpaqueExtrinsic, ErrorObjectOwned> {
	let mut input = &bytes[..];
	let xt = OpaqueExtrinsic::decode(&mut input).map_err(error::bad_format)?;
	if !input.is_empty() {
		return Err(error::bad_format(format!("{} bytes after the extrinsic", input.len())));
	}
	Ok(xt)
}

async fn submit_and_watch(
	params: jsonrpsee::types::Params<'static>,
	pending: PendingSubscriptionSink,
	ctx: Arc<RpcContext>,
) -> SubscriptionResult {
	let xt = match params.one::<Bytes>().and_then(extrinsic) {
		Ok(xt) => xt,
		Err(e) => {
			pending.reject(e).await;
			return Ok(());
		},
	};
	let pool = ctx.pool.clone();
	let submitted = tokio::task::spawn_blocking(move || pool.submit_and_watch(xt)).await?;
	let mut watcher = match submitted {
		Ok((_, watcher)) => watcher,
		Err(e) => {
			pending.reject(error::pool(e)).await;
			return Ok(());
		},
	};
	let sink = pending.accept().await?;
	loop {
		tokio::select! {
			_ = sink.closed() => return Ok(()),
			status = watcher.recv() => {
				let Some(status) = status else { return Ok(()) };
				let last = status.is_final();
				sink.send_timeout(to_raw(&status), SEND_TIMEOUT).await.map_err(|e| e.to_string())?;
				if last {
					return Ok(());
				}
			},
		}
	}
}
