//! Every column of the node's database, declared once.
//!
//! Keys are fixed-width so that RocksDB's ordering is meaningful: block hashes are their 32
//! bytes, block numbers are 4 bytes big-endian (so the canonical index iterates in height
//! order).

/// A column of the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
	/// Block hash → SCALE-encoded header (with its seal).
	Headers,
	/// Block hash → SCALE-encoded `Vec` of opaque extrinsics.
	Bodies,
	/// Block hash → SCALE-encoded justifications (GRANDPA finality proofs).
	Justifications,
	/// Block number (u32 big-endian) → hash of the canonical (best chain) block at that height.
	Canonical,
	/// Prefixed trie-node key → trie node: the state of every kept block, shared between
	/// blocks where their tries share nodes.
	State,
	/// Named pointers: [`meta::BEST`], [`meta::FINALIZED`], [`meta::GENESIS`], and the
	/// pruning mode and progress.
	Meta,
	/// Pruned mode only: prefixed trie-node key → its reference count (u32 little endian), the
	/// number of kept insertions of the node not yet taken back.
	StateRefs,
	/// Pruned mode only: block number (u32 big-endian) ++ block hash → the trie nodes the block
	/// inserted and removed, until pruning has dealt with the block.
	Journal,
}

impl Column {
	/// Every column, in declaration order.
	pub const ALL: [Column; 8] = [
		Column::Headers,
		Column::Bodies,
		Column::Justifications,
		Column::Canonical,
		Column::State,
		Column::Meta,
		Column::StateRefs,
		Column::Journal,
	];

	/// The RocksDB column-family name.
	pub const fn name(self) -> &'static str {
		match self {
			Column::Headers => "headers",
			Column::Bodies => "bodies",
			Column::Justifications => "justifications",
			Column::Canonical => "canonical",
			Column::State => "state",
			Column::Meta => "meta",
			Column::StateRefs => "state_refs",
			Column::Journal => "journal",
		}
	}
}

/// Keys of the [`Column::Meta`] column.
pub mod meta {
	/// Hash of the best block.
	pub const BEST: &[u8] = b"best";
	/// Hash of the last finalized block.
	pub const FINALIZED: &[u8] = b"finalized";
	/// Hash of the genesis block.
	pub const GENESIS: &[u8] = b"genesis";
	/// The database layout version, to refuse opening an incompatible database.
	pub const VERSION: &[u8] = b"version";
	/// The state pruning mode the database was created with (`archive` or a u32 LE).
	pub const PRUNING: &[u8] = b"pruning";
	/// Pruned mode: the height up to which canonical blocks' removals were applied (u32 LE).
	pub const PRUNED: &[u8] = b"pruned";
	/// Pruned mode: the height up to which forks were discarded (u32 LE).
	pub const DISCARDED: &[u8] = b"discarded";
}

/// The current database layout version.
pub const DB_VERSION: u32 = 1;

/// The key of block `number` in [`Column::Canonical`].
pub fn number_key(number: u32) -> [u8; 4] {
	number.to_be_bytes()
}
