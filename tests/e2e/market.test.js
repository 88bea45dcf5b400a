// The whole market end to end with the reference wallet (issue 7): the story of market.js
// against `tos-node --dev --sealing instant`, with every reward and slash checked from
// balances and events read over JSON-RPC, and the outcome read back through `aiMining_*`.
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

test('publish, mine (one plagiarist), validate and settle: every reward and slash to the planck', async () => {
  const story = await runMarket(api, provider);
  const { taskId, task, nameOf } = story;

  // Dave's copy was flagged and slashed: 80 % of his 100 TOS miner bond, to the treasury
  assert.deepEqual(story.flags.map((e) => [nameOf(e.data.who), e.data.kind.toString()]), [['Dave', 'Plagiarism']]);
  assert.deepEqual(story.slashes.map((e) => [nameOf(e.data.who), e.data.amount.toBigInt(), e.data.toReporter.toBigInt()]),
    [['Dave', 80n * UNIT, 0n]]);
  const excluded = story.validationStart.events.find((e) => api.events.tasks.SolutionExcluded.is(e));
  assert.equal(nameOf(excluded.data.miner), 'Dave');
  assert.equal((await api.query.minerReputation.miners(story.keys.dave.address)).unwrap().bond.toBigInt(), 20n * UNIT);

  // only the honest solutions were judged, by the three certified validators
  assert.deepEqual([...story.solvers].sort(), ['Bob', 'Charlie']);
  assert.deepEqual([...story.panel].sort(), ['AliceStash', 'Eve', 'Ferdie']);

  // the split, computed here from the rules: winners (quality ≥ 60) by quality 40 %,
  // innovation 20 %, earliness 10 %; no participant; validators 12.5 % by accuracy × weight
  // committing in the commit window's first block is worth the whole, in its last nothing
  const lastOffset = BigInt(task.commitEnd.toNumber() - story.publishedAt - 1);
  const early = (name) =>
    BigInt(task.commitEnd.toNumber() - story.committedAt[name] - 1) * 1_000_000_000n / lastOffset;
  const winners = ['Bob', 'Charlie'];
  const q = proRata(bps(4_000), winners.map((w) => BigInt(story.opinion[w].quality)));
  const i = proRata(bps(2_000), winners.map((w) => BigInt(story.opinion[w].innovation)));
  const t = proRata(bps(1_000), winners.map(early));
  const validators = ['Eve', 'Ferdie', 'AliceStash'];
  const v = proRata(bps(1_250), validators.map((name) => 100n * story.panelWeights[name]));
  const expected = {
    Bob: q[0] + i[0] + t[0],
    Charlie: q[1] + i[1] + t[1],
    Dave: 0n,
    Eve: v[0],
    Ferdie: v[1],
    AliceStash: v[2]
  };
  for (const [name, amount] of Object.entries(expected)) {
    assert.equal(story.after[name] - story.before[name], amount, `${name}'s gain`);
  }
  const paidTotal = story.paid.reduce((a, p) => a + p.amount, 0n);
  assert.equal(paidTotal, Object.values(expected).reduce((a, b) => a + b, 0n));
  assert.equal(paidTotal + story.rewarded.data.toTreasury.toBigInt(), REWARD, 'exactly the escrow');
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
  assert.equal(byMiner.Dave.flagged, true);
  assert.equal(byMiner.Dave.score, null);
  assert.deepEqual(byMiner.Bob.score, story.opinion.Bob);
  assert.equal(BigInt(byMiner.Bob.reward), expected.Bob);
  assert.equal(BigInt(byMiner.Charlie.reward), expected.Charlie);
  assert.equal(story.daveProfile.fraud.offences, 1);
  assert.equal(BigInt(story.daveProfile.miner.bond), 20n * UNIT);
  const settled = await rpc(provider, 'aiMining_tasks', 'settled');
  assert.deepEqual(settled.map((s) => s.id), [taskId]);
  const eve = await rpc(provider, 'aiMining_profile', story.keys.eve.address);
  assert.equal(eve.validator.activePanels, 0);
  assert.ok(eve.validator.certified > 0);
  // Bob and the validators earned emission points in this era, claimable once it ends
  const pending = await rpc(provider, 'aiMining_pendingRewards', story.keys.bob.address);
  assert.equal(pending.length, 1);
  assert.equal(pending[0].claimable, false);
  assert.ok(BigInt(pending[0].amount) > 0n);
  // a malformed call is a clear error
  await assert.rejects(rpc(provider, 'aiMining_task', 'not a number'), /invalid|parse/i);
});
