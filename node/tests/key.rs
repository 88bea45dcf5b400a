//! `tos-node key`, run as a user runs it.

use std::process::Command;

const NODE: &str = env!("CARGO_BIN_EXE_tos-node");

fn key(args: &[&str]) -> (bool, String, String) {
	let out = Command::new(NODE).arg("key").args(args).output().expect("the node runs");
	(
		out.status.success(),
		String::from_utf8_lossy(&out.stdout).into_owned(),
		String::from_utf8_lossy(&out.stderr).into_owned(),
	)
}

fn field(out: &str, name: &str) -> String {
	out.lines()
		.find_map(|l| l.trim().strip_prefix(name).map(|v| v.trim().to_string()))
		.unwrap_or_else(|| panic!("no {name} in {out}"))
}

#[test]
fn a_generated_phrase_inspects_to_the_same_account() {
	let (ok, generated, _) = key(&["generate"]);
	assert!(ok, "{generated}");
	let phrase = field(&generated, "Secret phrase:");
	assert_eq!(phrase.split_whitespace().count(), 12);
	let (ok, inspected, _) = key(&["inspect", &phrase]);
	assert!(ok);
	assert_eq!(field(&inspected, "SS58 Address:"), field(&generated, "SS58 Address:"));
	// two generations differ
	let (_, again, _) = key(&["generate"]);
	assert_ne!(field(&again, "Secret phrase:"), phrase);
}

#[test]
fn insert_stores_the_key_in_the_chain_keystore_and_bad_input_is_refused() {
	let base = tempfile::tempdir().unwrap();
	let base_path = base.path().to_str().unwrap();
	let (ok, out, err) = key(&[
		"insert",
		"--suri",
		"//Bob",
		"--key-type",
		"aura",
		"--chain",
		"local",
		"--base-path",
		base_path,
	]);
	assert!(ok, "{out}{err}");
	// Substrate's layout: hex(key type) ++ hex(public key), the secret URI as JSON
	let file = base.path().join("chains/local_testnet/keystore").join(
		"61757261".to_owned() + "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48",
	);
	assert_eq!(std::fs::read_to_string(file).unwrap(), "\"//Bob\"");
	let (ok, _, err) =
		key(&["insert", "--suri", "not a uri", "--key-type", "aura", "--base-path", base_path]);
	assert!(!ok);
	assert!(err.contains("invalid secret URI"), "{err}");
	let (ok, _, err) =
		key(&["insert", "--suri", "//Bob", "--key-type", "toolong", "--base-path", base_path]);
	assert!(!ok);
	assert!(err.contains("four characters"), "{err}");
	let (ok, _, err) = key(&["inspect", "garbage"]);
	assert!(!ok);
	assert!(err.contains("neither a secret URI"), "{err}");
}
