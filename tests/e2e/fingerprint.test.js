// The JavaScript TOS-SimHash-256 (fingerprint.js) against the Rust one
// (tos_primitives::fingerprint): the same vectors as its unit tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { hamming, simhash } from './fingerprint.js';

test('the fingerprint is the documented algorithm, byte for byte', async () => {
  await cryptoWaitReady();
  assert.equal(
    u8aToHex(simhash('Write a sorting function: fn sort(v: &mut [u64]) { v.sort_unstable() } — in place, O(n log n).')),
    '0x055ff646092ae26048f9139525ad59889ca5dbdf75ee7c8810a78622965cd766'
  );
  assert.deepEqual(simhash(''), new Uint8Array(32));
  assert.deepEqual(simhash('Hello!'), blake2AsU8a('tos-fp-v1hello'));
  assert.deepEqual(simhash('Hello, World!'), simhash('world HELLO'));
  assert.equal(hamming(simhash('Hello, World!'), simhash('Hello, World!')), 0);
  assert.ok(hamming(simhash('one text about sorting'), simhash('another about hashing maps')) > 20);
});
