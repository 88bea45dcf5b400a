#!/usr/bin/env python3
"""Plots the sensitivity sweep (tos-sim --sweep, its CSV): for each panel size, how often
honest validators were flagged and what the steering coalition earned against honest play,
over the honest experts' noise (σ) and the coalition's share of the validators' stake. Used
by scripts/mechanism; the PNG goes in docs/mechanism/.

    sweep_plot.py SWEEP.csv --title TITLE --out FILE.png
"""

import argparse
import csv

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("sweep")
    parser.add_argument("--title", default="tos-sim --sweep")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    with open(args.sweep, newline="") as f:
        rows = list(csv.DictReader(f))
    panels = sorted({int(r["panel"]) for r in rows})
    coalitions = sorted({int(r["coalition"]) for r in rows})
    fig, axes = plt.subplots(2, len(panels), figsize=(4 * len(panels), 7), squeeze=False)
    for column, panel in enumerate(panels):
        flags, ratios = axes[0][column], axes[1][column]
        for coalition in coalitions:
            cells = sorted(
                (r for r in rows if int(r["panel"]) == panel and int(r["coalition"]) == coalition),
                key=lambda r: int(r["sigma"]),
            )
            if not cells:
                continue
            sigmas = [int(r["sigma"]) for r in cells]
            label = f"coalition {coalition} %"
            flags.plot(sigmas, [float(r["judging_false_flags"]) for r in cells], "o-", label=label)
            ratios.plot(
                sigmas,
                [float(r["ratio"]) if r["ratio"] else float("nan") for r in cells],
                "o-",
                label=label,
            )
        flags.axhline(1.0, color="red", linestyle="--", linewidth=1)
        flags.set_title(f"panel of {panel}")
        flags.set_ylabel("honest validators flagged (% of rounds)")
        flags.set_ylim(bottom=0)
        ratios.axhline(0.5, color="red", linestyle="--", linewidth=1)
        ratios.axhline(1.0, color="grey", linestyle=":", linewidth=1)
        ratios.set_ylabel("coalition's return / honest play")
        ratios.set_xlabel("honest experts' noise σ (points)")
        for ax in (flags, ratios):
            ax.set_xticks(sorted({int(r["sigma"]) for r in rows}))
            ax.grid(alpha=0.3)
    axes[0][0].legend(fontsize=8)
    fig.suptitle(args.title + " — red: the targets (≤ 1 % flagged; ≤ 0.5× honest play)")
    fig.tight_layout()
    fig.savefig(args.out, dpi=100)


if __name__ == "__main__":
    main()
