//! The node's on-disk [`Database`]: RocksDB with one column family per [`Column`].

use std::path::Path;

use rocksdb::{ColumnFamilyDescriptor, IteratorMode, Options, WriteBatch, DB};

use super::{
	columns::{meta, DB_VERSION},
	Column, Database, DbError, Transaction,
};

/// RocksDB, opened with every column family of [`Column::ALL`].
pub struct RocksDb {
	db: DB,
}

fn backend(e: rocksdb::Error) -> DbError {
	DbError::Backend(e.into_string())
}

impl RocksDb {
	/// Opens (creating if needed) the database at `path`, and checks its layout version.
	pub fn open(path: &Path) -> Result<Self, DbError> {
		let mut options = Options::default();
		options.create_if_missing(true);
		options.create_missing_column_families(true);
		options.set_max_open_files(512);
		options.increase_parallelism(2);
		let families = Column::ALL.iter().map(|c| {
			let mut cf = Options::default();
			if *c == Column::State {
				// Trie nodes are read by key only; a larger write buffer batches their
				// many small inserts.
				cf.set_write_buffer_size(64 * 1024 * 1024);
			}
			ColumnFamilyDescriptor::new(c.name(), cf)
		});
		let db = DB::open_cf_descriptors(&options, path, families).map_err(backend)?;
		let this = Self { db };
		this.check_version()?;
		Ok(this)
	}

	fn check_version(&self) -> Result<(), DbError> {
		match self.get(Column::Meta, meta::VERSION)? {
			None => {
				let mut tx = Transaction::new();
				tx.set(Column::Meta, meta::VERSION, DB_VERSION.to_le_bytes().to_vec());
				self.write(tx)
			},
			Some(bytes) => {
				let found = <[u8; 4]>::try_from(&bytes[..])
					.map(u32::from_le_bytes)
					.map_err(|_| DbError::Backend("malformed version entry".into()))?;
				if found == DB_VERSION {
					Ok(())
				} else {
					Err(DbError::Version { found, expected: DB_VERSION })
				}
			},
		}
	}

	fn cf(&self, column: Column) -> Result<&rocksdb::ColumnFamily, DbError> {
		self.db
			.cf_handle(column.name())
			.ok_or_else(|| DbError::Backend(format!("missing column family {}", column.name())))
	}
}

impl Database for RocksDb {
	fn get(&self, column: Column, key: &[u8]) -> Result<Option<Vec<u8>>, DbError> {
		self.db.get_cf(self.cf(column)?, key).map_err(backend)
	}

	fn write(&self, transaction: Transaction) -> Result<(), DbError> {
		let mut batch = WriteBatch::default();
		for (column, key, value) in &transaction.ops {
			let cf = self.cf(*column)?;
			match value {
				Some(value) => batch.put_cf(cf, key, value),
				None => batch.delete_cf(cf, key),
			}
		}
		self.db.write(batch).map_err(backend)
	}

	fn keys_with_prefix(&self, column: Column, prefix: &[u8]) -> Result<Vec<Vec<u8>>, DbError> {
		let mut keys = Vec::new();
		let iter = self
			.db
			.iterator_cf(self.cf(column)?, IteratorMode::From(prefix, rocksdb::Direction::Forward));
		for item in iter {
			let (key, _) = item.map_err(backend)?;
			if !key.starts_with(prefix) {
				break;
			}
			keys.push(key.to_vec());
		}
		Ok(keys)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn writes_are_atomic_and_survive_reopening() {
		let dir = tempfile::tempdir().unwrap();
		{
			let db = RocksDb::open(dir.path()).unwrap();
			let mut tx = Transaction::new();
			tx.set(Column::Headers, b"h1".to_vec(), b"header".to_vec());
			tx.set(Column::Canonical, 1u32.to_be_bytes().to_vec(), b"h1".to_vec());
			db.write(tx).unwrap();
		}
		let db = RocksDb::open(dir.path()).unwrap();
		assert_eq!(db.get(Column::Headers, b"h1").unwrap(), Some(b"header".to_vec()));
		assert_eq!(db.get(Column::Canonical, &1u32.to_be_bytes()).unwrap(), Some(b"h1".to_vec()));
		assert_eq!(db.get(Column::Bodies, b"h1").unwrap(), None);
	}

	#[test]
	fn a_database_of_another_layout_version_is_refused() {
		let dir = tempfile::tempdir().unwrap();
		{
			let db = RocksDb::open(dir.path()).unwrap();
			let mut tx = Transaction::new();
			tx.set(Column::Meta, meta::VERSION, 99u32.to_le_bytes().to_vec());
			db.write(tx).unwrap();
		}
		assert!(matches!(
			RocksDb::open(dir.path()),
			Err(DbError::Version { found: 99, expected: DB_VERSION })
		));
	}

	#[test]
	fn keys_with_prefix_stops_at_the_prefix() {
		let dir = tempfile::tempdir().unwrap();
		let db = RocksDb::open(dir.path()).unwrap();
		let mut tx = Transaction::new();
		for key in [&b"aa"[..], b"ab", b"b", b"a"] {
			tx.set(Column::State, key.to_vec(), b"v".to_vec());
		}
		db.write(tx).unwrap();
		assert_eq!(
			db.keys_with_prefix(Column::State, b"a").unwrap(),
			vec![b"a".to_vec(), b"aa".to_vec(), b"ab".to_vec()]
		);
	}
}
