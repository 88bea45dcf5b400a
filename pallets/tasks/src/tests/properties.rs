//! A property test: random sequences of calls and blocks conserve money and keep holds equal
//! to storage.

use super::*;

/// Random sequences of calls and blocks: after every step the total issuance is down by exactly
/// the network fees burned and every account's holds equal the escrows, deposits and bonds in storage (nothing leaks, not
/// even to accounts storage no longer mentions).
#[test]
fn money_is_conserved_through_random_sequences_of_calls_and_blocks() {
	/// xorshift64*: deterministic, so a failure replays from its seed.
	struct Rng(u64);
	impl Rng {
		fn next(&mut self, below: u64) -> u64 {
			self.0 ^= self.0 >> 12;
			self.0 ^= self.0 << 25;
			self.0 ^= self.0 >> 27;
			self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % below.max(1)
		}
	}
	// how often each kind of call succeeded, to know the sequences reach every phase
	let mut done = [0u32; 5];
	for seed in 1..=40u64 {
		new_test_ext().execute_with(|| {
			let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
			let issuance = Balances::total_issuance();
			forget_burns();
			for step in 0..150 {
				let next_id = crate::NextTaskId::<Test>::get();
				let task = rng.next(next_id + 1);
				let miner = [MINER_A, MINER_B, MINER_C, PAUPER][rng.next(4) as usize];
				let kind = rng.next(7);
				let result = match kind {
					0 => Tasks::publish_task(
						RuntimeOrigin::signed(PUBLISHER),
						TaskSpec {
							reward: 10 + rng.next(500),
							commit_blocks: 2 + rng.next(6),
							reveal_blocks: 2 + rng.next(6),
							max_solutions: 1 + rng.next(3) as u32,
							..spec()
						},
					),
					1 => Tasks::cancel_task(RuntimeOrigin::signed(PUBLISHER), task),
					2 | 3 => {
						let hash = commitment_of(
							&solution(miner),
							&fingerprint(miner),
							&salt(miner),
							&miner,
						);
						Tasks::commit_solution(RuntimeOrigin::signed(miner), task, hash)
					},
					4 | 5 => reveal(task, miner),
					_ => {
						let to = System::block_number() + 1 + rng.next(4);
						run_to_block(to);
						Ok(())
					},
				};
				if result.is_ok() && kind < 6 {
					done[[0, 1, 2, 2, 3, 3][kind as usize]] += 1;
				}
				if System::events().iter().any(|e| {
					matches!(e.event, RuntimeEvent::Tasks(Event::ValidationStarted { .. }))
				}) {
					done[4] += 1;
				}
				crate::Pallet::<Test>::do_try_state()
					.unwrap_or_else(|e| panic!("seed {seed} step {step}: {e:?}"));
				let expected = crate::Pallet::<Test>::expected_holds();
				for who in ACCOUNTS {
					for reason in 0..4u8 {
						let held = held(crate::Pallet::<Test>::hold_reason(reason), who);
						let stored = expected.get(&(who, reason)).copied().unwrap_or(0);
						assert_eq!(
							held, stored,
							"seed {seed} step {step}: account {who} reason {reason}"
						);
					}
				}
				assert_eq!(
					Balances::total_issuance(),
					issuance - burned(),
					"seed {seed} step {step}"
				);
			}
		});
	}
	let [published, cancelled, committed, revealed, validated] = done;
	assert!(
		published > 100 && cancelled > 5 && committed > 100 && revealed > 5 && validated > 5,
		"the sequences exercise every phase: {done:?}"
	);
}
