// Governance through @polkadot/api: a referendum submitted, its decision deposit placed, votes
// cast with conviction by the dev accounts, and the chain moved on until the referendum ends.
// Shared by the end-to-end test (governance.test.js) and scripts/upgrade.
import { Keyring } from '@polkadot/keyring';
import { blake2AsHex } from '@polkadot/util-crypto';
import { send } from './market.js';

export const UNIT = 10n ** 12n;

/** The dev accounts (each holds 1 000 000 TOS on the dev and local chains). */
export function devAccounts () {
  const keyring = new Keyring({ type: 'sr25519' });
  return ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']
    .map((name) => keyring.addFromUri(`//${name}`));
}

/**
 * Submits `call` as a referendum dispatched with `origin` (`{ system: 'Root' }`,
 * `{ Governance: 'Parameters' }`, …), places the decision deposit, and returns the
 * referendum's index. A call of more than 128 bytes is noted as a preimage first.
 */
export async function propose (api, proposer, call, origin) {
  const index = (await api.query.referenda.referendumCount()).toNumber();
  const encoded = call.method.toU8a();
  let proposal;
  if (encoded.length <= 128) {
    proposal = { Inline: call.method.toHex() };
  } else {
    await send(api, api.tx.preimage.notePreimage(call.method.toHex()), proposer);
    proposal = { Lookup: { hash: call.method.hash.toHex(), len: encoded.length } };
  }
  await send(api, api.tx.referenda.submit(origin, proposal, { After: 0 }), proposer);
  await send(api, api.tx.referenda.placeDecisionDeposit(index), proposer);
  return index;
}

/** `voter` votes `aye` (or nay) on referendum `index` with `balance`, locked once. */
export function vote (api, index, voter, aye, balance = 900_000n * UNIT) {
  return send(api, api.tx.convictionVoting.vote(index, {
    Standard: { vote: { aye, conviction: 'Locked1x' }, balance }
  }), voter);
}

/** Whether referendum `index` is still being decided. */
export async function isOngoing (api, index) {
  const info = await api.query.referenda.referendumInfoFor(index);
  return info.isSome && info.unwrap().isOngoing;
}

/**
 * Waits until `done()` resolves true. With `tick` (a signer), each wait is one block made
 * with a remark (a dev node with instant sealing); without it, a new head (Aura slots).
 */
export async function until (api, done, { tick, limit = 400 } = {}) {
  for (let i = 0; i < limit; i++) {
    if (await done()) return i;
    if (tick) {
      await send(api, api.tx.system.remark('tick'), tick);
    } else {
      // the next new head (the subscription starts with the current one)
      const current = (await api.rpc.chain.getHeader()).number.toNumber();
      await new Promise((resolve, reject) => {
        let unsub;
        let done = false;
        api.rpc.chain.subscribeNewHeads((header) => {
          if (!done && header.number.toNumber() > current) {
            done = true;
            unsub?.();
            resolve();
          }
        }).then((u) => { unsub = u; if (done) u(); }).catch(reject);
      });
    }
  }
  throw new Error(`not done within ${limit} blocks`);
}

/**
 * The whole runtime upgrade by vote: a root referendum on `system.authorizeUpgrade(hash)`,
 * the dev accounts' votes, enactment, then `system.applyAuthorizedUpgrade(code)`. Resolves
 * with the hash of the block that applied it, whether the code changed there, and if not the
 * reason the chain gave. (A changed `:code` is read from the state rather than from the
 * block's events: around an upgrade @polkadot/api swaps its metadata, and decoding that very
 * block's events races with the swap.)
 */
export async function upgradeByReferendum (api, code, { tick, say = () => {} } = {}) {
  const accounts = devAccounts();
  const index = await propose(api, accounts[0], api.tx.system.authorizeUpgrade(blake2AsHex(code)), { system: 'Root' });
  say(`referendum #${index} on the root track; the dev accounts vote aye`);
  for (const voter of accounts.slice(0, 5)) await vote(api, index, voter, true);
  await until(api, async () => (await api.query.system.authorizedUpgrade()).isSome, { tick });
  say('enacted: the upgrade is authorized; applying the code');
  const hash = await new Promise((resolve, reject) => {
    api.tx.system.applyAuthorizedUpgrade(code).send(({ status }) => {
      if (status.isInBlock) resolve(status.asInBlock);
    }).catch(reject);
  });
  const applied = (await api.rpc.state.getStorage(':code', hash)).unwrap().toHex() === code;
  if (applied) return { hash, applied };
  const events = (await (await api.at(hash)).query.system.events()).map((r) => r.event);
  const rejected = events.find((e) => api.events.system.RejectedInvalidAuthorizedUpgrade.is(e));
  const error = rejected && api.registry.findMetaError(rejected.data.error.asModule);
  return { hash, applied, reason: error ? `${error.section}.${error.name}` : 'unknown' };
}
