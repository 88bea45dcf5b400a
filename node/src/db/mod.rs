//! The database: a key-value store with columns and atomic multi-column writes.
//!
//! The chain logic talks to a [`Database`], not to RocksDB, so it can be tested with the
//! in-memory [`MemoryDb`]; the node runs on [`RocksDb`]. Every imported block is one
//! [`Transaction`], written atomically: after a crash the database holds the block whole or
//! not at all.

pub mod columns;
mod memory;
mod rocks;

pub use columns::Column;
pub use memory::MemoryDb;
pub use rocks::RocksDb;

/// A failed database operation.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
	/// The underlying store failed.
	#[error("database error: {0}")]
	Backend(String),
	/// The database was written by an incompatible version of the node.
	#[error("database layout version {found} is not supported (expected {expected})")]
	Version {
		/// The version found on disk.
		found: u32,
		/// The version this node writes.
		expected: u32,
	},
}

/// A set of writes applied atomically.
#[derive(Default, Debug, Clone)]
pub struct Transaction {
	/// `(column, key, Some(value))` to set, `(column, key, None)` to delete, in order.
	pub ops: Vec<(Column, Vec<u8>, Option<Vec<u8>>)>,
}

impl Transaction {
	/// An empty transaction.
	pub fn new() -> Self {
		Self::default()
	}

	/// Sets `key` in `column` to `value`.
	pub fn set(&mut self, column: Column, key: impl Into<Vec<u8>>, value: impl Into<Vec<u8>>) {
		self.ops.push((column, key.into(), Some(value.into())));
	}

	/// Deletes `key` from `column`.
	pub fn delete(&mut self, column: Column, key: impl Into<Vec<u8>>) {
		self.ops.push((column, key.into(), None));
	}
}

/// A column-oriented key-value store with atomic writes.
pub trait Database: Send + Sync {
	/// The value of `key` in `column`.
	fn get(&self, column: Column, key: &[u8]) -> Result<Option<Vec<u8>>, DbError>;

	/// Applies every operation of `transaction` atomically.
	fn write(&self, transaction: Transaction) -> Result<(), DbError>;

	/// Every key of `column` that starts with `prefix`, in order.
	fn keys_with_prefix(&self, column: Column, prefix: &[u8]) -> Result<Vec<Vec<u8>>, DbError>;
}
