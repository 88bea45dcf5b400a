// The whole AI-mining market as a story, through @polkadot/api against a dev node with
// instant sealing: shared by the end-to-end test (market.test.js), which checks every figure,
// and by scripts/demo, which prints it.
//
// A publisher (Alice) posts a 1 000 TOS code-generation task. Three miners register, commit
// and reveal: Bob and Charlie their own work, Dave a copy of Bob's solution with a changed
// byte (a fresh hash) and a made-up fingerprint, so that the chain's hash and fingerprint
// filter cannot pair it with Bob's. Three validators apply and are certified, then commit and
// reveal their judgements: scores, and verdicts on fingerprints and copies, computed from the
// content (TOS-SimHash-256, fingerprint.js). The panel rejects Dave's fingerprint, his bond is
// forfeited, and the rest is paid out of the escrow.
import { Keyring } from '@polkadot/keyring';
import { stringToU8a, u8aConcat, u8aEq, u8aToBigInt } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { hamming, NEAR_DUPLICATE_BITS, simhash } from './fingerprint.js';

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

/** Every event of the blocks numbered `from` to `to`. */
export async function eventsIn (api, from, to) {
  const out = [];
  for (let n = from; n <= to; n++) {
    const hash = await api.rpc.chain.getBlockHash(n);
    out.push(...(await (await api.at(hash)).query.system.events()).map((r) => r.event));
  }
  return out;
}

/** Calls one of the node's own JSON-RPC methods (`aiMining_*`) through `provider`. */
export function rpc (provider, method, ...params) {
  return provider.send(method, params);
}

/**
 * A validator's stake weight in draws, as the runtime computes it (`weight_of`): its bond up
 * to the stake cap, times its reputation (a Perbill, rounded to the nearest, ties down).
 */
export async function seatWeight (api, provider, address) {
  const profile = await rpc(provider, 'aiMining_profile', address);
  if (!profile.validator) return 0n;
  const cap = (await api.query.validationVoting.params()).unwrap().stakeCap.toBigInt();
  const bond = BigInt(profile.validator.bond);
  const product = (bond < cap ? bond : cap) * BigInt(profile.validator.reputation);
  const [whole, rest] = [product / 1_000_000_000n, product % 1_000_000_000n];
  return rest > 500_000_000n ? whole + 1n : whole;
}

/**
 * What a validator's program does when a private draw opens on `taskId`: signs the draw's
 * message with its key's VRF (`primitives::sortition`: context "tos-seat-1", the message
 * `"tos/seat" ‖ seed ‖ task (u64 LE) ‖ appeal ‖ attempt`), hashes the VRF output into its
 * ticket and compares it with its threshold, `seats × weight / eligible` of 2^128. Returns
 * the proof `commitWithSeat` takes if the ticket wins, `null` if it does not (or if no draw
 * is open). Nobody learns either before the validator commits.
 */
export async function seatProof (api, provider, taskId, pair) {
  const open = await api.query.validationVoting.draws(taskId);
  if (open.isNone) return null;
  const draw = open.unwrap();
  const message = u8aConcat(stringToU8a('tos/seat'), draw.seed.toU8a(), api.createType('u64', taskId).toU8a(),
    draw.appeal.toU8a(), draw.attempt.toU8a());
  const vrf = pair.vrfSign(message, stringToU8a('tos-seat-1'));
  const preOutput = vrf.subarray(0, 32);
  const ticket = u8aToBigInt(blake2AsU8a(u8aConcat(stringToU8a('tos/ticket'), preOutput)).subarray(0, 16), { isLe: true });
  const weight = await seatWeight(api, provider, pair.address);
  const [eligible, chances] = [draw.eligible.toBigInt(), draw.seats.toBigInt() * weight];
  const wins = weight > 0n && eligible > 0n && (chances >= eligible || ticket * eligible < (chances << 128n));
  return wins ? { preOutput, proof: vrf.subarray(32, 96) } : null;
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
    commitBlocks: 6,
    revealBlocks: 5,
    validationBlocks: 8,
    maxSolutions: 3,
    minLevel: 'Novice',
    panelSize: 3,
    qualityThreshold: 60
  }), alice);
  const task = (await api.query.tasks.tasks(taskId)).unwrap();
  const publishedAt = task.publishedAt.toNumber();
  say(`Alice publishes task #${taskId}: 1 000 TOS in escrow, commits from block ${task.earliestCommit} (the task type's minimum solve time) until ${task.commitEnd}, reveals until ${task.revealEnd}; a commitment bonds ${formatTos(task.submissionBond.toBigInt())} TOS`);

  // Bob and Charlie solve it; Dave copies Bob's solution (he got it off chain), changes a
  // byte so that its hash is fresh, and declares a fingerprint of his own invention
  const contentOf = {
    Bob: 'fn sort(v: &mut Vec<i32>) { v.sort_unstable() } // in place, O(n log n)',
    Charlie: 'def sort(xs): return sorted(xs)  # a new list, Timsort'
  };
  contentOf.Dave = contentOf.Bob + ' ';
  const hashOf = (name) => blake2AsU8a(contentOf[name]);
  const fingerprintOf = (name) => (name === 'Dave' ? blake2AsU8a('a fingerprint Dave made up') : simhash(contentOf[name]));
  const salt = (name) => blake2AsU8a(`salt ${name}`);
  await advanceTo(task.earliestCommit.toNumber() - 1);
  const committedAt = {};
  for (const [name, pair] of Object.entries(miners)) {
    // the commitment binds the solution, its fingerprint, a salt and the miner
    const commitment = blake2AsU8a(u8aConcat(hashOf(name), fingerprintOf(name), salt(name), pair.publicKey));
    const { hash } = await send(api, tx.tasks.commitSolution(taskId, commitment), pair);
    committedAt[name] = (await api.rpc.chain.getHeader(hash)).number.toNumber();
    say(`${name} commits (block ${committedAt[name]})${name === 'Dave' ? ' — a copy of Bob\'s solution' : ''}`);
  }
  await advanceTo(task.commitEnd.toNumber());
  for (const [name, pair] of Object.entries(miners)) {
    await send(api, tx.tasks.revealSolution(taskId, hashOf(name), salt(name), fingerprintOf(name), `ipfs://${name}`), pair);
    say(`${name} reveals`);
  }

  // the reveal window closes: a panel is drawn
  await advanceTo(task.revealEnd.toNumber() - 1);
  const validationStart = await send(api, tx.system.remark('tick'), alice);
  const flags = validationStart.events.filter((e) => api.events.fraudFlags.Flagged.is(e));
  for (const e of flags) say(`the chain flags ${nameOf(e.data.who)} for ${e.data.kind.toString()}`);
  const drawn = (await api.query.validationVoting.draws(taskId)).unwrap();
  const solvers = (await api.query.validationVoting.rounds(taskId)).unwrap().solvers.map(nameOf);
  say(`validation starts: a private draw of ${drawn.seats} seats (its seed published, nobody named); solutions of ${solvers.join(', ')}`);

  // every validator fetches the content behind each revealed hash (here: knows it), checks
  // the fingerprint against it and looks for copies; they agree Bob's solution is
  // excellent, Charlie's good, and Dave's a copy under a false fingerprint
  const opinion = { Bob: { quality: 90, innovation: 80 }, Charlie: { quality: 70, innovation: 40 }, Dave: { quality: 90, innovation: 80 } };
  const revealed = await Promise.all(solvers.map(async (name) => {
    const c = (await api.query.tasks.commitments(taskId, miners[name].address)).unwrap();
    return { name, fingerprint: c.solution.unwrap().fingerprint.toU8a() };
  }));
  const judgements = revealed.map(({ name, fingerprint }, i) => {
    const actual = simhash(contentOf[name]);
    const original = revealed.findIndex((other, j) => j < i &&
      hamming(simhash(contentOf[other.name]), actual) <= NEAR_DUPLICATE_BITS);
    return {
      ...opinion[name],
      fingerprintOk: u8aEq(fingerprint, actual),
      copyOf: original >= 0 ? original : null
    };
  });
  const judgementType = api.tx.validationVoting.revealScores.meta.args[1].type.toString();
  const encoded = api.createType(judgementType, judgements).toU8a();
  // each validator evaluates its ticket in private; a winner takes its seat with its
  // commitment, and only then is it known to be on the panel
  for (const [name, pair] of Object.entries(validators)) {
    const proof = await seatProof(api, provider, taskId, pair);
    if (!proof) {
      say(`${name}'s ticket does not win a seat`);
      continue;
    }
    const commitment = blake2AsU8a(u8aConcat(encoded, salt(name), pair.publicKey));
    await send(api, tx.validationVoting.commitWithSeat(taskId, commitment, proof), pair);
    say(`${name}'s ticket wins a seat: it shows its VRF proof and commits to its judgements`);
  }
  const round = (await api.query.validationVoting.rounds(taskId)).unwrap();
  const panel = round.panel.map(([who]) => nameOf(who));
  const panelWeights = Object.fromEntries(round.panel.map(([who, weight]) => [nameOf(who), weight.toBigInt()]));
  say(`the panel, as it sat: ${panel.join(', ')}`);
  const commitUntil = (await api.query.validationVoting.rounds(taskId)).unwrap().phase.asCommit.until;
  await advanceTo(commitUntil.toNumber());
  const verdict = (j) => `${j.quality}/${j.innovation}${j.fingerprintOk ? '' : ', false fingerprint'}${j.copyOf === null ? '' : `, a copy of ${solvers[j.copyOf]}`}`;
  for (const name of panel) {
    await send(api, tx.validationVoting.revealScores(taskId, judgements, salt(name)), validators[name]);
    say(`${name} reveals: ${solvers.map((s, i) => `${s} ${verdict(judgements[i])}`).join('; ')}`);
  }
  const revealUntil = (await api.query.validationVoting.rounds(taskId)).unwrap().phase.asReveal.until;
  await advanceTo(revealUntil.toNumber());
  const provisional = await rpc(provider, 'aiMining_task', taskId);
  say(`provisional result: ${provisional.provisional.map(([who, s]) => `${nameOf(who)} ${s.quality}/${s.innovation}`).join(', ')}; open to disputes for 2 blocks`);

  // nobody disputes: the block after the window settles; watch the balances around it
  const disputeUntil = (await api.query.validationVoting.rounds(taskId)).unwrap().phase.asProvisional.until.toNumber();
  await advanceTo(disputeUntil - 1);
  const accounts = { Alice: alice.address, ...Object.fromEntries(Object.entries({ ...miners, ...validators }).map(([n, p]) => [n, p.address])) };
  const balances = async () => {
    const out = {};
    for (const [name, address] of Object.entries(accounts)) {
      const { free, reserved } = (await api.query.system.account(address)).data;
      // a miner's pay from a task vests (held for the tasks pallet) until the task is cleaned up
      const vesting = (await api.query.balances.holds(address))
        .filter((h) => JSON.stringify(h.id.toHuman()).includes('PayVesting'))
        .reduce((sum, h) => sum + h.amount.toBigInt(), 0n);
      out[name] = { free: free.toBigInt(), held: reserved.toBigInt(), vesting };
    }
    return out;
  };
  const before = await balances();
  const settlement = await send(api, tx.system.remark('settle'), alice);
  // the remark's fee is Alice's; settlement itself ran in the block's initialization
  const after = await balances();
  const paid = settlement.events.filter((e) => api.events.tasks.RewardPaid.is(e))
    .map((e) => ({ who: nameOf(e.data.who), amount: e.data.amount.toBigInt() }));
  for (const { who, amount } of paid) say(`${who} is paid ${formatTos(amount)} TOS`);
  const forfeited = settlement.events.filter((e) => api.events.tasks.BondForfeited.is(e))
    .map((e) => ({ who: nameOf(e.data.miner), bond: e.data.bond.toBigInt(), reason: e.data.reason.toString() }));
  for (const { who, bond, reason } of forfeited) say(`${who}'s ${formatTos(bond)} TOS commitment bond is forfeited to the treasury (${reason})`);
  const settled = settlement.events.find((e) => api.events.tasks.TaskSettled.is(e));
  const judging = await eventsIn(api, (await api.rpc.chain.getHeader(validationStart.hash)).number.toNumber(), await block());
  const rejected = judging.filter((e) => api.events.validationVoting.FingerprintRejected.is(e)).map((e) => nameOf(e.data.miner));
  for (const name of rejected) say(`the panel's majority rejected ${name}'s fingerprint: his solution was out`);
  say(`the network fee, ${formatTos(settled.data.burned.toBigInt())} TOS, is burned: the most emission this task can ever earn`);
  say(`the treasury gets ${formatTos(settled.data.toTreasury.toBigInt())} TOS of the escrow (the participants' part nobody qualified for, rounding)`);
  const detail = await rpc(provider, 'aiMining_task', taskId);
  const daveProfile = await rpc(provider, 'aiMining_profile', dave.address);
  say(`aiMining_task(${taskId}): ${detail.summary.state}; ${detail.solutions.map((s) => `${nameOf(s.miner)} earned ${formatTos(BigInt(s.reward))} TOS`).join(', ')}`);
  say(`aiMining_profile(Dave): bond ${formatTos(BigInt(daveProfile.miner.bond))} TOS, offences ${daveProfile.fraud.offences}`);
  return {
    taskId, committedAt, publishedAt, task, panel, panelWeights, solvers, opinion, judgements, validationStart, flags, rejected, paid, forfeited, settled, before, after,
    detail, daveProfile, published, nameOf, keys: { alice, bob, charlie, dave, eve, ferdie, stash }
  };
}

export function formatTos (planck) {
  const whole = planck / UNIT;
  const fraction = (planck % UNIT).toString().padStart(12, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

/**
 * Plays one task through the market from the outside, as its participants would:
 * `publisher` publishes `spec`; each of `miners` ({ pair, content, fingerprint?, early? })
 * commits — at the earliest allowed block, or with `early` in the block after publication —
 * and reveals; each of `validators` ({ pair, judge }) sits if its ticket wins the private draw
 * (`seatProof`) and reveals
 * `judge(solvers)` (one judgement per solver, by name) — on the panel in the reveal window, as
 * a sealed member once the result is provisional. With `dispute` ({ by, council? }), `by`
 * disputes the provisional result; with `council`, the appeal referred to the council (too few
 * validators to hear it), governance judges it `council(solvers)`; otherwise nobody disputes. Resolves once the task is settled with what everyone gained
 * (free plus held), the panel, and every event of the task's blocks.
 */
export async function playTask (api, provider, { publisher, spec, miners, validators, names, dispute }) {
  const tx = api.tx;
  const block = async () => (await api.rpc.chain.getHeader()).number.toNumber();
  const tick = () => send(api, tx.system.remark('tick'), publisher);
  const advanceTo = async (n) => { while (await block() < n) await tick(); };
  const nameOf = (address) => Object.entries(names).find(([, p]) => p.address === address.toString())?.[0] ?? address.toString();
  const total = async () => {
    const out = {};
    for (const [name, pair] of Object.entries(names)) {
      const { free, reserved } = (await api.query.system.account(pair.address)).data;
      out[name] = free.toBigInt() + reserved.toBigInt();
    }
    return out;
  };
  const before = await total();
  const taskId = (await api.query.tasks.nextTaskId()).toNumber();
  const first = (await send(api, tx.tasks.publishTask(spec), publisher));
  const from = (await api.rpc.chain.getHeader(first.hash)).number.toNumber();
  const task = (await api.query.tasks.tasks(taskId)).unwrap();
  const salt = (name) => blake2AsU8a(`salt ${name} ${taskId}`);
  const solution = (m) => ({ hash: blake2AsU8a(m.content), fingerprint: m.fingerprint ?? simhash(m.content) });
  const byName = Object.fromEntries(miners.map((m) => [nameOf(m.pair.address), m]));
  for (const early of [true, false]) {
    if (!early) await advanceTo(task.earliestCommit.toNumber() - 1);
    for (const m of miners.filter((m) => Boolean(m.early) === early)) {
      const { hash, fingerprint } = solution(m);
      const name = nameOf(m.pair.address);
      const commitment = blake2AsU8a(u8aConcat(hash, fingerprint, salt(name), m.pair.publicKey));
      await send(api, tx.tasks.commitSolution(taskId, commitment), m.pair);
    }
  }
  await advanceTo(task.commitEnd.toNumber());
  for (const m of miners) {
    const { hash, fingerprint } = solution(m);
    await send(api, tx.tasks.revealSolution(taskId, hash, salt(nameOf(m.pair.address)), fingerprint, 'ipfs://s'), m.pair);
  }
  await advanceTo(task.revealEnd.toNumber());
  const solvers = (await api.query.validationVoting.rounds(taskId)).unwrap().solvers.map(nameOf);
  const judgementType = api.tx.validationVoting.revealScores.meta.args[1].type.toString();
  const ballots = {};
  // the draw is private: each validator whose ticket wins takes its seat with its commitment
  for (const v of validators) {
    const proof = await seatProof(api, provider, taskId, v.pair);
    if (!proof) continue;
    const name = nameOf(v.pair.address);
    const judgements = v.judge(solvers, byName);
    ballots[name] = judgements;
    const encoded = api.createType(judgementType, judgements).toU8a();
    await send(api, tx.validationVoting.commitWithSeat(taskId, blake2AsU8a(u8aConcat(encoded, salt(name), v.pair.publicKey)), proof), v.pair);
  }
  // the commit window closes: those who sat are split — the heaviest are the panel, which
  // reveals now; the others, if enough sat, are sealed and reveal once its result is out
  await advanceTo((await api.query.validationVoting.rounds(taskId)).unwrap().phase.asCommit.until.toNumber());
  const round = (await api.query.validationVoting.rounds(taskId)).unwrap();
  const panel = round.panel.map(([who, weight]) => ({ name: nameOf(who), weight: weight.toBigInt() }));
  const sealed = (await api.query.validationVoting.reserves(taskId)).unwrapOr([]).map(([who]) => nameOf(who));
  const validatorNamed = (name) => validators.find((x) => nameOf(x.pair.address) === name);
  for (const { name } of panel) {
    await send(api, tx.validationVoting.revealScores(taskId, ballots[name], salt(name)), validatorNamed(name).pair);
  }
  await advanceTo((await api.query.validationVoting.rounds(taskId)).unwrap().phase.asReveal.until.toNumber());
  for (const name of sealed) {
    await send(api, tx.validationVoting.revealScores(taskId, ballots[name], salt(name)), validatorNamed(name).pair);
  }
  if (dispute) {
    await send(api, tx.validationVoting.dispute(taskId), dispute.by);
    if (dispute.council) {
      await tick();
      const phase = (await api.query.validationVoting.rounds(taskId)).unwrap().phase;
      if (!phase.isCouncil) throw new Error(`the appeal is not with the council: ${phase.type}`);
      const council = api.createType(judgementType, dispute.council(solvers, byName));
      await send(api, tx.sudo.sudo(tx.validationVoting.councilJudge(taskId, council)), publisher);
    }
  }
  // the dispute window passes; the task settles in a block's initialization
  while (!(await api.query.tasks.tasks(taskId)).unwrap().status.isSettled) await tick();
  const after = await total();
  const events = await eventsIn(api, from, await block());
  const gains = Object.fromEntries(Object.keys(after).map((n) => [n, after[n] - before[n]]));
  const settled = events.find((e) => api.events.tasks.TaskSettled.is(e) && e.data.taskId.toNumber() === taskId);
  const paid = {};
  for (const e of events.filter((e) => api.events.tasks.RewardPaid.is(e) && e.data.taskId.toNumber() === taskId)) {
    paid[nameOf(e.data.who)] = (paid[nameOf(e.data.who)] ?? 0n) + e.data.amount.toBigInt();
  }
  return { taskId, task, panel, sealed, solvers, events, gains, paid, settled, nameOf };
}
