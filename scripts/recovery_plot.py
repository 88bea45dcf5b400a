#!/usr/bin/env python3
"""Plots tos-sim --recovery (its CSV): the reputation score and the slot priority, day by day,
of an honest miner (the twin), the same miner after one confirmed fraud (the offender), and a
new identity the offender could register instead (the newcomer). Used by scripts/mechanism.

    recovery_plot.py RECOVERY.csv --out FILE.png
"""

import argparse
import csv

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

PARTS = ("twin", "offender", "newcomer")
COLOURS = {"twin": "#2ca02c", "offender": "#d62728", "newcomer": "#1f77b4"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("recovery")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(args.recovery, newline="") as f:
        rows = list(csv.DictReader(f))
    days = [int(r["day"]) for r in rows]
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.2), sharex=True)
    for ax, suffix, label in (
        (axes[0], "", "reputation score (%)"),
        (axes[1], "_priority", "slot priority (% of a Master's)"),
    ):
        for part in PARTS:
            points = [
                (d, int(r[part + suffix]) / 1e7)
                for d, r in zip(days, rows)
                if r[part + suffix] != ""
            ]
            ax.plot(*zip(*points), color=COLOURS[part], label=part)
        fraud = [d for d, r in zip(days, rows) if r["offender_frauds"] not in ("", "0")]
        if fraud:
            ax.axvline(fraud[0], color="#d62728", linestyle=":", linewidth=1, label="fraud confirmed")
        ax.set_xlabel("day")
        ax.set_ylabel(label)
        ax.set_ylim(0, 100)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="lower right")
    fig.suptitle("tos-sim --recovery — a confirmed fraud, a clean record, and a new identity")
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)


if __name__ == "__main__":
    main()
