#!/usr/bin/env python3
"""Writes the figures into docs/MECHANISM.md: the tables between its `<!-- NAME -->` and
`<!-- /NAME -->` markers are replaced by docs/mechanism/NAME.md, and the rules table's
before/after columns are filled from the CSVs. Used by scripts/mechanism.

    mechanism_doc.py docs/MECHANISM.md docs/mechanism
"""

import csv
import os
import re
import sys

# strategy -> (the rule that stops it, the cheapest attack left)
RULES = {
    "whale colluder": (
        "no seat above a quarter of the panel's weight, stake counted up to 10 000 TOS; a "
        "score more than 15 points from the median is set aside and flagged against the final "
        "result; 3 flagged rounds that are a quarter of a day's confirm a colluder (100 % slash)",
        "a bias inside the margin (below)",
    ),
    "whale split over 3 identities": (
        "the same, per identity; every seat needs a bond of 5 % of the reward",
        "a majority of a panel's seats, which needs a majority of the certified validators; "
        "a dispute then goes to an appeal panel of 2n + 1 not yet drawn, or the council",
    ),
    "colluder inside the clip band": (
        "the outlier margin applies to every solution, both axes, both ways: rivals' −15 and "
        "the partner's innovation 100 are set aside; once the colluder is confirmed, the "
        "council reports the partner it favoured in each flagged round, and each confirmed "
        "report claws back the partner's pay from that task and the task's reward on top "
        "(two offences ban it)",
        "a bias inside the margin (below)",
    ),
    "colluder just inside the outlier margin": (
        "leaning, found over rounds: a validator whose mean deviation on one miner lies 6 "
        "points above its mean on everyone, over at least 6 rounds with that miner, is set "
        "aside, unpaid and flagged in that miner's rounds; confirmed, its partner's pay from "
        "the flagged rounds is clawed back, with each task's reward, on the council's reports",
        "a bias under 6 points (2.5σ of a noisier type's judges), or a partner changing "
        "identity before 6 rounds; a partner the council cannot tie to the colluder keeps its "
        "pay",
    ),
    "colluder rotating partners": (
        "flags count per validator, not per validator–miner pair",
        "none cheaper than the whale's",
    ),
    "false verdicts on the best miner": (
        "verdicts judged like scores: one the final fates reverse flags its validator (unpaid); "
        "an appeal that changes a fate is overturned, so the excluded miner's dispute bond comes "
        "back and the verdict's authors are slashed 20 % of their bonds, by an appeal panel or "
        "the council",
        "none measured: a cartel holding a panel's majority and the appeal's too",
    ),
    "framing an honest miner": (
        "no automatic flag punishes the favoured miner; the framer is the outlier",
        "none: it costs the framer and not the victim",
    ),
    "rubber stamp 50": (
        "pay convex in the distance to consensus, none from 15 points; honeypots of known "
        "quality in 30 % of tasks (a miss costs 10 % of the bond and the pay)",
        "looking only at honeypots, which nobody can tell from miners' solutions",
    ),
    "rubber stamp 100": ("as above", "as above"),
    "rubber stamp 0": ("as above", "as above"),
    "frivolous disputes": (
        "a dispute bond of 5 % of the reward pays the appeal panel unless the appeal moves a "
        "score by 10 points or changes a fate; each dispute lost in a row doubles the next "
        "bond (up to a thousandfold) until a day passes; the first panel is paid from the "
        "escrow either way",
        "one dispute a day at the base bond: 50 TOS lost on a 1 000 TOS task each time",
    ),
    "appeal copier, frivolous disputes": (
        "sealed seats: a task's first draw seats 2n + 1, the n + 1 lightest sealed — committed "
        "with the panel, before any score is on chain, revealing after its result — and they "
        "hear the appeal; a drawn appeal panel (too few sealed) is unpaid when the final "
        "result flags it and paid by seat alone when it upholds",
        "none where sealed members hear it: there is no result to copy when they commit; on a "
        "drawn appeal panel, copying a result that stands",
    ),
    "publisher's silent panel": (
        "a silent member loses 10 % of its bond; the panel is refilled, then the council "
        "judges; the escrow stays held (no refund)",
        "none: the escrow is paid out anyway",
    ),
    "publisher's zero-scoring panel": (
        "miners dispute; the appeal panel or the council judges; the first panel, far from "
        "the final result, is flagged and pays the appeal",
        "none: the escrow is paid out anyway",
    ),
    "copy with a false fingerprint": (
        "validators recompute the fingerprint from the content: a majority verdict of "
        "false excludes the solution and forfeits its bond; its author reports it, and a "
        "confirmed plagiarism gives back its pay and the task's whole reward on top, loses "
        "80 % of the bond and the level (two ban it)",
        "an honest fingerprint (below)",
    ),
    "near-duplicate, honest fingerprint": (
        "copies (the panel's verdict, the same hash, fingerprints within 64 bits) share one "
        "solution's reward, 1/k² each; reported by its author, a confirmed copy gives back "
        "its pay and the task's reward",
        "buying leaks from an author who does not report: the copier never out-earns it",
    ),
    "leaked copy committed first": (
        "commit order decides nothing: the group shares; no automatic flag slashes a miner; "
        "the author's report, confirmed on the content's evidence, does",
        "as above",
    ),
    "pre-computation": (
        "a minimum solve time per task type at genesis (10–100 blocks; 2 on dev chains): a "
        "commitment before it is excluded and its bond forfeited; earliness counts from it",
        "none",
    ),
    "one solution, three identities": (
        "a group of k copies earns 1/k of one solution, nothing for earliness; each copy, "
        "reported and confirmed, pays the task's reward",
        "identities holding nothing but their bonds (the next row)",
    ),
    "one solution, three identities, earnings moved out": (
        "the same: a fine takes what the account holds, its pay still vesting first, then its "
        "free balance, then its bonds",
        "none cheaper: the copies are never paid; each costs its bond and float (the identities "
        "that copy lose outright), the leader's solution earns what it would alone",
    ),
    "junk crowding the slots": (
        "a bond of 2 % of the reward (at least 1 TOS) forfeited below quality 10; a failure "
        "lowers priority at once, so any fresh honest miner bumps junk",
        "none: 4 identities lost their bonds on every task",
    ),
    "long con, 10 000 TOS prize": (
        "penalties scale with the prize: a confirmed fraud naming its task gives back its "
        "pay and the task's whole reward on top (from pay still vesting, free balance, then "
        "bonds), loses 80 % "
        "of its bond, and its record falls to where the level below starts",
        "moving the earnings out first (the next row)",
    ),
    "long con, 10 000 TOS prize, earnings moved out": (
        "the same: the fine takes the pay still vesting (a miner's pay is held until its task "
        "is cleaned up, a day after settlement), the float a commitment needs and the bonds; "
        "the level is lost with the record, so the big tasks are out of reach until it is "
        "rebuilt",
        "none: the copy forgoes the honest share of the prize it would have won",
    ),
    "long con, 50 000 TOS prize": (
        "as the 10 000 TOS row",
        "as above",
    ),
    "copied commitment": (
        "a commitment identical to another is refused (`DuplicateCommitment`)",
        "none",
    ),
}

# the wash-trading family: one rule, every size
WASH = (
    "emission follows value: a task earns emission points worth 90 % of the network fee it "
    "burned, so it never mints more than it cost; in a busy era the offer is shared by value",
    "none: at best a tenth of every fee burned is lost",
)
for size in ("1 TOS", "100 TOS", "5 000 TOS"):
    RULES[f"wash trading, {size} tasks"] = WASH
RULES["wash trading, 10 000 TOS tasks"] = (
    "a task of 10 000 TOS or more needs Skilled miners (a record of 20 tasks of 100 TOS, a "
    "smaller task counting by its share): the trader's fresh identities cannot commit, its "
    "tasks expire and burn their fee",
    "building the record with wash tasks of 100 TOS first, which burns at least 100 TOS of "
    "fees and, the 100 TOS row shows, loses money; tasks of 1 TOS buy no level",
)
for size in ("1 TOS", "5 000 TOS"):
    RULES[f"wash trading alone, {size} tasks"] = WASH
RULES["bribery, blind"] = (
    "private draws: nobody, the validator included, knows a seat before its VRF ticket is "
    "evaluated, and nobody else can evaluate it, so a briber pays validators who mostly never "
    "sit; a paid lift on one miner is leaning, found over rounds, and a confirmed colluder's "
    "partner loses its pay from the flagged rounds",
    "buying seats from validators who show their winning proofs (the next row)",
)
RULES["seat selling"] = (
    "the same leaning rule and claw-back: a validator who sells its seat lifts the same miner "
    "round after round",
    "a seller lifting a different miner each time (the next row)",
)
RULES["seat selling, many buyers"] = (
    "leaning is counted per validator and miner: each buyer's lift is the same lift on the "
    "same miner whenever the seller judges it, found once that pair has its rounds",
    "sellers with more buyers than the leaning rule's rounds",
)


def load(path):
    with open(path, newline="") as f:
        return {row["strategy"]: row for row in csv.DictReader(f)}


def figure(row):
    if not row:
        return "–"
    ratio, gain = row.get("ratio", ""), float(row.get("gain") or 0)
    shown = f"{float(ratio):.2f}×" if ratio not in ("", None) else "–"
    return f"{shown} ({gain:+,.0f} TOS)"


def rules_table(after, before):
    lines = []
    for name, (rule, left) in RULES.items():
        lines.append(
            f"| {name} | {figure(before.get(name))} | {rule} | {figure(after.get(name))} | {left} |"
        )
    return "\n".join(lines)


def main():
    doc, folder = sys.argv[1], sys.argv[2]
    text = open(doc).read()
    tables = {}
    for name in ("short", "long", "before-short", "recovery", "sweep-short", "sweep-long"):
        path = os.path.join(folder, name + ".md")
        if os.path.exists(path):
            tables[name] = open(path).read().strip()
    if os.path.exists(os.path.join(folder, "short.csv")):
        before_path = os.path.join(folder, "before-short.csv")
        before = load(before_path) if os.path.exists(before_path) else {}
        header = (
            "| strategy | before (short) | the rule that stops it | after (short) "
            "| the cheapest attack left |\n|---|---|---|---|---|\n"
        )
        tables["rules"] = header + rules_table(load(os.path.join(folder, "short.csv")), before)
    for name, table in tables.items():
        pattern = re.compile(rf"(<!-- {name} -->\n)(?:.*?\n)?(<!-- /{name} -->)", re.S)
        text, n = pattern.subn(lambda m: m.group(1) + table + "\n" + m.group(2), text)
        if n == 0:
            print(f"mechanism_doc: no <!-- {name} --> markers in {doc}", file=sys.stderr)
    open(doc, "w").write(text)


if __name__ == "__main__":
    main()
