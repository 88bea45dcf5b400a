//! The node's keystore: the secret keys of this node's authority roles, one file per key in
//! `<base>/chains/<id>/keystore`, in Substrate's layout (file name: the hex of the 4-byte key
//! type followed by the hex of the public key; content: the secret URI as a JSON string), so
//! keys can be moved between a Substrate node and this one.
//!
//! It implements [`sp_keystore::Keystore`], so the runtime can use it through the
//! `KeystoreExt` externalities extension: `author_rotateKeys` runs
//! `SessionKeys_generate_session_keys`, whose key generation lands here and is persisted.
//! Keys generated from an explicit seed (dev keys) stay in memory only, as in Substrate.

use std::{
	fs,
	io::Write,
	path::{Path, PathBuf},
};

use sp_core::{
	crypto::{KeyTypeId, Pair as _},
	ecdsa, ed25519, sr25519,
};
use sp_keystore::{testing::MemoryKeystore, Error, Keystore as _};

/// A keystore backed by a folder (or only memory, for tests and `--tmp` without a path).
pub struct Keystore {
	path: Option<PathBuf>,
	memory: MemoryKeystore,
}

impl Keystore {
	/// A keystore that forgets its keys when dropped.
	pub fn in_memory() -> Self {
		Self { path: None, memory: MemoryKeystore::new() }
	}

	/// Opens (creating it if needed) the keystore in `path` and loads its keys.
	pub fn open(path: &Path) -> anyhow::Result<Self> {
		fs::create_dir_all(path)?;
		let keystore = Self { path: Some(path.to_path_buf()), memory: MemoryKeystore::new() };
		for entry in fs::read_dir(path)? {
			let entry = entry?;
			let name = entry.file_name().to_string_lossy().into_owned();
			let Some((key_type, public)) = parse_file_name(&name) else {
				tracing::warn!(target: "keystore", "ignoring {name}: not a key file");
				continue;
			};
			let suri: String = serde_json::from_slice(&fs::read(entry.path())?)
				.map_err(|e| anyhow::anyhow!("keystore file {name}: {e}"))?;
			keystore
				.memory
				.insert(key_type, &suri, &public)
				.map_err(|()| anyhow::anyhow!("keystore file {name} cannot be loaded"))?;
		}
		Ok(keystore)
	}

	/// Stores `suri` as the secret of `public` for `key_type` (`author_insertKey`).
	pub fn add(&self, key_type: KeyTypeId, suri: &str, public: &[u8]) -> anyhow::Result<()> {
		if let Some(dir) = &self.path {
			let file = dir.join(format!("{}{}", hex::encode(key_type.0), hex::encode(public)));
			let mut options = fs::OpenOptions::new();
			options.write(true).create(true).truncate(true);
			#[cfg(unix)]
			std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
			let mut out = options.open(&file)?;
			out.write_all(serde_json::to_string(suri)?.as_bytes())?;
			out.sync_all()?;
		}
		self.memory
			.insert(key_type, suri, public)
			.map_err(|()| anyhow::anyhow!("the key cannot be stored"))
	}
}

impl Keystore {
	/// The sr25519 key pairs of `key_type` stored on disk (read afresh, so keys inserted while
	/// the node runs count at once). An in-memory keystore has none to offer.
	pub fn sr25519_pairs(&self, key_type: KeyTypeId) -> Vec<sr25519::Pair> {
		self.pairs(key_type)
	}

	/// The ed25519 key pairs of `key_type` stored on disk (GRANDPA's `gran` keys).
	pub fn ed25519_pairs(&self, key_type: KeyTypeId) -> Vec<ed25519::Pair> {
		self.pairs(key_type)
	}

	fn pairs<P: sp_core::Pair>(&self, key_type: KeyTypeId) -> Vec<P> {
		use sp_core::crypto::ByteArray as _;
		let Some(dir) = &self.path else { return Vec::new() };
		let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
		let mut pairs = Vec::new();
		for entry in entries.flatten() {
			let name = entry.file_name().to_string_lossy().into_owned();
			let Some((kt, public)) = parse_file_name(&name) else { continue };
			if kt != key_type {
				continue;
			}
			let Ok(suri) = fs::read(entry.path())
				.map_err(|_| ())
				.and_then(|bytes| serde_json::from_slice::<String>(&bytes).map_err(|_| ()))
			else {
				continue;
			};
			if let Ok(pair) = P::from_string(&suri, None) {
				if pair.public().to_raw_vec() == public {
					pairs.push(pair);
				}
			}
		}
		pairs
	}
}

fn parse_file_name(name: &str) -> Option<(KeyTypeId, Vec<u8>)> {
	let bytes = hex::decode(name).ok()?;
	if bytes.len() <= 4 {
		return None;
	}
	let key_type = KeyTypeId(bytes[..4].try_into().ok()?);
	Some((key_type, bytes[4..].to_vec()))
}

/// Generates a fresh key of `P`, stores it, and returns its public key; with a `seed` the key
/// is only kept in memory.
macro_rules! generate {
	($self:ident, $pair:ty, $key_type:ident, $seed:ident, $memory_fn:ident) => {{
		if $seed.is_some() {
			return $self.memory.$memory_fn($key_type, $seed);
		}
		let (pair, phrase, _) = <$pair>::generate_with_phrase(None);
		let public = pair.public();
		$self.add($key_type, &phrase, public.as_ref()).map_err(|e| Error::Other(e.to_string()))?;
		Ok(public)
	}};
}

impl sp_keystore::Keystore for Keystore {
	fn sr25519_public_keys(&self, key_type: KeyTypeId) -> Vec<sr25519::Public> {
		self.memory.sr25519_public_keys(key_type)
	}
	fn sr25519_generate_new(
		&self,
		key_type: KeyTypeId,
		seed: Option<&str>,
	) -> Result<sr25519::Public, Error> {
		generate!(self, sr25519::Pair, key_type, seed, sr25519_generate_new)
	}
	fn sr25519_sign(
		&self,
		key_type: KeyTypeId,
		public: &sr25519::Public,
		msg: &[u8],
	) -> Result<Option<sr25519::Signature>, Error> {
		self.memory.sr25519_sign(key_type, public, msg)
	}
	fn sr25519_vrf_sign(
		&self,
		key_type: KeyTypeId,
		public: &sr25519::Public,
		data: &sr25519::vrf::VrfSignData,
	) -> Result<Option<sr25519::vrf::VrfSignature>, Error> {
		self.memory.sr25519_vrf_sign(key_type, public, data)
	}
	fn sr25519_vrf_pre_output(
		&self,
		key_type: KeyTypeId,
		public: &sr25519::Public,
		input: &sr25519::vrf::VrfInput,
	) -> Result<Option<sr25519::vrf::VrfPreOutput>, Error> {
		self.memory.sr25519_vrf_pre_output(key_type, public, input)
	}
	fn ed25519_public_keys(&self, key_type: KeyTypeId) -> Vec<ed25519::Public> {
		self.memory.ed25519_public_keys(key_type)
	}
	fn ed25519_generate_new(
		&self,
		key_type: KeyTypeId,
		seed: Option<&str>,
	) -> Result<ed25519::Public, Error> {
		generate!(self, ed25519::Pair, key_type, seed, ed25519_generate_new)
	}
	fn ed25519_sign(
		&self,
		key_type: KeyTypeId,
		public: &ed25519::Public,
		msg: &[u8],
	) -> Result<Option<ed25519::Signature>, Error> {
		self.memory.ed25519_sign(key_type, public, msg)
	}
	fn ecdsa_public_keys(&self, key_type: KeyTypeId) -> Vec<ecdsa::Public> {
		self.memory.ecdsa_public_keys(key_type)
	}
	fn ecdsa_generate_new(
		&self,
		key_type: KeyTypeId,
		seed: Option<&str>,
	) -> Result<ecdsa::Public, Error> {
		generate!(self, ecdsa::Pair, key_type, seed, ecdsa_generate_new)
	}
	fn ecdsa_sign(
		&self,
		key_type: KeyTypeId,
		public: &ecdsa::Public,
		msg: &[u8],
	) -> Result<Option<ecdsa::Signature>, Error> {
		self.memory.ecdsa_sign(key_type, public, msg)
	}
	fn ecdsa_sign_prehashed(
		&self,
		key_type: KeyTypeId,
		public: &ecdsa::Public,
		msg: &[u8; 32],
	) -> Result<Option<ecdsa::Signature>, Error> {
		self.memory.ecdsa_sign_prehashed(key_type, public, msg)
	}
	fn insert(&self, key_type: KeyTypeId, suri: &str, public: &[u8]) -> Result<(), ()> {
		self.add(key_type, suri, public).map_err(|_| ())
	}
	fn keys(&self, key_type: KeyTypeId) -> Result<Vec<Vec<u8>>, Error> {
		self.memory.keys(key_type)
	}
	fn has_keys(&self, public_keys: &[(Vec<u8>, KeyTypeId)]) -> bool {
		self.memory.has_keys(public_keys)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn generated_and_inserted_keys_survive_a_reopen() {
		let dir = tempfile::tempdir().unwrap();
		let aura = KeyTypeId(*b"aura");
		let generated = {
			let keystore = Keystore::open(dir.path()).unwrap();
			let alice = sr25519::Pair::from_string("//Alice", None).unwrap().public();
			keystore.add(aura, "//Alice", alice.as_ref()).unwrap();
			keystore.sr25519_generate_new(aura, None).unwrap()
		};
		let keystore = Keystore::open(dir.path()).unwrap();
		let alice = sr25519::Pair::from_string("//Alice", None).unwrap().public();
		assert!(keystore.has_keys(&[(alice.to_vec(), aura)]));
		assert!(keystore.has_keys(&[(generated.to_vec(), aura)]));
		let signature = keystore.sr25519_sign(aura, &generated, b"msg").unwrap().unwrap();
		assert!(sr25519::Pair::verify(&signature, b"msg", &generated));
		assert!(!keystore.has_keys(&[(alice.to_vec(), KeyTypeId(*b"gran"))]));
	}
}
