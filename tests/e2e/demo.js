// Prints the market story of market.js against a running dev node:
//   node tests/e2e/demo.js ws://127.0.0.1:9944
// (scripts/demo starts a node for it). The node must use `--sealing instant`: the story makes
// its blocks with transactions.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { runMarket } from './market.js';

const endpoint = process.argv[2] ?? 'ws://127.0.0.1:9944';
await cryptoWaitReady();
const provider = new WsProvider(endpoint);
const api = await ApiPromise.create({ provider, noInitWarn: true });
let step = 0;
try {
  await runMarket(api, provider, (line) => console.log(`${String(++step).padStart(2)}. ${line}`));
} finally {
  await api.disconnect();
}
