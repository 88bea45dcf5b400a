//! `tos-node key generate | inspect | insert`: account and session keys in the formats of
//! Substrate's `key` tool (secret URIs such as `//Alice` or a mnemonic phrase with `//hard`
//! and `/soft` derivations and `///password`, SS58 addresses with the chain's prefix 42).

use sp_core::{
	crypto::{KeyTypeId, Ss58Codec},
	ecdsa, ed25519, sr25519, Pair,
};

use crate::cli::{KeyCmd, KeyScheme, SharedParams};

/// Runs a `key` subcommand, printing to standard output.
pub fn run(cmd: &KeyCmd) -> anyhow::Result<()> {
	match cmd {
		KeyCmd::Generate { scheme } => {
			let phrase = match scheme {
				KeyScheme::Sr25519 => sr25519::Pair::generate_with_phrase(None).1,
				KeyScheme::Ed25519 => ed25519::Pair::generate_with_phrase(None).1,
				KeyScheme::Ecdsa => ecdsa::Pair::generate_with_phrase(None).1,
			};
			print!("{}", describe(&phrase, *scheme)?);
			Ok(())
		},
		KeyCmd::Inspect { uri, scheme } => {
			print!("{}", describe(uri, *scheme)?);
			Ok(())
		},
		KeyCmd::Insert { suri, key_type, scheme, shared } => {
			insert(suri, key_type, *scheme, shared)
		},
	}
}

/// What `key inspect` prints for `uri`: a secret URI (phrase, seed or derivation) or an
/// SS58 address / hex public key.
pub fn describe(uri: &str, scheme: KeyScheme) -> anyhow::Result<String> {
	match scheme {
		KeyScheme::Sr25519 => describe_with::<sr25519::Pair>(uri, "sr25519"),
		KeyScheme::Ed25519 => describe_with::<ed25519::Pair>(uri, "ed25519"),
		KeyScheme::Ecdsa => describe_with::<ecdsa::Pair>(uri, "ecdsa"),
	}
}

fn describe_with<P: Pair>(uri: &str, scheme: &str) -> anyhow::Result<String>
where
	P::Public: Ss58Codec + AsRef<[u8]>,
{
	if let Ok((pair, seed)) = P::from_string_with_seed(uri, None) {
		let public = pair.public();
		let account = account_id(public.as_ref());
		let seed =
			seed.map(|s| format!("0x{}", hex::encode(s.as_ref()))).unwrap_or_else(|| "n/a".into());
		let heading = if uri.split_whitespace().count() >= 12 && !uri.contains('/') {
			format!("Secret phrase:       {uri}")
		} else {
			format!("Secret Key URI `{uri}` is account:")
		};
		return Ok(format!(
			"{heading}\n  Network ID:        substrate\n  Secret seed:       {seed}\n  Public key (hex):  0x{}\n  Account ID:        0x{}\n  Public key (SS58): {}\n  SS58 Address:      {}\n  Scheme:            {scheme}\n",
			hex::encode(public.as_ref()),
			hex::encode(account),
			public.to_ss58check(),
			sp_runtime::AccountId32::from(account).to_ss58check(),
		));
	}
	let public = P::Public::from_ss58check(uri)
		.or_else(|_| {
			let bytes = hex::decode(uri.trim_start_matches("0x")).map_err(|_| ())?;
			P::Public::try_from(&bytes[..]).map_err(|_| ())
		})
		.map_err(|_| {
			anyhow::anyhow!(
				"`{uri}` is neither a secret URI (phrase, 0x seed, //derivation) nor an SS58 address or hex public key"
			)
		})?;
	let account = account_id(public.as_ref());
	Ok(format!(
		"Public Key URI `{uri}` is account:\n  Network ID/Version: substrate\n  Public key (hex):   0x{}\n  Account ID:         0x{}\n  Public key (SS58):  {}\n  SS58 Address:       {}\n",
		hex::encode(public.as_ref()),
		hex::encode(account),
		public.to_ss58check(),
		sp_runtime::AccountId32::from(account).to_ss58check(),
	))
}

/// The account id of a public key: the key itself when it has 32 bytes (sr25519, ed25519),
/// else its BLAKE2-256 hash (ecdsa), as `MultiSigner` does.
fn account_id(public: &[u8]) -> [u8; 32] {
	<[u8; 32]>::try_from(public).unwrap_or_else(|_| sp_io::hashing::blake2_256(public))
}

/// Stores `suri` in the keystore of the chain `shared` names, under `key_type` (`aura`, `gran`
/// or any four characters).
fn insert(
	suri: &str,
	key_type: &str,
	scheme: KeyScheme,
	shared: &SharedParams,
) -> anyhow::Result<()> {
	let key_type = KeyTypeId::try_from(key_type)
		.map_err(|_| anyhow::anyhow!("a key type has four characters, such as `aura` or `gran`"))?;
	let public: Vec<u8> = match scheme {
		KeyScheme::Sr25519 => sr25519::Pair::from_string(suri, None).map(|p| p.public().0.to_vec()),
		KeyScheme::Ed25519 => ed25519::Pair::from_string(suri, None).map(|p| p.public().0.to_vec()),
		KeyScheme::Ecdsa => ecdsa::Pair::from_string(suri, None).map(|p| p.public().0.to_vec()),
	}
	.map_err(|e| anyhow::anyhow!("invalid secret URI: {e:?}"))?;
	let base = crate::service::BasePath::from_params(shared)?;
	let executor = crate::executor::NodeExecutor::new();
	let spec = crate::service::load_spec(shared, &executor)?;
	let path = base.keystore(&spec.id);
	crate::keystore::Keystore::open(&path)?.add(key_type, suri, &public)?;
	println!("0x{} stored in {}", hex::encode(&public), path.display());
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn inspecting_alice_gives_the_well_known_address() {
		let out = describe("//Alice", KeyScheme::Sr25519).unwrap();
		assert!(
			out.contains("SS58 Address:      5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"),
			"{out}"
		);
		let out = describe("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", KeyScheme::Sr25519)
			.unwrap();
		assert!(
			out.contains("0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"),
			"{out}"
		);
		// ed25519 //Alice, as Substrate's key tool prints it
		let out = describe("//Alice", KeyScheme::Ed25519).unwrap();
		assert!(
			out.contains("0x88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee"),
			"{out}"
		);
	}

	#[test]
	fn a_phrase_and_its_derivations_are_described() {
		let phrase = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";
		// the dev phrase is Alice's root: //Alice derives from it
		let root = describe(phrase, KeyScheme::Sr25519).unwrap();
		assert!(root.starts_with("Secret phrase:"), "{root}");
		let alice = describe(&format!("{phrase}//Alice"), KeyScheme::Sr25519).unwrap();
		assert!(alice.contains("5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"), "{alice}");
	}

	#[test]
	fn garbage_is_a_clear_error() {
		let err = describe("not a key", KeyScheme::Sr25519).unwrap_err().to_string();
		assert!(err.contains("neither a secret URI"), "{err}");
	}
}
