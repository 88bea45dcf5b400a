//! The chain's basic types: who signs, what is counted, how blocks look.

use sp_runtime::{
	generic,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};

/// A transaction signature: sr25519 first, ed25519 and ecdsa also accepted.
pub type Signature = MultiSignature;

/// An account is identified by the public key of its signing scheme (32 bytes).
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// The address form used in extrinsics: wallets send `MultiAddress::Id(account)`.
pub type Address = MultiAddress<AccountId, ()>;

/// An amount of TOS, in plancks (10⁻¹² TOS).
pub type Balance = u128;

/// How many transactions an account has sent.
pub type Nonce = u32;

/// A block's height.
pub type BlockNumber = u32;

/// The output of the chain's hasher, BlakeTwo256.
pub type Hash = sp_core::H256;

/// The hashing algorithm of blocks and of the state trie.
pub type Hashing = BlakeTwo256;

/// Milliseconds since the Unix epoch, as set by the timestamp inherent.
pub type Moment = u64;

/// Block and header types that a node can handle without knowing the runtime's calls: the
/// extrinsics are opaque byte strings.
pub mod opaque {
	use super::*;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// The block header: parent hash, number, state root, extrinsics root and digest.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// A block with opaque extrinsics.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// A block identified by hash or number.
	pub type BlockId = generic::BlockId<Block>;
}
