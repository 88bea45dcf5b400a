// The whole market end to end with the reference wallet (issues 7, 16, 17): the story of
// market.js against `tos-node --dev --sealing instant`, with every reward and forfeit checked
// from balances and events read over JSON-RPC, and the outcome read back through `aiMining_*`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startNode } from './node.js';
import { REWARD, UNIT, rpc, runMarket } from './market.js';

let node;
let api;
let provider;

before(async () => {
  await cryptoWaitReady();
  node = await startNode(['--dev', '--sealing', 'instant']);
  provider = new WsProvider(node.endpoint);
  api = await ApiPromise.create({ provider, noInitWarn: true });
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

const bps = (bp) => REWARD * BigInt(bp) / 10_000n;
function proRata (pot, weights) {
  const total = weights.reduce((a, b) => a + b, 0n);
  return weights.map((w) => (total === 0n ? 0n : pot * w / total));
}

test('publish, mine (one copy under a false fingerprint), validate and settle: every reward and forfeit to the planck', async () => {
  const story = await runMarket(api, provider);
  const { taskId, task, nameOf } = story;
  const bond = task.submissionBond.toBigInt();
  assert.equal(bond, REWARD * 2n / 100n, 'a commitment bonds 2 % of the reward');

  // the chain's filter could not pair Dave's copy with Bob's (a fresh hash, a made-up
  // fingerprint), and no automatic detector flagged anyone; the panel's verdict excluded it
  assert.deepEqual(story.flags, []);
  assert.deepEqual([...story.solvers].sort(), ['Bob', 'Charlie', 'Dave']);
  assert.deepEqual([...story.panel].sort(), ['AliceStash', 'Eve', 'Ferdie']);
  const daveAt = story.solvers.indexOf('Dave');
  assert.equal(story.judgements[daveAt].fingerprintOk, false, 'the validators recomputed the fingerprint');
  assert.equal(story.solvers[story.judgements[daveAt].copyOf], 'Bob', 'and found the copy by content');
  assert.deepEqual(story.rejected, ['Dave']);
  assert.deepEqual(story.forfeited, [{ who: 'Dave', bond, reason: 'FalseFingerprint' }]);

  // the split, computed here from the rules: winners (quality ≥ 60) by quality 40 %,
  // innovation 20 %, earliness 10 %; no participant; validators 12.5 % by accuracy × weight.
  // Committing at the earliest allowed block is worth the whole, in the last block nothing.
  const window = BigInt(task.commitEnd.toNumber() - task.earliestCommit.toNumber());
  const early = (name) => {
    const left = BigInt(task.commitEnd.toNumber() - story.committedAt[name] - 1);
    return (left < window - 1n ? left : window - 1n) * 1_000_000_000n / (window - 1n);
  };
  const winners = ['Bob', 'Charlie'];
  const q = proRata(bps(4_000), winners.map((w) => BigInt(story.opinion[w].quality)));
  const i = proRata(bps(2_000), winners.map((w) => BigInt(story.opinion[w].innovation)));
  const t = proRata(bps(1_000), winners.map(early));
  const validators = ['Eve', 'Ferdie', 'AliceStash'];
  const v = proRata(bps(1_250), validators.map((name) => 100n * story.panelWeights[name]));
  const expected = {
    Bob: q[0] + i[0] + t[0],
    Charlie: q[1] + i[1] + t[1],
    Dave: -bond,
    Eve: v[0],
    Ferdie: v[1],
    AliceStash: v[2]
  };
  const total = (b) => b.free + b.held;
  for (const [name, amount] of Object.entries(expected)) {
    assert.equal(total(story.after[name]) - total(story.before[name]), amount, `${name}'s gain`);
  }
  // Bob's and Charlie's bonds came back, Dave's did not; the miners' pay vests (held until
  // the task is cleaned up, a day later), the validators' is free at once
  for (const name of ['Bob', 'Charlie']) {
    assert.equal(story.after[name].free - story.before[name].free, bond, `${name}'s bond released`);
    assert.equal(story.after[name].vesting - story.before[name].vesting, expected[name], `${name}'s pay vesting`);
  }
  for (const name of validators) {
    assert.equal(story.after[name].free - story.before[name].free, expected[name], `${name}'s pay free`);
    assert.equal(story.after[name].vesting, 0n, `${name} has nothing vesting`);
  }
  assert.equal(story.after.Dave.held, story.before.Dave.held - bond);
  const paidTotal = story.paid.reduce((a, p) => a + p.amount, 0n);
  assert.equal(paidTotal, Object.entries(expected).filter(([n]) => n !== 'Dave').reduce((a, [, b]) => a + b, 0n));
  const settled = story.settled.data;
  assert.equal(settled.paid.toBigInt(), paidTotal);
  assert.equal(settled.winners.toNumber(), 2);
  assert.equal(paidTotal + settled.refunded.toBigInt() + settled.burned.toBigInt() + settled.toTreasury.toBigInt(), REWARD, 'exactly the escrow');
  // the network fee (5 %) is burned, and bounds the task's emission
  assert.equal(settled.burned.toBigInt(), REWARD * 500n / 10_000n);
  for (const { who, amount } of story.paid) assert.equal(amount, expected[who], `${who}'s RewardPaid`);

  // read back through the node's aiMining_* RPC
  const methods = (await api.rpc.rpc.methods()).methods.map((m) => m.toString());
  for (const m of ['aiMining_tasks', 'aiMining_task', 'aiMining_profile', 'aiMining_pendingRewards']) {
    assert.ok(methods.includes(m), m);
  }
  const detail = story.detail;
  assert.equal(detail.summary.state, 'settled');
  assert.equal(BigInt(detail.summary.reward), REWARD);
  const byMiner = Object.fromEntries(detail.solutions.map((s) => [nameOf(s.miner), s]));
  assert.equal(BigInt(byMiner.Dave.reward), 0n);
  assert.deepEqual(byMiner.Bob.score, story.opinion.Bob);
  assert.equal(BigInt(byMiner.Bob.reward), expected.Bob);
  assert.equal(BigInt(byMiner.Charlie.reward), expected.Charlie);
  // a false fingerprint costs the commitment bond, not the miner's stake: no automatic
  // detector slashes
  assert.equal(story.daveProfile.fraud.offences, 0);
  assert.equal(BigInt(story.daveProfile.miner.bond), 100n * UNIT);
  const settledTasks = await rpc(provider, 'aiMining_tasks', 'settled');
  assert.deepEqual(settledTasks.map((s) => s.id), [taskId]);
  const eve = await rpc(provider, 'aiMining_profile', story.keys.eve.address);
  assert.equal(eve.validator.activePanels, 0);
  assert.ok(eve.validator.certified > 0);
  // Bob and the validators earned emission points in this era, claimable once it ends
  const pending = await rpc(provider, 'aiMining_pendingRewards', story.keys.bob.address);
  assert.equal(pending.length, 1);
  assert.equal(pending[0].claimable, false);
  assert.ok(BigInt(pending[0].amount) > 0n);
  const davePending = await rpc(provider, 'aiMining_pendingRewards', story.keys.dave.address);
  assert.ok(davePending.every((p) => BigInt(p.amount) === 0n), 'no emission for a rejected copy');
  // a malformed call is a clear error
  await assert.rejects(rpc(provider, 'aiMining_task', 'not a number'), /invalid|parse/i);
});
