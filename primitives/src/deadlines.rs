//! A queue of deadlines keyed by block that never loses one and does bounded work per block:
//! the task and validation pallets move their tasks and rounds through it.
//!
//! Each deadline is its own storage entry, `(block, task) → ()`, so scheduling never fails
//! and storage grows only with the live tasks (each has at most a couple of entries). The hook
//! takes at most `max` due entries per block, oldest block first, from a cursor: entries a full
//! block leaves behind are taken by the next blocks, before anything newer. The cursor moves
//! over at most `max_scan` empty blocks per call, which is faster than time, so it catches up.

use alloc::vec::Vec;
use codec::FullCodec;
use frame_support::storage::{IterableStorageDoubleMap, StorageDoubleMap, StorageValue};
use sp_runtime::traits::{One, Saturating};

use crate::mining::TaskId;

/// The queue over a pallet's `Queue: (block, task) → ()` double map and `Cursor: block` value.
pub struct Deadlines<Queue, Cursor, BlockNumber>(
	core::marker::PhantomData<(Queue, Cursor, BlockNumber)>,
);

/// What one call of [`Deadlines::take_due`] did.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Due {
	/// The tasks whose deadline is due, oldest first.
	pub tasks: Vec<TaskId>,
	/// The blocks the cursor moved over.
	pub scanned: u32,
}

impl<Queue, Cursor, BlockNumber> Deadlines<Queue, Cursor, BlockNumber>
where
	Queue: StorageDoubleMap<BlockNumber, TaskId, (), Query = Option<()>>
		+ IterableStorageDoubleMap<BlockNumber, TaskId, ()>,
	Cursor: StorageValue<BlockNumber, Query = BlockNumber>,
	BlockNumber: FullCodec + Copy + Ord + Saturating + One,
{
	/// Queues `task` at block `at` (or at the cursor, if `at` is behind it).
	pub fn schedule(at: BlockNumber, task: TaskId) {
		Queue::insert(at.max(Cursor::get()), task, ());
	}

	/// Takes up to `max` deadlines due by `now` (oldest first), moving the cursor over at most
	/// `max_scan` blocks.
	pub fn take_due(now: BlockNumber, max: u32, max_scan: u32) -> Due {
		Self::take_due_while(now, max, max_scan, |_| true)
	}

	/// Like [`Self::take_due`], but asks `admit` before taking each due deadline: the first
	/// one it refuses stays queued, first in line for the next call, and this call stops. A
	/// hook that prices each deadline by its size takes as many as its budget holds.
	pub fn take_due_while(
		now: BlockNumber,
		max: u32,
		max_scan: u32,
		mut admit: impl FnMut(TaskId) -> bool,
	) -> Due {
		let mut cursor = Cursor::get();
		let mut due = Due::default();
		'blocks: while cursor <= now && (due.tasks.len() as u32) < max && due.scanned < max_scan {
			let room = max as usize - due.tasks.len();
			// one more than fits tells whether the block is drained
			let found: Vec<TaskId> = Queue::iter_key_prefix(cursor).take(room + 1).collect();
			let drained = found.len() <= room;
			for task in found.into_iter().take(room) {
				if !admit(task) {
					break 'blocks;
				}
				Queue::remove(cursor, task);
				due.tasks.push(task);
			}
			if !drained {
				break;
			}
			cursor = cursor.saturating_add(One::one());
			due.scanned += 1;
		}
		Cursor::put(cursor);
		due
	}

	/// Whether `task` has a deadline queued (for invariant checks; iterates the queue).
	pub fn contains(task: TaskId) -> bool {
		Queue::iter().any(|(_, t, _)| t == task)
	}
}
