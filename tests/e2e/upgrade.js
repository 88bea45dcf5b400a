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
import { devAccounts, until, upgradeByReferendum } from './governance.js';

const [endpoint, wasmPath, ...flags] = process.argv.slice(2);
if (!endpoint || !wasmPath) {
  console.error('usage: upgrade.js <ws endpoint> <runtime.wasm> [--tick]');
  process.exit(2);
}
await cryptoWaitReady();
const api = await ApiPromise.create({ provider: new WsProvider(endpoint), noInitWarn: true });
const code = u8aToHex(readFileSync(wasmPath));
const codeHash = blake2AsHex(code);
const tick = flags.includes('--tick') ? devAccounts()[0] : undefined;
const before = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
console.log(`running spec_version ${before}; proposing ${wasmPath} (${(code.length - 2) / 2} bytes, ${codeHash})`);

const { applied, reason } = await upgradeByReferendum(api, code, { tick, say: console.log });
if (!applied) {
  console.error(`the chain refused the code: ${reason}`);
  process.exit(1);
}
await until(api, async () => (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber() !== before, { tick });
console.log(`upgraded: spec_version ${(await api.rpc.state.getRuntimeVersion()).specVersion.toNumber()}`);
await api.disconnect();
