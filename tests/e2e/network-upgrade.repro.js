// NOT PART OF THE SUITE (the name does not end in .test.js): a reproduction of a known bug,
// to be fixed next. Run with `node --test tests/e2e/network-upgrade.repro.js` (~6 minutes).
// Measured 2026-11-26: the three validators switch to the voted runtime live, offer the new
// call and keep finalizing past the upgrade — but the node started afterwards did not sync
// across the upgrade within 120 s (a chain-level import across the same kind of upgrade
// works: node/src/chain/tests.rs `a_runtime_upgrade_takes_effect_...`).
//
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
import { upgradeByReferendum } from './governance.js';

const wasmPath = process.env.TOS_UPGRADE_WASM ?? path.join(path.dirname(nodeBinary()), 'wbuild',
  'tos-runtime-upgrade-test', 'tos_runtime_upgrade_test.compact.compressed.wasm');

const dirs = [];
const nodes = [];
const apis = [];

async function start (flags, bootnode) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tos-net-upgrade-'));
  dirs.push(dir);
  const args = ['--chain', 'local', '--base-path', dir, '--no-mdns', '--listen-addr', '/ip4/127.0.0.1/tcp/0', ...flags];
  if (bootnode) args.push('--bootnodes', bootnode);
  const node = await startNode(args);
  nodes.push(node);
  const api = await ApiPromise.create({ provider: new WsProvider(node.endpoint), noInitWarn: true });
  apis.push(api);
  return api;
}

const number = async (api, finalized = false) => {
  const hash = finalized ? await api.rpc.chain.getFinalizedHead() : undefined;
  return (await api.rpc.chain.getHeader(hash)).number.toNumber();
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
  for (const api of apis) await api.disconnect();
  for (const node of nodes) await node.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('three validators switch to a runtime voted in, keep finalizing, and a late node syncs across it', { timeout: 600_000 }, async () => {
  const alice = await start(['--alice']);
  const [boot] = (await alice.rpc.system.localListenAddresses()).map(String);
  const bob = await start(['--bob'], boot);
  const charlie = await start(['--charlie'], boot);
  const validators = [alice, bob, charlie];
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
  const late = await start([], boot);
  const head = await number(alice, true);
  await waitFor('the late node catches up', async () => (await number(late)) >= head, 120);
  for (const n of [upgradedAt - 1, upgradedAt, head]) {
    const [ours, theirs] = await Promise.all([alice, late].map(async (api) => {
      const blockHash = await api.rpc.chain.getBlockHash(n);
      return (await api.rpc.chain.getHeader(blockHash)).stateRoot.toHex();
    }));
    assert.equal(theirs, ours, `state root of #${n}`);
  }
  assert.equal((await late.rpc.state.getRuntimeVersion()).specVersion.toNumber(), before + 1);
});
