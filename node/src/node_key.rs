//! The node's network identity: an Ed25519 key kept in `<base>/chains/<id>/network/
//! secret_ed25519` (32 raw bytes, Substrate's file), and the libp2p peer id derived from it.
//! The key is created on the first start, so the peer id stays the same across restarts.

use std::{fs, path::Path};

use sp_core::{ed25519, Pair as _};

/// The file name of the node key.
pub const FILE: &str = "secret_ed25519";

/// Loads the node key in `dir`, creating a random one if there is none.
pub fn load_or_create(dir: &Path) -> anyhow::Result<ed25519::Pair> {
	let path = dir.join(FILE);
	if path.exists() {
		let bytes = fs::read(&path)?;
		let seed: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
			anyhow::anyhow!("{}: a node key is 32 bytes, found {}", path.display(), bytes.len())
		})?;
		return Ok(ed25519::Pair::from_seed(&seed));
	}
	fs::create_dir_all(dir)?;
	let (pair, seed) = ed25519::Pair::generate();
	fs::write(&path, seed)?;
	#[cfg(unix)]
	fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
	Ok(pair)
}

/// The libp2p peer id of an Ed25519 public key: the identity multihash of its protobuf
/// encoding (`KeyType::Ed25519 = 1`, 32 data bytes), in base58 — `12D3KooW…`.
pub fn peer_id_of(public: &ed25519::Public) -> String {
	let mut protobuf = vec![0x08, 0x01, 0x12, 0x20];
	protobuf.extend_from_slice(public.as_ref());
	let mut multihash = vec![0x00, protobuf.len() as u8];
	multihash.extend_from_slice(&protobuf);
	bs58::encode(multihash).into_string()
}

/// The node key from `--node-key` (hex of a 32-byte seed), or else the one in `dir`.
pub fn from_option_or_dir(hex_key: Option<&str>, dir: &Path) -> anyhow::Result<ed25519::Pair> {
	match hex_key {
		Some(hex_key) => {
			let bytes = hex::decode(hex_key.trim_start_matches("0x"))
				.map_err(|e| anyhow::anyhow!("--node-key is not hex: {e}"))?;
			let seed: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
				anyhow::anyhow!("--node-key must be 32 bytes of hex, found {}", bytes.len())
			})?;
			Ok(ed25519::Pair::from_seed(&seed))
		},
		None => load_or_create(dir),
	}
}

/// The libp2p identity of a node key.
pub fn to_libp2p(pair: &ed25519::Pair) -> libp2p::identity::Keypair {
	libp2p::identity::Keypair::ed25519_from_bytes(pair.seed())
		.expect("a 32-byte seed is a valid Ed25519 secret key")
}

/// The peer id of the node key in `dir` (created if missing).
pub fn peer_id(dir: &Path) -> anyhow::Result<String> {
	Ok(peer_id_of(&load_or_create(dir)?.public()))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn peer_ids_look_like_libp2p_and_survive_a_restart() {
		let dir = tempfile::tempdir().unwrap();
		let first = peer_id(dir.path()).unwrap();
		assert!(first.starts_with("12D3KooW"), "{first}");
		assert_eq!(peer_id(dir.path()).unwrap(), first);
		// libp2p derives the same peer id from the key
		let pair = load_or_create(dir.path()).unwrap();
		assert_eq!(to_libp2p(&pair).public().to_peer_id().to_string(), first);
		fs::write(dir.path().join(FILE), b"short").unwrap();
		assert!(peer_id(dir.path()).unwrap_err().to_string().contains("32 bytes"));
	}
}
