// Cheating against a real node (issues 16, 17): the strategies of the mechanism simulation
// (sim/, docs/MECHANISM.md) that a test can play in a few tasks, played over JSON-RPC with
// real accounts against `tos-node --dev --sealing instant`, each against the same accounts
// playing honestly — the figures come from balances and events, not from the runtime's
// internals.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startNode } from './node.js';
import { hamming, NEAR_DUPLICATE_BITS, simhash } from './fingerprint.js';
import { REWARD, UNIT, playTask, rpc, send } from './market.js';

let node;
let provider;
let api;
let keys;
let alice;

const spec = (panelSize) => ({
  taskType: 'CodeGeneration',
  contentHash: '0x' + '11'.repeat(32),
  uri: 'ipfs://spec',
  reward: REWARD,
  commitBlocks: 8,
  revealBlocks: 6,
  validationBlocks: 12,
  maxSolutions: 4,
  minLevel: 'Novice',
  panelSize,
  qualityThreshold: 60
});

// what a miner's work is worth, as every honest expert sees it
const truth = { Bob: [80, 60], Partner: [3, 2], Sybil1: [70, 50], Sybil2: [70, 50], Dave: [90, 90] };
const contentOf = {
  Bob: 'fn sort(v: &mut [u64]) { v.sort_unstable() }',
  Partner: 'todo',
  Sybil1: 'def sort(xs): return sorted(xs)',
  Sybil2: 'def sort(xs): return sorted(xs)',
  Dave: 'a solution written before the task was published'
};

/** An honest validator: the true scores, and verdicts recomputed from the content. */
function honest (solvers) {
  return solvers.map((name, i) => {
    const actual = simhash(contentOf[name]);
    const original = solvers.findIndex((other, j) => j < i && hamming(simhash(contentOf[other]), actual) <= NEAR_DUPLICATE_BITS);
    return {
      quality: truth[name][0],
      innovation: truth[name][1],
      fingerprintOk: true,
      copyOf: original >= 0 ? original : null
    };
  });
}

/** The whale's ballot: its partner 100, everyone else 0. */
function colluding (solvers) {
  return honest(solvers).map((j, i) => {
    const top = solvers[i] === 'Partner' ? 100 : 0;
    return { ...j, quality: top, innovation: top };
  });
}

const tos = (planck) => (Number(planck) / Number(UNIT)).toFixed(3);
const miner = (name, extra = {}) => ({ pair: keys[name], content: contentOf[name], ...extra });

before(async () => {
  await cryptoWaitReady();
  node = await startNode(['--dev', '--sealing', 'instant']);
  provider = new WsProvider(node.endpoint);
  api = await ApiPromise.create({ provider, noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519' });
  alice = keyring.addFromUri('//Alice');
  keys = Object.fromEntries(['Bob', 'Partner', 'Sybil1', 'Sybil2', 'Dave', 'V1', 'V2', 'V3', 'Whale']
    .map((name) => [name, keyring.addFromUri(`//Alice//${name}`)]));
  const sudo = (call) => send(api, api.tx.sudo.sudo(call), alice);
  const taskParams = (await api.query.tasks.params()).unwrap().toJSON();
  await sudo(api.tx.tasks.setParams({ ...taskParams, minWindow: 2 }));
  const validationParams = (await api.query.validationVoting.params()).unwrap().toJSON();
  await sudo(api.tx.validationVoting.setParams({ ...validationParams, disputeBlocks: 2 }));
  for (const [name, pair] of Object.entries(keys)) {
    const endowment = name === 'Whale' ? 200_000n * UNIT : 1_000n * UNIT;
    await send(api, api.tx.balances.transferKeepAlive(pair.address, endowment), alice);
  }
  for (const name of ['Bob', 'Partner', 'Sybil1', 'Sybil2', 'Dave']) {
    await send(api, api.tx.minerReputation.registerMiner(1, 100n * UNIT), keys[name]);
  }
  for (const name of ['V1', 'V2', 'V3', 'Whale']) {
    const bond = name === 'Whale' ? 100_000n * UNIT : 100n * UNIT;
    await send(api, api.tx.validationVoting.applyValidator(1, bond), keys[name]);
    await sudo(api.tx.validationVoting.certify(keys[name].address, 'CodeGeneration'));
  }
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

const play = (miners, validators, panelSize) => playTask(api, provider, {
  publisher: alice,
  spec: spec(panelSize),
  miners,
  validators: validators.map(([name, judge]) => ({ pair: keys[name], judge })),
  names: keys
});
const scoreOf = (outcome, name) => {
  const final = outcome.events.find((e) => api.events.validationVoting.ResultFinal.is(e));
  return final.data.scores[outcome.solvers.indexOf(name)].quality.toNumber();
};
const escrowExact = (outcome, reward = REWARD) => {
  const s = outcome.settled.data;
  assert.equal(s.paid.toBigInt() + s.refunded.toBigInt() + s.burned.toBigInt() + s.toTreasury.toBigInt(), reward, 'the escrow to the planck');
};

test('a whale validator buys one capped seat, is set aside and unpaid, and its colluding pair loses money', async (t) => {
  const miners = [miner('Bob'), miner('Partner')];
  const panel = [['V1', honest], ['V2', honest], ['V3', honest]];
  const fair = await play(miners, [...panel, ['Whale', honest]], 4);
  const cheat = await play(miners, [...panel, ['Whale', colluding]], 4);
  for (const outcome of [fair, cheat]) escrowExact(outcome);

  // 1 000 times the others' bond counts as 100 times (the stake cap, 10 000 TOS), and the
  // tally caps any seat at a quarter of the panel: the whale is one voice of four
  const seat = Object.fromEntries(cheat.panel.map((m) => [m.name, m.weight]));
  assert.equal(cheat.panel.length, 4);
  assert.equal(seat.Whale, 100n * seat.V1, 'stake weight: min(bond, cap) × reputation');

  // its scores are set aside: the consensus is the honest one, its partner's junk forfeits
  const flagged = cheat.events.filter((e) => api.events.validationVoting.ValidatorFlagged.is(e)).map((e) => cheat.nameOf(e.data.validator));
  assert.deepEqual(flagged, ['Whale']);
  assert.equal(scoreOf(cheat, 'Partner'), truth.Partner[0]);
  assert.equal(scoreOf(cheat, 'Bob'), truth.Bob[0]);
  assert.equal(cheat.paid.Whale, undefined, 'a flagged validator is not paid');
  assert.ok(fair.paid.Whale > 0n, 'the same whale judging honestly is');
  const forfeits = cheat.events.filter((e) => api.events.tasks.BondForfeited.is(e)).map((e) => [cheat.nameOf(e.data.miner), e.data.reason.toString()]);
  assert.deepEqual(forfeits, [['Partner', 'BelowMinimumQuality']]);

  // the pair's return: a loss, and less than honest play
  const pair = (o) => o.gains.Whale + o.gains.Partner;
  t.diagnostic(`whale + partner: ${tos(pair(cheat))} TOS colluding, ${tos(pair(fair))} TOS honest`);
  assert.ok(pair(cheat) < 0n, `the pair gains ${pair(cheat)}`);
  assert.ok(pair(cheat) < pair(fair), `colluding ${pair(cheat)} vs honest ${pair(fair)}`);
  // honest participants lose nothing by it
  assert.ok(cheat.paid.Bob >= fair.paid.Bob, `Bob: ${cheat.paid.Bob} vs ${fair.paid.Bob}`);
  for (const v of ['V1', 'V2', 'V3']) assert.ok(cheat.paid[v] >= fair.paid[v], `${v}'s pay`);
});

test('one solution under two identities earns less than once, and the copy, confirmed, gives the reward back on top; a pre-computed commitment is excluded and forfeits', async (t) => {
  // the whale has made its point: its certification goes
  await send(api, api.tx.sudo.sudo(api.tx.validationVoting.decertify(keys.Whale.address, 'CodeGeneration')), alice);
  const panel = [['V1', honest], ['V2', honest], ['V3', honest]];
  const once = await play([miner('Bob'), miner('Sybil1')], panel, 3);
  const split = await play([miner('Bob'), miner('Sybil1'), miner('Sybil2'), miner('Dave', { early: true })], panel, 3);
  for (const outcome of [once, split]) escrowExact(outcome);

  // the chain's filter pairs the identical solutions; the group shares one solution's reward
  const grouped = split.events.find((e) => api.events.validationVoting.CopiesGrouped.is(e));
  assert.deepEqual(grouped.data.miners.map(split.nameOf).sort(), ['Sybil1', 'Sybil2']);
  const twice = split.paid.Sybil1 + split.paid.Sybil2;
  t.diagnostic(`one solution: ${tos(once.paid.Sybil1)} TOS once, ${tos(twice)} TOS under two identities; Dave ${tos(split.gains.Dave)} TOS`);
  assert.ok(twice < once.paid.Sybil1, `two identities ${twice} vs once ${once.paid.Sybil1}`);
  assert.ok(split.gains.Sybil1 + split.gains.Sybil2 < once.gains.Sybil1, 'net of fees too');
  assert.ok(split.paid.Bob >= once.paid.Bob, 'the honest miner loses nothing by it');

  // Dave committed the block after publication, before the task type's minimum solve time
  const flags = split.events.filter((e) => api.events.fraudFlags.Flagged.is(e)).map((e) => [split.nameOf(e.data.who), e.data.kind.toString()]);
  assert.deepEqual(flags, [['Dave', 'PreComputation']]);
  assert.ok(!split.solvers.includes('Dave'), 'excluded from judging');
  assert.equal(split.paid.Dave, undefined);
  const forfeits = split.events.filter((e) => api.events.tasks.BondForfeited.is(e)).map((e) => [split.nameOf(e.data.miner), e.data.reason.toString(), e.data.bond.toBigInt()]);
  assert.deepEqual(forfeits, [['Dave', 'PreComputation', REWARD * 2n / 100n]]);
  assert.ok(split.gains.Dave < -(REWARD * 2n / 100n) + 1n, 'Dave loses his bond (and fees)');
  // a flag alone never slashes: Dave's stake is whole
  assert.equal((await api.query.minerReputation.miners(keys.Dave.address)).unwrap().bond.toBigInt(), 100n * UNIT);

  // the copy, reported (by the author whose work it copied, or anyone) and confirmed by the
  // council, gives back its share and the task's whole reward on top, and 80 % of its bond
  await send(api, api.tx.balances.transferKeepAlive(keys.Sybil2.address, split.paid.Sybil2 + REWARD), alice);
  const bond = (await api.query.minerReputation.miners(keys.Sybil2.address)).unwrap().bond.toBigInt();
  const reportId = (await api.query.fraudFlags.nextReportId()).toNumber();
  await send(api, api.tx.fraudFlags.reportFraud(keys.Sybil2.address, 'Plagiarism', split.taskId, '0x' + 'c1'.repeat(32)), keys.Bob);
  const { events } = await send(api, api.tx.sudo.sudo(api.tx.fraudFlags.confirm(reportId)), alice);
  const clawed = events.find((e) => api.events.fraudFlags.ClawedBack.is(e));
  const slashed = events.find((e) => api.events.fraudFlags.Slashed.is(e));
  t.diagnostic(`the copy, confirmed: ${tos(clawed.data.amount.toBigInt())} TOS given back (paid ${tos(split.paid.Sybil2)}), ${tos(slashed.data.amount.toBigInt())} slashed`);
  assert.equal(split.nameOf(clawed.data.who), 'Sybil2');
  assert.equal(clawed.data.amount.toBigInt(), split.paid.Sybil2 + REWARD);
  assert.equal(slashed.data.amount.toBigInt(), bond * 80n / 100n);
  assert.equal((await api.query.minerReputation.reputations(keys.Sybil2.address)).unwrap().fraudFlags.toNumber(), 1);
});

test('wash trading: a publisher, its miners and its panel, all one person, mint less emission than their tasks burn', async (t) => {
  // seven fresh accounts of one person: no emission points of their own before
  const keyring = new Keyring({ type: 'sr25519' });
  const wash = Object.fromEntries(['Trader', 'W1', 'W2', 'W3', 'WV1', 'WV2', 'WV3']
    .map((name) => [name, keyring.addFromUri(`//Alice//wash//${name}`)]));
  const sudo = (call) => send(api, api.tx.sudo.sudo(call), alice);
  for (const pair of Object.values(wash)) {
    await send(api, api.tx.balances.transferKeepAlive(pair.address, 1_000n * UNIT), alice);
  }
  for (const name of ['W1', 'W2', 'W3']) {
    await send(api, api.tx.minerReputation.registerMiner(1 << 5, 100n * UNIT), wash[name]);
  }
  // the only validators of the task type `Other`: every panel of its tasks is the trader's
  for (const name of ['WV1', 'WV2', 'WV3']) {
    await send(api, api.tx.validationVoting.applyValidator(1 << 5, 100n * UNIT), wash[name]);
    await sudo(api.tx.validationVoting.certify(wash[name].address, 'Other'));
  }
  const everything100 = (solvers) => solvers.map(() => ({ quality: 100, innovation: 100, fingerprintOk: true, copyOf: null }));
  const pending = async () => {
    let sum = 0n;
    for (const pair of Object.values(wash)) {
      for (const p of await rpc(provider, 'aiMining_pendingRewards', pair.address)) sum += BigInt(p.amount);
    }
    return sum;
  };
  const emittedBefore = await pending();
  let burned = 0n;
  let gains = 0n;
  // the smallest tasks the chain takes (1 TOS), solved with junk and scored 100
  for (let i = 0; i < 2; i++) {
    const outcome = await playTask(api, provider, {
      publisher: wash.Trader,
      spec: { ...spec(3), taskType: 'Other', reward: UNIT, maxSolutions: 3 },
      miners: ['W1', 'W2', 'W3'].map((name) => ({ pair: wash[name], content: `junk ${name} ${i}` })),
      validators: ['WV1', 'WV2', 'WV3'].map((name) => ({ pair: wash[name], judge: everything100 })),
      names: wash
    });
    escrowExact(outcome, UNIT);
    assert.equal(outcome.settled.data.winners.toNumber(), 3, 'every junk solution "won"');
    burned += outcome.settled.data.burned.toBigInt();
    gains += Object.values(outcome.gains).reduce((a, b) => a + b, 0n);
  }
  const emission = (await pending()) - emittedBefore;
  t.diagnostic(`two 1 TOS wash tasks: ${tos(burned)} TOS burned, ${tos(emission)} TOS of emission, balances ${tos(gains)} TOS`);
  assert.ok(burned === 2n * UNIT * 500n / 10_000n, `the 5 % fee of each task burned: ${burned}`);
  // the rule: a task's emission is at most 90 % of what it burned, whoever solved and judged it
  assert.ok(emission <= burned * 9n / 10n, `emission ${emission} for ${burned} burned`);
  // and the trade as a whole loses money
  assert.ok(gains + emission < 0n, `the trader nets ${gains + emission}`);
});

test('a griefer who disputes every result pays twice as much for each dispute it lost in a row', async (t) => {
  // three validators of the type are left (the whale is decertified): an appeal panel of
  // seven cannot be drawn, so governance (sudo, the council) hears every appeal
  const panel = [['V1', honest], ['V2', honest], ['V3', honest]];
  const miners = [miner('Bob'), miner('Sybil1')];
  const quiet = await play(miners, panel, 3);
  const bonds = [];
  const griefed = [];
  for (let i = 0; i < 2; i++) {
    const outcome = await playTask(api, provider, {
      publisher: alice,
      spec: spec(3),
      miners,
      validators: panel.map(([name, judge]) => ({ pair: keys[name], judge })),
      names: keys,
      dispute: { by: keys.Bob, council: honest }
    });
    escrowExact(outcome);
    const decided = outcome.events.find((e) => api.events.validationVoting.AppealDecided.is(e));
    assert.equal(decided.data.overturned.isTrue, false, 'the council upholds the honest result');
    bonds.push(outcome.events.find((e) => api.events.validationVoting.Disputed.is(e)).data.bond.toBigInt());
    griefed.push(outcome);
  }
  t.diagnostic(`dispute bonds: ${bonds.map(tos).join(', ')} TOS; Bob ${tos(quiet.gains.Bob)} TOS a task without disputing, ${griefed.map((o) => tos(o.gains.Bob)).join(', ')} with`);
  // 5 % of the reward, then twice that
  assert.deepEqual(bonds, [REWARD * 5n / 100n, REWARD * 10n / 100n]);
  // each lost bond is gone: Bob ends each disputed task that much below the same task undisputed
  for (const [i, outcome] of griefed.entries()) {
    assert.equal(outcome.paid.Bob, quiet.paid.Bob, 'the same pay for the same work');
    assert.ok(outcome.gains.Bob <= quiet.gains.Bob - bonds[i], `task ${i}: ${outcome.gains.Bob} vs ${quiet.gains.Bob}`);
  }
  const [lost] = (await api.query.validationVoting.lostDisputes(keys.Bob.address)).unwrap();
  assert.equal(lost.toNumber(), 2);
});

test('a verdict that frames an honest miner: two of three judges call its fingerprint false, it disputes, the council restores it — its bond and its pay come back, and the two are flagged, unpaid and slashed', async (t) => {
  // honest scores, but the best rival's fingerprint declared false: excluded, its bond forfeit
  const framing = (solvers) => honest(solvers).map((j, i) => (solvers[i] === 'Bob' ? { ...j, fingerprintOk: false } : j));
  const miners = [miner('Bob'), miner('Sybil1')];
  const fair = await play(miners, [['V1', honest], ['V2', honest], ['V3', honest]], 3);
  const framed = await playTask(api, provider, {
    publisher: alice,
    spec: spec(3),
    miners,
    validators: [['V1', framing], ['V2', framing], ['V3', honest]].map(([name, judge]) => ({ pair: keys[name], judge })),
    names: keys,
    // no appeal panel can be drawn from three validators: the council (sudo) hears it
    dispute: { by: keys.Bob, council: honest }
  });
  for (const outcome of [fair, framed]) escrowExact(outcome);
  // every judge scored honestly, so the scores cannot have moved: what the council overturned
  // is Bob's fate (excluded → judged)
  const bond = framed.events.find((e) => api.events.validationVoting.Disputed.is(e)).data.bond.toBigInt();
  const decided = framed.events.find((e) => api.events.validationVoting.AppealDecided.is(e));
  assert.equal(decided.data.overturned.isTrue, true, 'a changed fate overturns the result');
  t.diagnostic(`Bob: ${tos(fair.gains.Bob)} TOS judged fairly, ${tos(framed.gains.Bob)} TOS framed and restored (a ${tos(bond)} TOS dispute bond, returned); V1 ${tos(fair.gains.V1)} → ${tos(framed.gains.V1)} TOS`);
  // the framed miner loses nothing to the verdict it disputed: the same pay, its submission
  // bond and its dispute bond back (only the dispute's transaction fee is its own)
  assert.equal(framed.paid.Bob, fair.paid.Bob, 'the same pay for the same work');
  const forfeits = framed.events.filter((e) => api.events.tasks.BondForfeited.is(e)).map((e) => framed.nameOf(e.data.miner));
  assert.deepEqual(forfeits, [], 'no submission bond forfeited');
  assert.ok(framed.gains.Bob > fair.gains.Bob - UNIT, `Bob ${framed.gains.Bob} vs ${fair.gains.Bob}`);
  // the verdict the council reversed counts against those who cast it: flagged, unpaid, and
  // slashed 20 % of their bonds as an appeal panel's verdict would slash them — an outright
  // loss; the honest judge is paid
  const flagged = framed.events.filter((e) => api.events.validationVoting.ValidatorFlagged.is(e)).map((e) => framed.nameOf(e.data.validator)).sort();
  assert.deepEqual(flagged, ['V1', 'V2']);
  const penalised = framed.events.filter((e) => api.events.validationVoting.ValidatorPenalised.is(e) && e.data.reason.isOverturned)
    .map((e) => [framed.nameOf(e.data.validator), e.data.slashed.toBigInt()]).sort();
  assert.deepEqual(penalised, [['V1', 20n * UNIT], ['V2', 20n * UNIT]]);
  for (const v of ['V1', 'V2']) {
    assert.equal(framed.paid[v], undefined, `${v} is not paid`);
    assert.ok(framed.gains[v] < -20n * UNIT + UNIT, `${v} loses its slash: ${framed.gains[v]}`);
  }
  assert.ok(framed.paid.V3 > 0n, 'the honest judge is paid');
});

test('sealed members, committed before any score was on chain, hear a dispute: a captured panel framing an honest miner is overturned without an appeal panel, and an appeal has nothing to copy', async (t) => {
  // four more experts, lighter than V1–V3 (a smaller bond): with seven, a panel of three
  // seats seven — the three heaviest judge, the other four are sealed
  const sealedNames = ['S1', 'S2', 'S3', 'S4'];
  const sudo = (call) => send(api, api.tx.sudo.sudo(call), alice);
  const keyring = new Keyring({ type: 'sr25519' });
  for (const name of sealedNames) {
    keys[name] = keyring.addFromUri(`//Alice//${name}`);
    await send(api, api.tx.balances.transferKeepAlive(keys[name].address, 1_000n * UNIT), alice);
    await send(api, api.tx.validationVoting.applyValidator(1, 60n * UNIT), keys[name]);
    await sudo(api.tx.validationVoting.certify(keys[name].address, 'CodeGeneration'));
  }
  // four sealed members reveal a block each in the dispute window: make it 8 blocks
  const params = (await api.query.validationVoting.params()).unwrap().toJSON();
  await sudo(api.tx.validationVoting.setParams({ ...params, disputeBlocks: 8 }));
  // V1 and V2 frame Bob (his fingerprint false) and mark him down; everyone else is honest
  const framing = (solvers) => honest(solvers).map((j, i) => (solvers[i] === 'Bob' ? { ...j, quality: 20, innovation: 10, fingerprintOk: false } : j));
  const judges = [['V1', framing], ['V2', framing], ['V3', honest], ...sealedNames.map((n) => [n, honest])];
  const outcome = await playTask(api, provider, {
    publisher: alice,
    // seven commit a block each: commit and reveal windows of 12 blocks
    spec: { ...spec(3), validationBlocks: 24 },
    miners: [miner('Bob'), miner('Sybil1')],
    validators: judges.map(([name, judge]) => ({ pair: keys[name], judge })),
    names: keys,
    dispute: { by: keys.Bob }
  });
  await sudo(api.tx.validationVoting.setParams(params));
  escrowExact(outcome);
  assert.deepEqual(outcome.panel.map((m) => m.name).sort(), ['V1', 'V2', 'V3'], 'the heaviest judge first');
  assert.deepEqual([...outcome.sealed].sort(), sealedNames);
  const of = (event) => outcome.events.filter((e) => event.is(e));
  const order = (e) => outcome.events.indexOf(e);
  // every sealed member committed before any score was revealed: nothing to copy
  const firstReveal = Math.min(...of(api.events.validationVoting.ScoresRevealed).map(order));
  const sealedCommits = of(api.events.validationVoting.ScoresCommitted).filter((e) => sealedNames.includes(outcome.nameOf(e.data.validator)));
  assert.equal(sealedCommits.length, 4);
  assert.ok(sealedCommits.every((e) => order(e) < firstReveal), 'committed before the first reveal');
  // the dispute is heard by them: no appeal panel is drawn, no council asked
  assert.equal(of(api.events.validationVoting.PanelSelected).length + of(api.events.validationVoting.ReferredToCouncil).length, 0);
  assert.equal(of(api.events.validationVoting.DrawOpened).filter((e) => e.data.appeal.isTrue).length, 0);
  const decided = of(api.events.validationVoting.AppealDecided)[0];
  assert.equal(decided.data.overturned.isTrue, true, 'the sealed members overturn the captured panel');
  // Bob is judged as the honest experts see him, and his bond comes back
  const final = of(api.events.validationVoting.ResultFinal)[0];
  assert.equal(final.data.scores[outcome.solvers.indexOf('Bob')].quality.toNumber(), truth.Bob[0]);
  assert.ok(outcome.paid.Bob > 0n, 'Bob is paid');
  assert.equal(of(api.events.tasks.BondForfeited).length, 0, 'no submission bond forfeited');
  // the framers are slashed and unpaid; the sealed members are paid (escrow and the slashes)
  const penalised = of(api.events.validationVoting.ValidatorPenalised).filter((e) => e.data.reason.isOverturned)
    .map((e) => outcome.nameOf(e.data.validator)).sort();
  assert.deepEqual(penalised, ['V1', 'V2']);
  for (const v of ['V1', 'V2']) assert.ok(outcome.gains[v] < 0n, `${v} loses: ${outcome.gains[v]}`);
  for (const v of sealedNames) assert.ok(outcome.gains[v] > 0n, `${v} earns: ${outcome.gains[v]}`);
  t.diagnostic(`Bob ${tos(outcome.gains.Bob)} TOS; framers ${tos(outcome.gains.V1)}, ${tos(outcome.gains.V2)}; sealed ${sealedNames.map((n) => tos(outcome.gains[n])).join(', ')} TOS`);
});

test('a confirmed colluder\'s partner, reported for a task, gives back all it was paid from it and the task\'s reward on top, and is slashed', async (t) => {
  const panel = [['V1', honest], ['V2', honest], ['V3', honest]];
  const outcome = await play([miner('Bob'), miner('Sybil1')], panel, 3);
  escrowExact(outcome);
  assert.ok(outcome.paid.Bob > 0n, 'Bob was paid from the task');
  const bond = (await api.query.minerReputation.miners(keys.Bob.address)).unwrap().bond.toBigInt();
  const total = async (pair) => {
    const { free, reserved } = (await api.query.system.account(pair.address)).data;
    return free.toBigInt() + reserved.toBigInt();
  };
  // enough in its free balance for the whole fine, so the bond is left to the slash
  await send(api, api.tx.balances.transferKeepAlive(keys.Bob.address, outcome.paid.Bob + REWARD), alice);
  const before = await total(keys.Bob);
  // the council's follow-up of a colluder it confirmed: a report naming the task, confirmed
  const reportId = (await api.query.fraudFlags.nextReportId()).toNumber();
  await send(api, api.tx.fraudFlags.reportFraud(keys.Bob.address, 'Collusion', outcome.taskId, '0x' + 'c0'.repeat(32)), keys.V1);
  const confirmed = await send(api, api.tx.sudo.sudo(api.tx.fraudFlags.confirm(reportId)), alice);
  const { events } = confirmed;
  const clawed = events.find((e) => api.events.fraudFlags.ClawedBack.is(e));
  const slashed = events.find((e) => api.events.fraudFlags.Slashed.is(e));
  t.diagnostic(`paid ${tos(outcome.paid.Bob)} TOS from a task of ${tos(REWARD)}: ${tos(clawed.data.amount.toBigInt())} clawed back, ${tos(slashed.data.amount.toBigInt())} slashed`);
  assert.equal(outcome.nameOf(clawed.data.who), 'Bob');
  // a penalty that scales with the prize: what it won, and the most it could have won again
  assert.equal(clawed.data.amount.toBigInt(), outcome.paid.Bob + REWARD, 'every planck the task paid it, and the reward');
  assert.equal(slashed.data.amount.toBigInt(), bond, 'collusion slashes the whole bond');
  assert.equal(await total(keys.Bob), before - outcome.paid.Bob - REWARD - bond);
  assert.equal((await api.query.minerReputation.miners(keys.Bob.address)).unwrap().bond.toBigInt(), 0n);
});
