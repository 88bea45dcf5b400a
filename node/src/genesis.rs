//! Genesis configs from runtime presets.
//!
//! A runtime serves its genesis presets as JSON *patches* over its default config
//! (`GenesisBuilder_get_preset(None)`); a node merges the patch into the default before it
//! asks the runtime to `build_state`.

use serde_json::Value;

/// Merges `patch` into `base`: objects key by key, recursively; any other value (numbers,
/// strings, arrays, null) replaces what was there.
pub fn merge_json(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) => {
			for (key, value) in patch {
				merge_json(base.entry(key).or_insert(Value::Null), value);
			}
		},
		(base, patch) => *base = patch,
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	#[test]
	fn objects_merge_key_by_key() {
		let mut base =
			json!({"balances": {"balances": [], "devAccounts": null}, "sudo": {"key": null}});
		merge_json(&mut base, json!({"balances": {"balances": [["a", 1]]}}));
		assert_eq!(
			base,
			json!({"balances": {"balances": [["a", 1]], "devAccounts": null}, "sudo": {"key": null}})
		);
	}

	#[test]
	fn arrays_and_scalars_are_replaced_whole() {
		let mut base = json!({"a": [1, 2, 3], "b": 1, "c": {"d": 1}});
		merge_json(&mut base, json!({"a": [9], "b": "x", "c": null}));
		assert_eq!(base, json!({"a": [9], "b": "x", "c": null}));
	}

	#[test]
	fn new_keys_are_added() {
		let mut base = json!({});
		merge_json(&mut base, json!({"new": {"nested": true}}));
		assert_eq!(base, json!({"new": {"nested": true}}));
	}
}
