//! `system_*`: what the node is, which chain it follows, and how it is doing.

use codec::{Decode, Encode};
use jsonrpsee::RpcModule;
use serde_json::{json, Value};
use sp_core::crypto::{AccountId32, Ss58Codec};

use super::{error, RpcContext};

/// Node and chain identity.
#[derive(Debug, Clone)]
pub struct SystemInfo {
	/// The node implementation's name.
	pub impl_name: String,
	/// Its version.
	pub impl_version: String,
	/// The chain spec's name.
	pub chain_name: String,
	/// The chain type as Substrate serialises it (`"Development"`, `"Local"`, `"Live"`).
	pub chain_type: Value,
	/// The chain spec's properties (token symbol, decimals, SS58 format).
	pub properties: Value,
	/// This node's libp2p peer id.
	pub peer_id: String,
}

/// Registers `system_*`.
pub fn register(module: &mut RpcModule<RpcContext>) -> anyhow::Result<()> {
	module.register_method("system_name", |_, ctx, _| ctx.system.impl_name.clone())?;
	module.register_method("system_version", |_, ctx, _| ctx.system.impl_version.clone())?;
	module.register_method("system_chain", |_, ctx, _| ctx.system.chain_name.clone())?;
	module.register_method("system_chainType", |_, ctx, _| ctx.system.chain_type.clone())?;
	module.register_method("system_properties", |_, ctx, _| ctx.system.properties.clone())?;
	module.register_method("system_localPeerId", |_, ctx, _| ctx.system.peer_id.clone())?;
	module.register_method("system_health", |_, ctx, _| {
		let sync = ctx.network.sync_state();
		json!({
			"peers": ctx.network.peers().len(),
			"isSyncing": sync.is_major_syncing,
			// a development chain is a single node
			"shouldHavePeers": ctx.system.chain_type != json!("Development"),
		})
	})?;
	module.register_method("system_peers", |_, ctx, _| {
		ctx.check_unsafe()?;
		let peers: Vec<Value> = ctx
			.network
			.peers()
			.into_iter()
			.map(|p| {
				json!({
					"peerId": p.peer_id,
					"roles": p.roles,
					"bestHash": format!("{:?}", p.best_hash),
					"bestNumber": p.best_number,
				})
			})
			.collect();
		Ok::<_, jsonrpsee::types::ErrorObjectOwned>(peers)
	})?;
	module.register_method("system_localListenAddresses", |_, ctx, _| {
		ctx.network.listen_addresses()
	})?;
	module.register_method("system_nodeRoles", |_, _, _| json!(["Authority"]))?;
	module.register_method("system_syncState", |_, ctx, _| {
		let sync = ctx.network.sync_state();
		let best = ctx.chain.info().best_number;
		json!({
			"startingBlock": sync.starting_block,
			"currentBlock": best,
			"highestBlock": sync.highest_block.max(best),
		})
	})?;
	module.register_blocking_method("system_accountNextIndex", |params, ctx, _| {
		let account: String = params.one().map_err(|e| error::invalid_params(e.message()))?;
		let account = AccountId32::from_ss58check(&account)
			.or_else(|_| {
				// a hex public key is accepted too, as Substrate's AccountId32 accepts it
				let bytes = array_bytes(&account).ok_or(())?;
				Ok::<_, ()>(AccountId32::new(bytes))
			})
			.map_err(|()| error::invalid_params(format!("invalid account {account}")))?;
		let best = ctx.chain.info().best_hash;
		let bytes = ctx
			.chain
			.call_at(best, "AccountNonceApi_account_nonce", &account.encode())
			.map_err(error::state_client)?;
		let mut nonce = u32::decode(&mut &bytes[..]).map_err(error::state_client)?;
		// transactions in the pool take the next nonces: FRAME's `CheckNonce` provides the
		// tag `(account, nonce)`
		while ctx.pool.is_provided(&(account.clone(), nonce).encode()) {
			nonce += 1;
		}
		Ok::<_, jsonrpsee::types::ErrorObjectOwned>(nonce)
	})?;
	module.register_alias("account_nextIndex", "system_accountNextIndex")?;
	Ok(())
}

fn array_bytes(hex_str: &str) -> Option<[u8; 32]> {
	let bytes = hex::decode(hex_str.strip_prefix("0x")?).ok()?;
	bytes.try_into().ok()
}
