// The whole AI-mining market as a story, through @polkadot/api against a dev node with
// instant sealing: shared by the end-to-end test (market.test.js), which checks every figure,
// and by scripts/demo, which prints it.
//
// A publisher (Alice) posts a 1 000 TOS code-generation task. Three miners register, commit
// and reveal: Bob and Charlie their own work, Dave a copy of Bob's solution. Three validators
// apply and are certified, then commit and reveal their scores. The chain flags Dave's copy,
// slashes him, judges the rest, and pays the escrow out.
import { Keyring } from '@polkadot/keyring';
import { u8aConcat } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';

export const UNIT = 10n ** 12n;
export const REWARD = 1_000n * UNIT;
const BOND = 100n * UNIT;

/**
 * Signs and sends `tx`, resolving once it is in a block with the block's hash and all the
 * block's events (the hooks' too, not only the transaction's).
 */
export async function send (api, tx, signer, { seconds = 120 } = {}) {
  let unsubscribe = () => {};
  let timer;
  const hash = await new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${tx.method.section}.${tx.method.method}: not in a block within ${seconds} s`)), seconds * 1000);
    tx.signAndSend(signer, ({ status, dispatchError }) => {
      if (dispatchError) {
        const detail = dispatchError.isModule
          ? api.registry.findMetaError(dispatchError.asModule)
          : { section: 'dispatch', name: dispatchError.toString() };
        reject(new Error(`${detail.section}.${detail.name}`));
      } else if (status.isInBlock) {
        resolve(status.asInBlock);
      } else if (status.isDropped || status.isInvalid || status.isUsurped) {
        reject(new Error(`${tx.method.section}.${tx.method.method}: ${status.type}`));
      }
    }).then((unsub) => { unsubscribe = unsub; }, reject);
  }).finally(() => {
    clearTimeout(timer);
    unsubscribe();
  });
  const records = await (await api.at(hash)).query.system.events();
  return { hash, events: records.map((r) => r.event) };
}

/** Calls one of the node's own JSON-RPC methods (`aiMining_*`) through `provider`. */
export function rpc (provider, method, ...params) {
  return provider.send(method, params);
}

/** The story. `say` gets a line for each step; returns what a checker needs. */
export async function runMarket (api, provider, say = () => {}) {
  const keyring = new Keyring({ type: 'sr25519' });
  const [alice, bob, charlie, dave, eve, ferdie, stash] =
    ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie', '//Alice//stash']
      .map((uri) => keyring.addFromUri(uri));
  const miners = { Bob: bob, Charlie: charlie, Dave: dave };
  const validators = { Eve: eve, Ferdie: ferdie, AliceStash: stash };
  const nameOf = (address) => Object.entries({ Alice: alice, ...miners, ...validators })
    .find(([, pair]) => pair.address === address.toString())?.[0] ?? address.toString();
  const tx = api.tx;
  const block = async () => (await api.rpc.chain.getHeader()).number.toNumber();
  const advanceTo = async (n) => {
    while (await block() < n) await send(api, tx.system.remark('tick'), alice);
  };
  const sudo = (call) => send(api, tx.sudo.sudo(call), alice);

  // short windows for a dev chain: 2-block minimum windows, a 2-block dispute window
  const taskParams = (await api.query.tasks.params()).unwrap().toJSON();
  await sudo(tx.tasks.setParams({ ...taskParams, minWindow: 2 }));
  const validationParams = (await api.query.validationVoting.params()).unwrap().toJSON();
  await sudo(tx.validationVoting.setParams({ ...validationParams, disputeBlocks: 2 }));
  say('governance (sudo): task windows of 2 blocks at least, disputes open for 2 blocks');

  for (const [name, pair] of Object.entries(miners)) {
    await send(api, tx.minerReputation.registerMiner(1, BOND), pair);
    say(`${name} registers as a code-generation miner, bonding 100 TOS`);
  }
  for (const [name, pair] of Object.entries(validators)) {
    await send(api, tx.validationVoting.applyValidator(1, BOND), pair);
    await sudo(tx.validationVoting.certify(pair.address, 'CodeGeneration'));
    say(`${name} applies as a validator with a 100 TOS bond; governance certifies it`);
  }

  const taskId = (await api.query.tasks.nextTaskId()).toNumber();
  const published = await send(api, tx.tasks.publishTask({
    taskType: 'CodeGeneration',
    contentHash: blake2AsU8a('write a sorting function'),
    uri: 'ipfs://spec',
    reward: REWARD,
    commitBlocks: 5,
    revealBlocks: 5,
    validationBlocks: 8,
    maxSolutions: 3,
    minLevel: 'Novice',
    panelSize: 3,
    qualityThreshold: 60
  }), alice);
  const task = (await api.query.tasks.tasks(taskId)).unwrap();
  const publishedAt = task.publishedAt.toNumber();
  say(`Alice publishes task #${taskId}: 1 000 TOS in escrow, commits until block ${task.commitEnd}, reveals until ${task.revealEnd}`);

  // Bob and Charlie solve it; Dave copies Bob's solution (he got it off chain)
  const solutionOf = { Bob: blake2AsU8a('bob solution'), Charlie: blake2AsU8a('charlie solution') };
  solutionOf.Dave = solutionOf.Bob;
  const fingerprintOf = (name) => blake2AsU8a(`fingerprint of ${name === 'Dave' ? 'Bob' : name}`);
  const salt = (name) => blake2AsU8a(`salt ${name}`);
  const committedAt = {};
  for (const [name, pair] of Object.entries(miners)) {
    // the commitment binds the solution, its fingerprint, a salt and the miner
    const commitment = blake2AsU8a(u8aConcat(solutionOf[name], fingerprintOf(name), salt(name), pair.publicKey));
    const { hash } = await send(api, tx.tasks.commitSolution(taskId, commitment), pair);
    committedAt[name] = (await api.rpc.chain.getHeader(hash)).number.toNumber();
    say(`${name} commits (block ${committedAt[name]})${name === 'Dave' ? ' — a copy of Bob\'s solution' : ''}`);
  }
  await advanceTo(task.commitEnd.toNumber());
  for (const [name, pair] of Object.entries(miners)) {
    await send(api, tx.tasks.revealSolution(taskId, solutionOf[name], salt(name), fingerprintOf(name), `ipfs://${name}`), pair);
    say(`${name} reveals`);
  }

  // the reveal window closes: the plagiarism detector runs, a panel is drawn
  await advanceTo(task.revealEnd.toNumber() - 1);
  const validationStart = await send(api, tx.system.remark('tick'), alice);
  const flags = validationStart.events.filter((e) => api.events.fraudFlags.Flagged.is(e));
  const slashes = validationStart.events.filter((e) => api.events.fraudFlags.Slashed.is(e));
  for (const e of flags) say(`the chain flags ${nameOf(e.data.who)} for ${e.data.kind.toString()}`);
  for (const e of slashes) say(`…and slashes ${Number(e.data.amount.toBigInt() / UNIT)} TOS of their bonds to the treasury`);
  const round = (await api.query.validationVoting.rounds(taskId)).unwrap();
  const panel = round.panel.map(([who]) => nameOf(who));
  const panelWeights = Object.fromEntries(round.panel.map(([who, weight]) => [nameOf(who), weight.toBigInt()]));
  const solvers = round.solvers.map(nameOf);
  say(`validation starts: panel ${panel.join(', ')}; solutions of ${solvers.join(', ')}`);

  // validators agree: Bob's solution is excellent, Charlie's good
  const opinion = { Bob: { quality: 90, innovation: 80 }, Charlie: { quality: 70, innovation: 40 } };
  const scores = solvers.map((name) => opinion[name]);
  const encoded = api.createType('Vec<TosPrimitivesMiningSolutionScore>', scores).toU8a();
  for (const name of panel) {
    const pair = validators[name];
    const commitment = blake2AsU8a(u8aConcat(encoded, salt(name), pair.publicKey));
    await send(api, tx.validationVoting.commitScores(taskId, commitment), pair);
    say(`${name} commits to its scores`);
  }
  const commitUntil = (await api.query.validationVoting.rounds(taskId)).unwrap().phase.asCommit.until;
  await advanceTo(commitUntil.toNumber());
  for (const name of panel) {
    await send(api, tx.validationVoting.revealScores(taskId, scores, salt(name)), validators[name]);
    say(`${name} reveals: ${solvers.map((s, i) => `${s} ${scores[i].quality}/${scores[i].innovation}`).join(', ')}`);
  }
  const revealUntil = (await api.query.validationVoting.rounds(taskId)).unwrap().phase.asReveal.until;
  await advanceTo(revealUntil.toNumber());
  const provisional = await rpc(provider, 'aiMining_task', taskId);
  say(`provisional result: ${provisional.provisional.map(([who, s]) => `${nameOf(who)} ${s.quality}/${s.innovation}`).join(', ')}; open to disputes for 2 blocks`);

  // nobody disputes: the block after the window settles; watch the balances around it
  const disputeUntil = (await api.query.validationVoting.rounds(taskId)).unwrap().phase.asProvisional.until.toNumber();
  await advanceTo(disputeUntil - 1);
  const accounts = { Alice: alice.address, ...Object.fromEntries(Object.entries({ ...miners, ...validators }).map(([n, p]) => [n, p.address])) };
  const before = {};
  for (const [name, address] of Object.entries(accounts)) before[name] = (await api.query.system.account(address)).data.free.toBigInt();
  const settlement = await send(api, tx.system.remark('settle'), alice);
  // the remark's fee is Alice's; settlement itself ran in the block's initialization
  const after = {};
  for (const [name, address] of Object.entries(accounts)) after[name] = (await api.query.system.account(address)).data.free.toBigInt();
  const paid = settlement.events.filter((e) => api.events.rewards.RewardPaid.is(e))
    .map((e) => ({ who: nameOf(e.data.who), amount: e.data.amount.toBigInt() }));
  for (const { who, amount } of paid) say(`${who} is paid ${formatTos(amount)} TOS`);
  const rewarded = settlement.events.find((e) => api.events.rewards.TaskRewarded.is(e));
  say(`the treasury gets ${formatTos(rewarded.data.toTreasury.toBigInt())} TOS (the network fee, the participants' part nobody qualified for, rounding)`);
  const detail = await rpc(provider, 'aiMining_task', taskId);
  const daveProfile = await rpc(provider, 'aiMining_profile', dave.address);
  say(`aiMining_task(${taskId}): ${detail.summary.state}; ${detail.solutions.map((s) => `${nameOf(s.miner)}${s.flagged ? ' (flagged)' : ''} earned ${formatTos(BigInt(s.reward))} TOS`).join(', ')}`);
  say(`aiMining_profile(Dave): bond ${formatTos(BigInt(daveProfile.miner.bond))} TOS, offences ${daveProfile.fraud.offences}`);
  return {
    taskId, committedAt, publishedAt, task, panel, panelWeights, solvers, opinion, validationStart, flags, slashes, paid, rewarded, before, after,
    detail, daveProfile, published, nameOf, keys: { alice, bob, charlie, dave, eve, ferdie, stash }
  };
}

export function formatTos (planck) {
  const whole = planck / UNIT;
  const fraction = (planck % UNIT).toString().padStart(12, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}
