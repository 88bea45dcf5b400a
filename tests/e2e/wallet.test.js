// A wallet's day against `tos-node --dev`, with the reference wallet library: connect, read
// the chain and its token, decode metadata, transfer with signAndSend and follow it to
// finalized, read the block's events and the balances, and get a storage subscription update.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startNode } from './node.js';

let node;
let api;

before(async () => {
  await cryptoWaitReady();
  node = await startNode(['--dev']);
  api = await ApiPromise.create({ provider: new WsProvider(node.endpoint), noInitWarn: true });
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

test('the chain and its token are what the chain spec says', async () => {
  assert.equal((await api.rpc.system.chain()).toString(), 'Development');
  assert.equal((await api.rpc.system.chainType()).toString(), 'Development');
  const props = await api.rpc.system.properties();
  assert.equal(props.tokenSymbol.unwrap()[0].toString(), 'TOS');
  assert.equal(props.tokenDecimals.unwrap()[0].toNumber(), 12);
  assert.equal(props.ss58Format.unwrap().toNumber(), 42);
  assert.equal(api.registry.chainDecimals[0], 12);
  assert.equal(api.registry.chainTokens[0], 'TOS');
});

test('metadata decodes: pallets, calls, constants and the runtime version', async () => {
  assert.equal(api.runtimeVersion.specName.toString(), 'tos');
  assert.ok(api.runtimeMetadata.version >= 14, `metadata v${api.runtimeMetadata.version}`);
  assert.equal(typeof api.tx.balances.transferKeepAlive, 'function');
  assert.equal(typeof api.query.system.account, 'function');
  // ED is 0.001 TOS = 10^9 planck
  assert.equal(api.consts.balances.existentialDeposit.toBigInt(), 1_000_000_000n);
  const genesis = await api.rpc.chain.getBlockHash(0);
  assert.equal(genesis.toHex(), api.genesisHash.toHex());
});

test('a transfer is signed, followed to finalized, and shows in events, balances and a subscription', async () => {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const amount = 12_345_000_000_000n; // 12.345 TOS

  const bobBefore = (await api.query.system.account(bob.address)).data.free.toBigInt();

  // storage subscription: first the current value, then the update
  const updates = [];
  let sawUpdate;
  const updated = new Promise((resolve) => { sawUpdate = resolve; });
  const unsubscribe = await api.query.system.account(bob.address, (info) => {
    updates.push(info.data.free.toBigInt());
    if (updates.length > 1) sawUpdate();
  });

  const statuses = [];
  const { blockHash, txHash } = await new Promise((resolve, reject) => {
    let inBlock;
    const tx = api.tx.balances.transferKeepAlive(bob.address, amount);
    tx.signAndSend(alice, (result) => {
      statuses.push(result.status.type); if (process.env.DEBUG_E2E) console.log(JSON.stringify(result.status.toJSON()));
      if (result.dispatchError) reject(new Error(result.dispatchError.toString()));
      if (result.status.isInBlock) inBlock = result.status.asInBlock;
      if (result.status.isFinalized) {
        assert.equal(result.status.asFinalized.toHex(), inBlock.toHex());
        resolve({ blockHash: result.status.asFinalized, txHash: tx.hash });
      }
      if (result.isError) reject(new Error(`transaction ${result.status.type}`));
    }).catch(reject);
  });
  assert.deepEqual(statuses.filter((s) => s !== 'Broadcast'), ['Ready', 'InBlock', 'Finalized']);

  // the block holds the transaction, and its events say what happened
  const block = await api.rpc.chain.getBlock(blockHash);
  const index = block.block.extrinsics.findIndex((xt) => xt.hash.toHex() === txHash.toHex());
  assert.ok(index > 0, 'the transfer is in the block, after the timestamp inherent');
  const events = await (await api.at(blockHash)).query.system.events();
  const mine = events.filter((e) => e.phase.isApplyExtrinsic && e.phase.asApplyExtrinsic.eq(index));
  const transfer = mine.find((e) => api.events.balances.Transfer.is(e.event));
  assert.ok(transfer, `a Transfer event among ${mine.map((e) => e.event.method)}`);
  assert.equal(transfer.event.data.from.toString(), alice.address);
  assert.equal(transfer.event.data.to.toString(), bob.address);
  assert.equal(transfer.event.data.amount.toBigInt(), amount);
  const fee = mine.find((e) => api.events.transactionPayment.TransactionFeePaid.is(e.event));
  assert.ok(fee.event.data.actualFee.toBigInt() > 0n, 'a fee was paid');
  assert.ok(mine.some((e) => api.events.system.ExtrinsicSuccess.is(e.event)));

  // Bob's balance through storage, at the block and now
  const bobAfter = (await (await api.at(blockHash)).query.system.account(bob.address)).data.free.toBigInt();
  assert.equal(bobAfter - bobBefore, amount);

  await Promise.race([
    updated,
    new Promise((_, reject) => setTimeout(() => reject(new Error('no storage update')), 30_000))
  ]);
  unsubscribe();
  assert.equal(updates[0], bobBefore);
  assert.equal(updates.at(-1), bobAfter);

  // the pool is empty again and the nonce moved on
  assert.equal((await api.rpc.author.pendingExtrinsics()).length, 0);
  assert.equal((await api.rpc.system.accountNextIndex(alice.address)).toNumber(), 1);
});

test('new heads arrive by subscription, current head first', async () => {
  const best = await api.rpc.chain.getHeader();
  const heads = [];
  await new Promise((resolve) => {
    let unsub;
    api.rpc.chain.subscribeNewHeads((header) => {
      heads.push(header.number.toNumber());
      if (heads.length === 2) { unsub.then((u) => u()); resolve(); }
    }).then((u) => { unsub = Promise.resolve(u); });
  });
  assert.ok(heads[0] >= best.number.toNumber());
  assert.equal(heads[1], heads[0] + 1);
});
