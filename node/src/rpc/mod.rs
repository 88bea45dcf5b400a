//! Substrate's JSON-RPC API, served with jsonrpsee over HTTP and WebSocket on one port.
//!
//! Wallets and explorers (`@polkadot/api`, polkadot.js apps, polkadot-api, subxt,
//! py-substrate-interface) talk to the node through these methods without custom types: the
//! method names, aliases, JSON shapes and error codes are Substrate's.
//!
//! - [`system`]: node and chain identity, health, `system_accountNextIndex`;
//! - [`chain`]: headers, blocks and head subscriptions;
//! - [`state`]: storage, runtime calls, metadata, proofs and their subscriptions;
//! - [`author`]: transaction submission and watching (through [`crate::txpool`]), keys, and
//!   `payment_queryInfo`;
//! - [`mining`]: TOS's own `aiMining_*` views of the AI-mining market (the `AiMiningApi`
//!   runtime API);
//! - [`error`]: the error codes.
//!
//! `rpc_methods` lists every method and alias served. Unsafe methods (`author_insertKey`,
//! `author_rotateKeys`, `author_hasKey`, `author_hasSessionKeys`) answer only when the server
//! listens on localhost or `--rpc-methods unsafe` is given. Limits (connections, request and
//! response size, subscriptions per connection, an optional per-connection rate limit) and
//! CORS follow Substrate's flags and defaults.

pub mod author;
pub mod chain;
pub mod error;
pub mod mining;
pub mod state;
pub mod system;

use std::{
	net::SocketAddr,
	num::NonZeroU32,
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

use jsonrpsee::{
	core::middleware::{Batch, Notification, RpcServiceBuilder, RpcServiceT},
	server::{RandomStringIdProvider, ServerConfig, ServerHandle},
	types::{ErrorObjectOwned, Request},
	MethodResponse, RpcModule,
};
use tos_primitives::Hash;

use crate::{
	chain::{Chain, ChainEvent},
	keystore::Keystore,
	txpool::Pool,
};

/// The node's transaction pool type.
pub type TxPool = Pool<Arc<Chain>>;

/// What the RPC methods work with.
pub struct RpcContext {
	/// The chain.
	pub chain: Arc<Chain>,
	/// The chain's events, for subscriptions (see [`events_channel`]).
	pub events: tokio::sync::broadcast::Sender<ChainEvent>,
	/// The transaction pool.
	pub pool: Arc<TxPool>,
	/// The keystore, for the unsafe key methods.
	pub keystore: Arc<Keystore>,
	/// Node and chain identity for `system_*`.
	pub system: system::SystemInfo,
	/// What the network reports (peers, sync).
	pub network: Arc<crate::network::NetworkStatus>,
	/// Whether unsafe methods are refused.
	pub deny_unsafe: bool,
	/// The last metadata served, by the hash of the runtime code it came from.
	pub metadata_cache: Mutex<Option<(Hash, String)>>,
}

/// How many events a slow subscriber may fall behind before it misses some (it then sees a
/// `Lagged` error and re-reads the chain's state).
const EVENT_BUFFER: usize = 1024;

/// A broadcast channel fed with `chain`'s events.
pub fn events_channel(chain: &Chain) -> tokio::sync::broadcast::Sender<ChainEvent> {
	let (sender, _) = tokio::sync::broadcast::channel(EVENT_BUFFER);
	let forward = sender.clone();
	// no subscriber is not an error
	chain.add_listener(Box::new(move |event| drop(forward.send(event.clone()))));
	sender
}

impl RpcContext {
	/// Subscribes to the chain's events from now on.
	pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<ChainEvent> {
		self.events.subscribe()
	}

	/// `at`, or the best block when it is absent.
	pub fn at_or_best(&self, at: Option<Hash>) -> Hash {
		at.unwrap_or_else(|| self.chain.info().best_hash)
	}

	/// Refuses an unsafe call when unsafe methods are denied.
	pub fn check_unsafe(&self) -> Result<(), ErrorObjectOwned> {
		if self.deny_unsafe {
			Err(error::unsafe_denied())
		} else {
			Ok(())
		}
	}
}

/// Which methods the server exposes (`--rpc-methods`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RpcMethods {
	/// Unsafe methods only when listening on localhost.
	Auto,
	/// Only safe methods.
	Safe,
	/// Every method, wherever the server listens.
	Unsafe,
}

/// Which origins browsers may call from (`--rpc-cors`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cors {
	/// Any origin.
	All,
	/// These origins only.
	Origins(Vec<String>),
}

impl Cors {
	/// Substrate's default: any origin on a development chain; otherwise localhost and
	/// polkadot.js.org.
	pub fn default_for(dev: bool) -> Self {
		if dev {
			return Self::All;
		}
		Self::Origins(
			[
				"http://localhost:*",
				"http://127.0.0.1:*",
				"https://localhost:*",
				"https://127.0.0.1:*",
				"https://polkadot.js.org",
			]
			.map(String::from)
			.to_vec(),
		)
	}
}

/// Server settings; the defaults are Substrate's.
#[derive(Debug, Clone)]
pub struct RpcConfig {
	/// Where to listen.
	pub addr: SocketAddr,
	/// Most simultaneous connections.
	pub max_connections: u32,
	/// Largest request, in bytes.
	pub max_request_bytes: u32,
	/// Largest response, in bytes.
	pub max_response_bytes: u32,
	/// Most subscriptions per connection.
	pub max_subscriptions: u32,
	/// Notifications buffered per connection before a slow client is dropped.
	pub message_buffer: u32,
	/// Calls per minute allowed on one connection; no limit when absent.
	pub rate_limit: Option<NonZeroU32>,
	/// Allowed browser origins.
	pub cors: Cors,
	/// Which methods are exposed.
	pub methods: RpcMethods,
}

impl RpcConfig {
	/// Substrate's defaults, listening on `addr`.
	pub fn new(addr: SocketAddr, dev: bool) -> Self {
		Self {
			addr,
			max_connections: 100,
			max_request_bytes: 15 * 1024 * 1024,
			max_response_bytes: 15 * 1024 * 1024,
			max_subscriptions: 1024,
			message_buffer: 64,
			rate_limit: None,
			cors: Cors::default_for(dev),
			methods: RpcMethods::Auto,
		}
	}

	/// Whether unsafe methods are refused with these settings.
	pub fn deny_unsafe(&self) -> bool {
		match self.methods {
			RpcMethods::Safe => true,
			RpcMethods::Unsafe => false,
			RpcMethods::Auto => !self.addr.ip().is_loopback(),
		}
	}
}

/// Every method, with `rpc_methods` listing them all.
pub fn module(ctx: Arc<RpcContext>) -> anyhow::Result<RpcModule<RpcContext>> {
	let mut module = RpcModule::from_arc(ctx);
	system::register(&mut module)?;
	chain::register(&mut module)?;
	state::register(&mut module)?;
	author::register(&mut module)?;
	mining::register(&mut module)?;
	let mut names: Vec<String> = module.method_names().map(String::from).collect();
	names.push("rpc_methods".into());
	names.sort();
	let list = serde_json::json!({ "methods": names });
	module.register_method("rpc_methods", move |_, _, _| list.clone())?;
	Ok(module)
}

/// Starts the server; it runs until the handle is stopped or dropped.
pub async fn start(
	config: &RpcConfig,
	ctx: Arc<RpcContext>,
	metrics: crate::metrics::Metrics,
) -> anyhow::Result<(ServerHandle, SocketAddr)> {
	use tower_http::cors::{AllowOrigin, Any, CorsLayer};
	let cors = match &config.cors {
		Cors::All => CorsLayer::new().allow_origin(Any),
		Cors::Origins(list) => {
			let patterns = list.clone();
			CorsLayer::new().allow_origin(AllowOrigin::predicate(move |origin, _| {
				origin
					.to_str()
					.map(|o| patterns.iter().any(|p| origin_matches(p, o)))
					.unwrap_or(false)
			}))
		},
	}
	.allow_methods([http::Method::POST, http::Method::GET, http::Method::OPTIONS])
	.allow_headers([http::header::CONTENT_TYPE]);

	let server_config = ServerConfig::builder()
		.max_connections(config.max_connections)
		.max_request_body_size(config.max_request_bytes)
		.max_response_body_size(config.max_response_bytes)
		.max_subscriptions_per_connection(config.max_subscriptions)
		.set_message_buffer_capacity(config.message_buffer)
		.set_id_provider(RandomStringIdProvider::new(16))
		.build();
	let rate_limit = config.rate_limit;
	let rpc_middleware = RpcServiceBuilder::new().layer_fn(move |service| RateLimit {
		service,
		bucket: Arc::new(Mutex::new(Bucket::new(rate_limit))),
		metrics: metrics.clone(),
	});
	let server = jsonrpsee::server::Server::builder()
		.set_config(server_config)
		.set_http_middleware(tower::ServiceBuilder::new().layer(cors))
		.set_rpc_middleware(rpc_middleware)
		.build(config.addr)
		.await
		.map_err(|e| anyhow::anyhow!("cannot listen for RPC on {}: {e}", config.addr))?;
	let addr = server.local_addr()?;
	let handle = server.start(module(ctx)?);
	Ok((handle, addr))
}

/// `pattern` is an origin, optionally with `:*` for any port.
fn origin_matches(pattern: &str, origin: &str) -> bool {
	match pattern.strip_suffix(":*") {
		Some(base) => {
			origin == base
				|| origin
					.strip_prefix(base)
					.and_then(|rest| rest.strip_prefix(':'))
					.is_some_and(|port| port.chars().all(|c| c.is_ascii_digit()))
		},
		None => origin == pattern,
	}
}

/// A token bucket of calls per minute for one connection.
struct Bucket {
	per_minute: Option<NonZeroU32>,
	tokens: f64,
	last: Instant,
}

impl Bucket {
	fn new(per_minute: Option<NonZeroU32>) -> Self {
		let tokens = per_minute.map(|n| f64::from(n.get())).unwrap_or(0.0);
		Self { per_minute, tokens, last: Instant::now() }
	}

	/// Takes `n` tokens if there are enough.
	fn take(&mut self, n: usize) -> bool {
		let Some(per_minute) = self.per_minute else { return true };
		let capacity = f64::from(per_minute.get());
		let now = Instant::now();
		let refill = now.duration_since(self.last).as_secs_f64() * capacity / 60.0;
		self.last = now;
		self.tokens = (self.tokens + refill).min(capacity);
		if self.tokens >= n as f64 {
			self.tokens -= n as f64;
			true
		} else {
			false
		}
	}
}

/// Per-connection rate limiting (over the limit, a call is answered with Substrate's
/// `-32999 RPC rate limit exceeded` instead of being run), and the call counter of the
/// metrics.
#[derive(Clone)]
struct RateLimit<S> {
	service: S,
	bucket: Arc<Mutex<Bucket>>,
	metrics: crate::metrics::Metrics,
}

const RATE_LIMITED: i32 = -32999;

impl<S> RateLimit<S> {
	fn allow(&self, n: usize) -> bool {
		self.metrics.rpc_calls(n);
		self.bucket.lock().expect("the bucket lock is never poisoned").take(n)
	}
}

impl<S> RpcServiceT for RateLimit<S>
where
	S: RpcServiceT<
			MethodResponse = MethodResponse,
			BatchResponse = MethodResponse,
			NotificationResponse = MethodResponse,
		> + Send
		+ Sync
		+ Clone
		+ 'static,
{
	type MethodResponse = S::MethodResponse;
	type NotificationResponse = S::NotificationResponse;
	type BatchResponse = S::BatchResponse;

	fn call<'a>(
		&self,
		request: Request<'a>,
	) -> impl std::future::Future<Output = Self::MethodResponse> + Send + 'a {
		let allowed = self.allow(1);
		let service = self.service.clone();
		async move {
			if allowed {
				service.call(request).await
			} else {
				MethodResponse::error(
					request.id,
					error::err(RATE_LIMITED, "RPC rate limit exceeded"),
				)
			}
		}
	}

	fn batch<'a>(
		&self,
		batch: Batch<'a>,
	) -> impl std::future::Future<Output = Self::BatchResponse> + Send + 'a {
		let allowed = self.allow(batch.len());
		let service = self.service.clone();
		async move {
			if allowed {
				service.batch(batch).await
			} else {
				MethodResponse::error(
					jsonrpsee::types::Id::Null,
					error::err(RATE_LIMITED, "RPC rate limit exceeded"),
				)
			}
		}
	}

	fn notification<'a>(
		&self,
		n: Notification<'a>,
	) -> impl std::future::Future<Output = Self::NotificationResponse> + Send + 'a {
		self.service.notification(n)
	}
}

/// Serialises `value` for a subscription notification.
pub(crate) fn to_raw(value: &impl serde::Serialize) -> Box<serde_json::value::RawValue> {
	serde_json::value::to_raw_value(value).expect("our RPC types serialise; qed")
}

/// How long a subscription waits for a slow client before dropping a notification.
pub(crate) const SEND_TIMEOUT: Duration = Duration::from_secs(60);

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn origins_match_like_substrate() {
		assert!(origin_matches("http://localhost:*", "http://localhost:3000"));
		assert!(origin_matches("http://localhost:*", "http://localhost"));
		assert!(!origin_matches("http://localhost:*", "http://localhost.evil.com"));
		assert!(origin_matches("https://polkadot.js.org", "https://polkadot.js.org"));
		assert!(!origin_matches("https://polkadot.js.org", "https://polkadot.js.org.evil"));
	}

	#[test]
	fn the_bucket_refuses_past_the_limit() {
		let mut bucket = Bucket::new(NonZeroU32::new(3));
		assert!(bucket.take(1) && bucket.take(1) && bucket.take(1));
		assert!(!bucket.take(1));
		assert!(Bucket::new(None).take(1_000_000));
	}
}
