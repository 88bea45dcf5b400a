// Upgrades a dev or local chain's runtime by vote: `node tests/e2e/upgrade.js <ws endpoint>
// <runtime.wasm> [--tick]` (see scripts/upgrade). A root referendum on
// `system.authorizeUpgrade(blake2_256(code))`, the dev accounts vote for it, and once it is
// enacted the code is applied with `system.applyAuthorizedUpgrade(code)`; the script then
// waits for the node to report the new runtime version. `--tick` makes blocks with remarks
// (a node with `--sealing instant`); otherwise it waits for Aura's blocks (minutes).
import { readFileSync } from 'node:fs';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { devAccounts, propose, until, vote } from './governance.js';

const [endpoint, wasmPath, ...flags] = process.argv.slice(2);
if (!endpoint || !wasmPath) {
  console.error('usage: upgrade.js <ws endpoint> <runtime.wasm> [--tick]');
  process.exit(2);
}
await cryptoWaitReady();
const api = await ApiPromise.create({ provider: new WsProvider(endpoint), noInitWarn: true });
const code = u8aToHex(readFileSync(wasmPath));
const codeHash = blake2AsHex(code);
const accounts = devAccounts();
const tick = flags.includes('--tick') ? accounts[0] : undefined;
const before = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
console.log(`running spec_version ${before}; proposing ${wasmPath} (${(code.length - 2) / 2} bytes, ${codeHash})`);

const index = await propose(api, accounts[0], api.tx.system.authorizeUpgrade(codeHash), { system: 'Root' });
console.log(`referendum #${index} on the root track; the dev accounts vote aye`);
for (const voter of accounts.slice(0, 5)) await vote(api, index, voter, true);
await until(api, async () => (await api.query.system.authorizedUpgrade()).isSome, { tick });
console.log('enacted: the upgrade is authorized; applying the code');

const events = await new Promise((resolve, reject) => {
  api.tx.system.applyAuthorizedUpgrade(code).send(async ({ status }) => {
    if (!status.isInBlock) return;
    resolve((await (await api.at(status.asInBlock)).query.system.events()).map((r) => r.event));
  }).catch(reject);
});
const rejected = events.find((e) => api.events.system.RejectedInvalidAuthorizedUpgrade.is(e));
if (rejected) {
  const error = api.registry.findMetaError(rejected.data.error.asModule);
  console.error(`the chain refused the code: ${error.section}.${error.name}`);
  process.exit(1);
}
await until(api, async () => (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber() !== before, { tick });
console.log(`upgraded: spec_version ${(await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()}`);
await api.disconnect();
