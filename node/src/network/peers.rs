//! Peer reputation and bans (pure bookkeeping; the network acts on its answers).
//!
//! Every peer starts at 0. Misbehaviour costs points; a peer that falls to
//! [`BAN_THRESHOLD`] or below is disconnected and refused for [`BAN_DURATION`]. Sending
//! something undecodable or an invalid block is fatal at once; a slow or failed request
//! costs a little, so a peer is banned only if it keeps failing.

use std::{
	collections::HashMap,
	hash::Hash,
	time::{Duration, Instant},
};

/// At or below this reputation a peer is banned.
pub const BAN_THRESHOLD: i32 = -100;
/// How much reputation comes back per [`PeerBook::decay`].
pub const DECAY: i32 = 2;
/// How long a ban lasts.
pub const BAN_DURATION: Duration = Duration::from_secs(120);

/// What a peer did wrong, and what it costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offence {
	/// A message that does not decode, or is over the size limit.
	BadMessage,
	/// A block that fails verification (seal, execution, state root).
	BadBlock,
	/// A block response that is not what was asked for.
	BadResponse,
	/// A transaction the runtime says is invalid (bad signature, undecodable call…).
	BadTransaction,
	/// A request that timed out.
	Timeout,
}

impl Offence {
	/// The reputation this costs.
	pub fn cost(self) -> i32 {
		match self {
			Offence::BadMessage | Offence::BadBlock => BAN_THRESHOLD,
			Offence::BadResponse => -50,
			Offence::BadTransaction => -20,
			Offence::Timeout => -10,
		}
	}
}

/// Reputations and bans.
#[derive(Debug)]
pub struct PeerBook<P> {
	reputation: HashMap<P, i32>,
	banned: HashMap<P, Instant>,
}

impl<P: Eq + Hash + Clone> Default for PeerBook<P> {
	fn default() -> Self {
		Self { reputation: HashMap::new(), banned: HashMap::new() }
	}
}

impl<P: Eq + Hash + Clone> PeerBook<P> {
	/// Records `offence` by `peer` at `now`. Returns `true` when the peer is banned by it.
	pub fn report(&mut self, peer: &P, offence: Offence, now: Instant) -> bool {
		let score = self.reputation.entry(peer.clone()).or_insert(0);
		*score = score.saturating_add(offence.cost());
		if *score <= BAN_THRESHOLD && !self.banned.contains_key(peer) {
			self.banned.insert(peer.clone(), now + BAN_DURATION);
			return true;
		}
		false
	}

	/// Whether `peer` is banned.
	pub fn is_banned(&self, peer: &P) -> bool {
		self.banned.contains_key(peer)
	}

	/// A peer's reputation.
	pub fn reputation(&self, peer: &P) -> i32 {
		self.reputation.get(peer).copied().unwrap_or(0)
	}

	/// Lifts the bans that ended by `now` (the peers start again from 0); returns them.
	pub fn expire(&mut self, now: Instant) -> Vec<P> {
		let ended: Vec<P> = self
			.banned
			.iter()
			.filter(|(_, until)| **until <= now)
			.map(|(p, _)| p.clone())
			.collect();
		for peer in &ended {
			self.banned.remove(peer);
			self.reputation.remove(peer);
		}
		ended
	}

	/// Forgives a little: every unbanned peer's reputation moves [`DECAY`] towards 0 (called
	/// every few seconds), so an honest peer's occasional timeouts never add up to a ban.
	pub fn decay(&mut self) {
		let banned = &self.banned;
		self.reputation.retain(|peer, score| {
			if !banned.contains_key(peer) {
				*score = (*score + DECAY).min(0);
			}
			*score != 0 || banned.contains_key(peer)
		});
	}

	/// Forgets a disconnected peer's reputation unless it is banned (a ban outlives the
	/// connection).
	pub fn disconnected(&mut self, peer: &P) {
		if !self.banned.contains_key(peer) {
			self.reputation.remove(peer);
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn fatal_offences_ban_at_once_and_bans_expire() {
		let mut book = PeerBook::default();
		let now = Instant::now();
		assert!(book.report(&1, Offence::BadMessage, now));
		assert!(book.is_banned(&1));
		// a second offence does not ban again
		assert!(!book.report(&1, Offence::BadBlock, now));
		assert!(book.expire(now + Duration::from_secs(1)).is_empty());
		assert_eq!(book.expire(now + BAN_DURATION), vec![1]);
		assert!(!book.is_banned(&1));
		assert_eq!(book.reputation(&1), 0);
	}

	#[test]
	fn reputation_recovers_with_time() {
		let mut book = PeerBook::default();
		let now = Instant::now();
		book.report(&1, Offence::Timeout, now);
		assert_eq!(book.reputation(&1), -10);
		for _ in 0..4 {
			book.decay();
		}
		assert_eq!(book.reputation(&1), -2);
		book.decay();
		assert_eq!(book.reputation(&1), 0);
		book.decay();
		assert_eq!(book.reputation(&1), 0, "never above zero");
	}

	#[test]
	fn small_offences_add_up() {
		let mut book = PeerBook::default();
		let now = Instant::now();
		for _ in 0..9 {
			assert!(!book.report(&2, Offence::Timeout, now));
		}
		assert_eq!(book.reputation(&2), -90);
		assert!(book.report(&2, Offence::Timeout, now));
		// a disconnection does not wash a ban away
		book.disconnected(&2);
		assert!(book.is_banned(&2));
		// but it forgets an unbanned peer's small offences
		book.report(&3, Offence::BadTransaction, now);
		book.disconnected(&3);
		assert_eq!(book.reputation(&3), 0);
	}
}
