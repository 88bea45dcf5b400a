// The task market from the reference wallet, against `tos-node --dev --sealing instant`: a
// miner registers, a publisher posts a task, the miner commits and reveals, and the chain
// moves the task to validation by itself — no custom types, only the chain's metadata.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aConcat } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { startNode } from './node.js';

let node;
let api;

before(async () => {
  await cryptoWaitReady();
  node = await startNode(['--dev', '--sealing', 'instant']);
  api = await ApiPromise.create({ provider: new WsProvider(node.endpoint), noInitWarn: true });
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

/** Signs and sends `tx`, resolving with the block's events once it is in a block. */
function send (tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        const detail = dispatchError.isModule
          ? api.registry.findMetaError(dispatchError.asModule)
          : { name: dispatchError.toString() };
        reject(new Error(`${detail.section}.${detail.name}`));
      } else if (status.isInBlock) {
        resolve(events.map((e) => e.event));
      }
    }).catch(reject);
  });
}

/** Makes `count` blocks (instant sealing makes one per transaction). */
async function advance (count, signer) {
  for (let i = 0; i < count; i++) {
    await send(api.tx.system.remark(`tick ${i}`), signer);
  }
}

test('register, publish, commit, reveal: the task reaches validation', async () => {
  const keyring = new Keyring({ type: 'sr25519' });
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const UNIT = 10n ** 12n;

  // the pallets and their calls come from metadata
  assert.equal(typeof api.tx.minerReputation.registerMiner, 'function');
  assert.equal(typeof api.tx.tasks.publishTask, 'function');

  // Bob: a code-generation miner (bit 0 of the specialization set) with a 100 TOS bond
  let events = await send(api.tx.minerReputation.registerMiner(1, 100n * UNIT), bob);
  assert.ok(events.some((e) => api.events.minerReputation.MinerRegistered.is(e)));

  // Alice: a 50 TOS task, 10-block windows
  events = await send(api.tx.tasks.publishTask({
    taskType: 'CodeGeneration',
    contentHash: '0x' + '07'.repeat(32),
    uri: 'ipfs://spec',
    reward: 50n * UNIT,
    commitBlocks: 10,
    revealBlocks: 10,
    validationBlocks: 10,
    maxSolutions: 4,
    minLevel: 'Novice',
    panelSize: 3,
    qualityThreshold: 70
  }), alice);
  const published = events.find((e) => api.events.tasks.TaskPublished.is(e));
  assert.ok(published, 'TaskPublished');
  const taskId = published.data.taskId.toNumber();
  assert.equal(published.data.reward.toBigInt(), 50n * UNIT);

  // the task type's minimum solve time: no commitment before it is honest work
  const task = (await api.query.tasks.tasks(taskId)).unwrap();
  assert.ok(task.earliestCommit.toNumber() > task.publishedAt.toNumber());
  while ((await api.rpc.chain.getHeader()).number.toNumber() < task.earliestCommit.toNumber() - 1) {
    await advance(1, alice);
  }

  // Bob commits to blake2_256(solution ‖ fingerprint ‖ salt ‖ his account), bonding 2 % of
  // the reward (at least 1 TOS)
  const solution = new Uint8Array(32).fill(1);
  const fingerprint = new Uint8Array(32).fill(3);
  const salt = new Uint8Array(32).fill(2);
  const commitment = blake2AsU8a(u8aConcat(solution, fingerprint, salt, bob.publicKey), 256);
  const heldBefore = (await api.query.system.account(bob.address)).data.reserved.toBigInt();
  events = await send(api.tx.tasks.commitSolution(taskId, commitment), bob);
  assert.ok(events.some((e) => api.events.tasks.SolutionCommitted.is(e)));
  assert.equal(task.submissionBond.toBigInt(), UNIT);
  assert.equal((await api.query.system.account(bob.address)).data.reserved.toBigInt() - heldBefore, UNIT);
  // the same commitment from anyone else is refused before it takes a slot
  const charlie = keyring.addFromUri('//Charlie');
  await send(api.tx.minerReputation.registerMiner(1, 100n * UNIT), charlie);
  await assert.rejects(send(api.tx.tasks.commitSolution(taskId, commitment), charlie), /tasks\.DuplicateCommitment/);

  // the commit window closes by block number; then Bob reveals
  while ((await api.rpc.chain.getHeader()).number.toNumber() < task.commitEnd.toNumber()) {
    await advance(1, alice);
  }
  assert.equal((await api.query.tasks.tasks(taskId)).unwrap().status.type, 'Reveal');
  events = await send(api.tx.tasks.revealSolution(taskId, solution, salt, fingerprint, 'ipfs://solution'), bob);
  assert.ok(events.some((e) => api.events.tasks.SolutionRevealed.is(e)));

  // the reveal window closes: on to validation. Bob's completion waits for the panel's
  // judgement (revealing is not completing: junk would earn a record), so his record is
  // still empty; Charlie, who never committed, has none either
  while ((await api.rpc.chain.getHeader()).number.toNumber() < task.revealEnd.toNumber()) {
    await advance(1, alice);
  }
  assert.equal((await api.query.tasks.tasks(taskId)).unwrap().status.type, 'Validating');
  assert.ok((await api.query.minerReputation.reputations(bob.address)).isNone, 'nothing on record yet');
  assert.equal((await api.query.tasks.commitments(taskId, bob.address)).unwrap().bond.toBigInt(), UNIT, 'the bond waits for settlement');
});
