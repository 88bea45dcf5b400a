//! An in-memory [`Database`] for tests and `--tmp`-style throwaway runs.

use std::{collections::BTreeMap, sync::RwLock};

use super::{Column, Database, DbError, Transaction};

/// Every entry, keyed by column and key.
type Entries = BTreeMap<(Column, Vec<u8>), Vec<u8>>;

/// A [`Database`] held in memory.
#[derive(Default)]
pub struct MemoryDb {
	columns: RwLock<Entries>,
}

impl MemoryDb {
	/// An empty database.
	pub fn new() -> Self {
		Self::default()
	}

	/// How many entries `column` holds.
	pub fn len(&self, column: Column) -> usize {
		self.columns
			.read()
			.expect("lock is never poisoned")
			.keys()
			.filter(|(c, _)| *c == column)
			.count()
	}
}

impl Database for MemoryDb {
	fn get(&self, column: Column, key: &[u8]) -> Result<Option<Vec<u8>>, DbError> {
		let columns = self.columns.read().map_err(|e| DbError::Backend(e.to_string()))?;
		Ok(columns.get(&(column, key.to_vec())).cloned())
	}

	fn write(&self, transaction: Transaction) -> Result<(), DbError> {
		let mut columns = self.columns.write().map_err(|e| DbError::Backend(e.to_string()))?;
		for (column, key, value) in transaction.ops {
			match value {
				Some(value) => columns.insert((column, key), value),
				None => columns.remove(&(column, key)),
			};
		}
		Ok(())
	}

	fn keys_with_prefix(&self, column: Column, prefix: &[u8]) -> Result<Vec<Vec<u8>>, DbError> {
		let columns = self.columns.read().map_err(|e| DbError::Backend(e.to_string()))?;
		Ok(columns
			.range((column, prefix.to_vec())..)
			.take_while(|((c, k), _)| *c == column && k.starts_with(prefix))
			.map(|((_, k), _)| k.clone())
			.collect())
	}
}
