// A runtime upgrade by vote on a running node, end to end with @polkadot/api: the test
// runtime (tos-runtime-upgrade-test: spec_version + 1 and an extra `upgradeProbe.probe` call)
// is authorized by a root referendum and applied; the node executes the new code from the
// next block without a restart, reports it over `state_getRuntimeVersion` and
// `state_subscribeRuntimeVersion`, the upgrading block carries `RuntimeEnvironmentUpdated`,
// @polkadot/api notices by itself and offers the new call, which works; after a restart the
// node still runs the new code.
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

// built by `cargo build`/`cargo test` next to the node binary
const wasmPath = process.env.TOS_UPGRADE_WASM ?? path.join(path.dirname(nodeBinary()), 'wbuild',
  'tos-runtime-upgrade-test', 'tos_runtime_upgrade_test.compact.compressed.wasm');

let base;
let node;
let api;

async function connect () {
  api = await ApiPromise.create({ provider: new WsProvider(node.endpoint), noInitWarn: true });
}

before(async () => {
  await cryptoWaitReady();
  assert.ok(existsSync(wasmPath), `the test runtime is built: ${wasmPath}`);
  base = mkdtempSync(path.join(tmpdir(), 'tos-upgrade-'));
  node = await startNode(['--dev', '--sealing', 'instant', '--base-path', base]);
  await connect();
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
  if (base) rmSync(base, { recursive: true, force: true });
});

test('a runtime upgraded by referendum runs from the next block, live and after a restart', async () => {
  const [alice, bob] = devAccounts();
  const before = api.runtimeVersion.specVersion.toNumber();
  assert.equal(api.tx.upgradeProbe, undefined, 'the running runtime has no probe');
  const versions = [];
  const unsubscribe = await api.rpc.state.subscribeRuntimeVersion((v) => versions.push(v.specVersion.toNumber()));

  const code = u8aToHex(readFileSync(wasmPath));
  const parentCode = (await api.rpc.state.getStorage(':code')).unwrap().toHex();
  const { hash, applied, reason } = await upgradeByReferendum(api, code, { tick: alice });
  assert.ok(applied, `the code was applied (${reason})`);
  const header = await api.rpc.chain.getHeader(hash);
  assert.ok(header.digest.logs.some((log) => log.isRuntimeEnvironmentUpdated), 'RuntimeEnvironmentUpdated in the digest');
  // the block that upgrades was executed with its parent's code
  assert.equal((await api.rpc.state.getStorage(':code', header.parentHash)).unwrap().toHex(), parentCode);
  assert.equal((await api.rpc.state.getRuntimeVersion(header.parentHash)).specVersion.toNumber(), before);

  // from that block on the node runs the new code, says so, and the wallet notices by itself
  assert.equal((await api.rpc.state.getRuntimeVersion(hash)).specVersion.toNumber(), before + 1);
  for (let i = 0; i < 100 && api.runtimeVersion.specVersion.toNumber() !== before + 1; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(api.runtimeVersion.specVersion.toNumber(), before + 1, '@polkadot/api noticed the upgrade');
  assert.ok(versions.includes(before + 1), `the subscription reported ${versions}`);
  unsubscribe();
  await send(api, api.tx.system.remark('after the upgrade'), bob);

  // the new call is in the metadata and works
  assert.equal(typeof api.tx.upgradeProbe?.probe, 'function', 'the new call is offered');
  const probed = await send(api, api.tx.upgradeProbe.probe(), bob);
  assert.ok(probed.events.some((e) => api.events.upgradeProbe.Probed.is(e) && e.data.who.toString() === bob.address));

  // a restarted node runs the new code too, and goes on producing blocks
  await api.disconnect();
  await node.stop();
  node = await startNode(['--dev', '--sealing', 'instant', '--base-path', base]);
  await connect();
  assert.equal(api.runtimeVersion.specVersion.toNumber(), before + 1);
  const number = (await api.rpc.chain.getHeader()).number.toNumber();
  await send(api, api.tx.upgradeProbe.probe(), alice);
  assert.equal((await api.rpc.chain.getHeader()).number.toNumber(), number + 1);
});
