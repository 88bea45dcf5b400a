// A runtime upgrade by vote on a running network of validators: three of the local chain's
// four authorities (enough for GRANDPA) on loopback; the test runtime is voted in and applied
// through Alice; every node switches to it without a restart, the chain goes on authoring and
// finalizing, the new call is in every node's metadata; a node started afterwards syncs from
// genesis across the upgrade to the same state.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { nodeBinary, startNode } from './node.js';
import { devAccounts, upgradeByReferendum } from './governance.js';
import { send } from './market.js';

const wasmPath = process.env.TOS_UPGRADE_WASM ?? path.join(path.dirname(nodeBinary()), 'wbuild',
  'tos-runtime-upgrade-test', 'tos_runtime_upgrade_test.compact.compressed.wasm');

const dirs = [];
const nodes = [];
const apis = [];

// Starts a node of the local chain on loopback (in a new directory unless `dir` is given)
// and connects a wallet to it.
async function start (flags, bootnode, dir = mkdtempSync(path.join(tmpdir(), 'tos-net-upgrade-'))) {
  if (!dirs.includes(dir)) dirs.push(dir);
  const args = ['--chain', 'local', '--base-path', dir, '--no-mdns', '--listen-addr', '/ip4/127.0.0.1/tcp/0', ...flags];
  if (bootnode) args.push('--bootnodes', bootnode);
  const node = await startNode(args);
  nodes.push(node);
  const api = await ApiPromise.create({ provider: new WsProvider(node.endpoint), noInitWarn: true });
  apis.push(api);
  return { api, node, dir };
}

const forget = (list, item) => list.includes(item) && list.splice(list.indexOf(item), 1);

async function stop ({ api, node }) {
  forget(apis, api);
  forget(nodes, node);
  await api.disconnect();
  await node.stop();
}

const number = async (api, finalized = false) => {
  const header = finalized
    ? await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())
    : await api.rpc.chain.getHeader();
  return header.number.toNumber();
};

async function waitFor (what, check, seconds) {
  for (let i = 0; i < seconds * 5; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what}: not within ${seconds} s`);
}

before(async () => {
  await cryptoWaitReady();
  assert.ok(existsSync(wasmPath), `the test runtime is built: ${wasmPath}`);
});

after(async () => {
  await Promise.allSettled(apis.map((api) => api.disconnect()));
  await Promise.allSettled(nodes.map((node) => node.stop()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('validators switch to a runtime voted in and keep finalizing; a late node syncs across it; a restarted validator comes back on it', { timeout: 600_000 }, async () => {
  const { api: alice } = await start(['--alice']);
  const [boot] = (await alice.rpc.system.localListenAddresses()).map(String);
  let bob = await start(['--bob'], boot);
  const { api: charlie } = await start(['--charlie'], boot);
  const validators = [alice, bob.api, charlie];
  await waitFor('the validators finalize', async () => (await number(alice, true)) >= 1, 90);
  const before = alice.runtimeVersion.specVersion.toNumber();

  const code = u8aToHex(readFileSync(wasmPath));
  const { hash, applied, reason } = await upgradeByReferendum(alice, code);
  assert.ok(applied, `applied (${reason})`);
  const upgradedAt = (await alice.rpc.chain.getHeader(hash)).number.toNumber();

  // every node runs the new code, without a restart, and the chain goes on and finalizes
  for (const api of validators) {
    await waitFor('the wallet notices the upgrade', async () => api.runtimeVersion.specVersion.toNumber() === before + 1, 60);
    assert.equal(typeof api.tx.upgradeProbe?.probe, 'function', 'the new call is in the metadata');
  }
  for (const api of validators) {
    await waitFor('blocks after the upgrade are finalized', async () => (await number(api, true)) >= upgradedAt + 2, 120);
  }

  // a node started now syncs from genesis across the upgrade, to the same state
  const { api: late, node: lateNode } = await start([], boot);
  const head = await number(alice, true);
  await waitFor('the late node catches up', async () => (await number(late)) >= head, 120)
    .catch((e) => { throw new Error(`${e.message}; its log ends:\n${lateNode.log().split('\n').slice(-40).join('\n')}`); });
  for (const n of [upgradedAt - 1, upgradedAt, head]) {
    const [ours, theirs] = await Promise.all([alice, late].map(async (api) => {
      const blockHash = await api.rpc.chain.getBlockHash(n);
      return (await api.rpc.chain.getHeader(blockHash)).stateRoot.toHex();
    }));
    assert.equal(theirs, ours, `state root of #${n}`);
  }
  assert.equal((await late.rpc.state.getRuntimeVersion()).specVersion.toNumber(), before + 1);
  assert.equal(late.runtimeVersion.specVersion.toNumber(), before + 1, 'its wallet runs the new version');

  // the new call, sent to the late (non-validator) node, is carried to the validators and
  // included
  const [, , , dave] = devAccounts();
  const probed = await send(late, late.tx.upgradeProbe.probe(), dave);
  assert.ok(probed.events.some((e) => late.events.upgradeProbe.Probed.is(e) && e.data.who.toString() === dave.address),
    'the probe ran in a block of the validators');

  // a validator restarted on its database comes back with the new runtime and is needed for
  // finality again (three of the four authorities): finality goes on past its return
  await stop(bob);
  bob = await start(['--bob'], boot, bob.dir);
  assert.equal((await bob.api.rpc.state.getRuntimeVersion()).specVersion.toNumber(), before + 1, 'still the new runtime after a restart');
  const back = await number(alice);
  await waitFor('finality goes on with the restarted validator', async () => (await number(alice, true)) >= back + 2, 120);
  await waitFor('the restarted validator follows', async () => (await number(bob.api, true)) >= back + 2, 60);
  const [ours, theirs] = await Promise.all([alice, bob.api].map(async (api) =>
    (await api.rpc.chain.getHeader(await api.rpc.chain.getBlockHash(back))).stateRoot.toHex()));
  assert.equal(theirs, ours, `state root of #${back} on the restarted validator`);
});
