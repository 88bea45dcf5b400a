// Governance end to end with the reference wallet against `tos-node --dev --sealing instant`
// (governance speed Fast; blocks made by remark transactions): a reward split changed by a
// referendum on the parameters track; a runtime upgrade referendum voted down changes nothing;
// one that passes authorizes exactly the voted code, which the chain then refuses to apply
// because its spec_version does not increase — and other code is refused at submission.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { startNode } from './node.js';
import { devAccounts, isOngoing, propose, until, vote } from './governance.js';

let node;
let api;
let accounts;

before(async () => {
  await cryptoWaitReady();
  node = await startNode(['--dev', '--sealing', 'instant']);
  api = await ApiPromise.create({ provider: new WsProvider(node.endpoint), noInitWarn: true });
  accounts = devAccounts();
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

test('a referendum on the parameters track changes the reward split', async () => {
  const [alice, bob, charlie, dave] = accounts;
  const split = { quality: 4500, innovation: 1500, time: 1000, participants: 1250, validators: 1250, network: 500, participantMin: 30 };
  assert.notEqual((await api.query.rewards.split()).unwrap().quality.toNumber(), 4500);
  const index = await propose(api, alice, api.tx.rewards.setSplit(split), { Governance: 'Parameters' });
  for (const voter of [alice, bob, charlie, dave]) await vote(api, index, voter, true);
  const blocks = await until(api, async () => (await api.query.rewards.split()).unwrap().quality.toNumber() === 4500, { tick: alice });
  assert.ok(blocks > 1, 'enacted after the track periods, not at once');
  assert.deepEqual((await api.query.rewards.split()).unwrap().toJSON(), split);
  assert.ok((await api.query.referenda.referendumInfoFor(index)).unwrap().isApproved);
});

test('an upgrade referendum voted down authorizes nothing and the code stays', async () => {
  const [alice, bob, charlie, dave, eve, ferdie] = accounts;
  const code = (await api.rpc.state.getStorage(':code')).unwrap().toHex();
  const version = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
  const index = await propose(api, alice, api.tx.system.authorizeUpgrade(blake2AsHex(code)), { system: 'Root' });
  await vote(api, index, alice, true);
  for (const voter of [bob, charlie, dave, eve, ferdie]) await vote(api, index, voter, false);
  await until(api, async () => !(await isOngoing(api, index)), { tick: alice });
  assert.ok((await api.query.referenda.referendumInfoFor(index)).unwrap().isRejected);
  assert.ok((await api.query.system.authorizedUpgrade()).isNone);
  assert.equal((await api.rpc.state.getStorage(':code')).unwrap().toHex(), code);
  assert.equal((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber(), version);
});

test('a passed upgrade referendum authorizes exactly the voted code, applied only if its version is higher', async () => {
  const [alice, bob, charlie, dave, eve] = accounts;
  const code = (await api.rpc.state.getStorage(':code')).unwrap().toHex();
  const codeHash = blake2AsHex(code);
  const version = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
  const index = await propose(api, alice, api.tx.system.authorizeUpgrade(codeHash), { system: 'Root' });
  for (const voter of [alice, bob, charlie, dave, eve]) await vote(api, index, voter, true);
  await until(api, async () => (await api.query.system.authorizedUpgrade()).isSome, { tick: alice });
  assert.equal((await api.query.system.authorizedUpgrade()).unwrap().codeHash.toHex(), codeHash);

  // other code is refused by the pool (the hash is not the authorized one)
  await assert.rejects(api.tx.system.applyAuthorizedUpgrade('0x0061736d01000000').send(), /1010|Invalid/);

  // the voted code is accepted into a block, but it is the running runtime: its spec_version
  // does not increase, so the chain rejects the upgrade, drops the authorization and keeps
  // its code
  const rejected = await new Promise((resolve, reject) => {
    api.tx.system.applyAuthorizedUpgrade(code).send(async ({ status }) => {
      if (!status.isInBlock) return;
      const events = await (await api.at(status.asInBlock)).query.system.events();
      resolve(events.map((r) => r.event).find((e) => api.events.system.RejectedInvalidAuthorizedUpgrade.is(e)));
    }).catch(reject);
  });
  assert.ok(rejected, 'RejectedInvalidAuthorizedUpgrade');
  assert.equal(rejected.data.codeHash.toHex(), codeHash);
  const error = api.registry.findMetaError(rejected.data.error.asModule);
  assert.equal(`${error.section}.${error.name}`, 'system.SpecVersionNeedsToIncrease');
  assert.ok((await api.query.system.authorizedUpgrade()).isNone);
  assert.equal((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber(), version);
});
