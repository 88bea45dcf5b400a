//! The wire protocol between TOS nodes: one request–response protocol whose name contains the
//! genesis hash (`/tos/<genesis hex>/sync/1`), so nodes of two chains never talk past each
//! other — the protocol negotiation fails and they disconnect.
//!
//! Every message is SCALE, length-prefixed with a `u32` (little endian). A message longer than
//! its limit, or one that does not decode, is an I/O error: the request fails and the peer is
//! punished (see [`super::peers`]).

use std::io;

use codec::{Decode, Encode};
use futures::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use libp2p::StreamProtocol;

use crate::consensus::grandpa::{CatchUp, GossipMessage};
use tos_primitives::{
	opaque::{Block, Header, UncheckedExtrinsic as OpaqueExtrinsic},
	BlockNumber, Hash,
};

/// Largest request: a batch of transactions.
pub const MAX_REQUEST_BYTES: usize = 4 * 1024 * 1024;
/// Largest response: a range of blocks.
pub const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// Most blocks one response carries.
pub const MAX_BLOCKS_PER_RESPONSE: u32 = 128;

/// The protocol name of the chain whose genesis is `genesis`.
pub fn protocol_name(genesis: &Hash) -> StreamProtocol {
	StreamProtocol::try_from_owned(format!("/tos/{}/sync/1", hex::encode(genesis.as_bytes())))
		.expect("the name starts with a slash")
}

/// Where a node stands: exchanged when two nodes connect.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct Status {
	/// The best block's number.
	pub best_number: BlockNumber,
	/// The best block's hash.
	pub best_hash: Hash,
	/// The last finalized block's number.
	pub finalized_number: BlockNumber,
	/// Whether the node authors blocks.
	pub authority: bool,
}

/// Where a block range starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
pub enum FromBlock {
	/// A block by hash (any fork).
	Hash(Hash),
	/// A block of the responder's best chain by number.
	Number(BlockNumber),
}

/// Which way a block range goes from its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Encode, Decode)]
pub enum Direction {
	/// Towards the head: `from`, its child on the best chain, …
	Ascending,
	/// Towards genesis: `from`, its parent, … (follows any fork).
	Descending,
}

/// A request for blocks.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct BlockRequest {
	/// The first block.
	pub from: FromBlock,
	/// The direction.
	pub direction: Direction,
	/// At most this many blocks (the responder caps it at [`MAX_BLOCKS_PER_RESPONSE`] and at
	/// [`MAX_RESPONSE_BYTES`]).
	pub max: u32,
}

/// A block, with its finality proofs if it has any (Substrate's `Justifications`).
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub struct BlockData {
	/// The block.
	pub block: Block,
	/// `(engine id, proof)` pairs — GRANDPA's is `FRNK`.
	pub justifications: Option<Vec<([u8; 4], Vec<u8>)>>,
}

/// What a node asks another.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub enum Request {
	/// "Here is where I stand; where do you?"
	Status(Status),
	/// A new block (the header), sent by its author and by every node that makes it its best.
	Announce(Header),
	/// Blocks, for sync.
	Blocks(BlockRequest),
	/// Transactions to add to the pool (and pass on).
	Transactions(Vec<OpaqueExtrinsic>),
	/// A GRANDPA vote or commit (checked, passed on).
	Grandpa(GossipMessage),
	/// "I am in GRANDPA round `round` of set `set_id`; send your last completed round if it
	/// is at least that."
	CatchUp {
		/// The voter set.
		set_id: u64,
		/// The asker's round.
		round: u64,
	},
}

/// The answer to a [`Request`].
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub enum Response {
	/// The responder's status.
	Status(Status),
	/// Received (announcements and transactions).
	Ack,
	/// The blocks asked for, in the order asked; fewer (or none) if the responder has fewer.
	Blocks(Vec<BlockData>),
	/// The responder's last completed GRANDPA round, if it is recent enough.
	CatchUp(Option<CatchUp>),
}

/// A request as read off the wire: the request, or why it could not be read. (libp2p drops
/// a stream whose request fails to read without telling anyone, so a malformed request is
/// passed up as a value, for its sender to be punished.)
pub type Incoming = Result<Request, String>;

/// The request–response codec: SCALE with a `u32` length prefix and size limits.
#[derive(Debug, Clone, Default)]
pub struct Codec;

async fn read_message<T: AsyncRead + Unpin + Send, M: Decode>(
	io: &mut T,
	limit: usize,
) -> io::Result<M> {
	let mut len = [0u8; 4];
	io.read_exact(&mut len).await?;
	let len = u32::from_le_bytes(len) as usize;
	if len > limit {
		return Err(io::Error::new(
			io::ErrorKind::InvalidData,
			format!("message of {len} bytes exceeds the limit of {limit}"),
		));
	}
	// read as it arrives: a peer announcing a large message it never sends holds no memory
	let mut bytes = Vec::new();
	io.take(len as u64).read_to_end(&mut bytes).await?;
	if bytes.len() != len {
		return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "message cut short"));
	}
	let mut input = &bytes[..];
	let message = M::decode(&mut input)
		.map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("undecodable: {e}")))?;
	if !input.is_empty() {
		return Err(io::Error::new(io::ErrorKind::InvalidData, "trailing bytes"));
	}
	Ok(message)
}

async fn write_message<T: AsyncWrite + Unpin + Send, M: Encode>(
	io: &mut T,
	message: &M,
	limit: usize,
) -> io::Result<()> {
	let bytes = message.encode();
	if bytes.len() > limit {
		return Err(io::Error::new(io::ErrorKind::InvalidInput, "message too large"));
	}
	io.write_all(&(bytes.len() as u32).to_le_bytes()).await?;
	io.write_all(&bytes).await?;
	io.close().await
}

#[async_trait::async_trait]
impl libp2p::request_response::Codec for Codec {
	type Protocol = StreamProtocol;
	type Request = Incoming;
	type Response = Response;

	async fn read_request<T: AsyncRead + Unpin + Send>(
		&mut self,
		_: &StreamProtocol,
		io: &mut T,
	) -> io::Result<Incoming> {
		match read_message(io, MAX_REQUEST_BYTES).await {
			Ok(request) => Ok(Ok(request)),
			Err(e) if e.kind() == io::ErrorKind::InvalidData => Ok(Err(e.to_string())),
			Err(e) => Err(e),
		}
	}

	async fn read_response<T: AsyncRead + Unpin + Send>(
		&mut self,
		_: &StreamProtocol,
		io: &mut T,
	) -> io::Result<Response> {
		read_message(io, MAX_RESPONSE_BYTES).await
	}

	async fn write_request<T: AsyncWrite + Unpin + Send>(
		&mut self,
		_: &StreamProtocol,
		io: &mut T,
		request: Incoming,
	) -> io::Result<()> {
		let request = request.map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
		write_message(io, &request, MAX_REQUEST_BYTES).await
	}

	async fn write_response<T: AsyncWrite + Unpin + Send>(
		&mut self,
		_: &StreamProtocol,
		io: &mut T,
		response: Response,
	) -> io::Result<()> {
		write_message(io, &response, MAX_RESPONSE_BYTES).await
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use futures::executor::block_on;

	#[test]
	fn messages_round_trip_and_garbage_is_refused() {
		let request = Request::Blocks(BlockRequest {
			from: FromBlock::Number(7),
			direction: Direction::Ascending,
			max: 64,
		});
		let mut wire = Vec::new();
		block_on(write_message(&mut futures::io::Cursor::new(&mut wire), &request, 1024)).unwrap();
		let read: Request =
			block_on(read_message(&mut futures::io::Cursor::new(&wire[..]), 1024)).unwrap();
		assert_eq!(read, request);

		// an unknown variant
		let mut garbage = 3u32.to_le_bytes().to_vec();
		garbage.extend([9, 9, 9]);
		let err =
			block_on(read_message::<_, Request>(&mut futures::io::Cursor::new(&garbage[..]), 1024))
				.unwrap_err();
		assert_eq!(err.kind(), io::ErrorKind::InvalidData);

		// a length over the limit is refused before anything is read
		let huge = (2 * 1024u32).to_le_bytes();
		let err =
			block_on(read_message::<_, Request>(&mut futures::io::Cursor::new(&huge[..]), 1024))
				.unwrap_err();
		assert!(err.to_string().contains("exceeds the limit"), "{err}");

		// trailing bytes after a valid message
		let mut trailing = wire.clone();
		trailing[0] += 1;
		trailing.push(0);
		let err = block_on(read_message::<_, Request>(
			&mut futures::io::Cursor::new(&trailing[..]),
			1024,
		))
		.unwrap_err();
		assert!(err.to_string().contains("trailing"), "{err}");
	}

	#[test]
	fn protocol_names_differ_per_genesis() {
		let a = protocol_name(&Hash::repeat_byte(1));
		let b = protocol_name(&Hash::repeat_byte(2));
		assert_ne!(a, b);
		assert!(a.as_ref().starts_with("/tos/0101"));
	}
}
