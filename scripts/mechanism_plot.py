#!/usr/bin/env python3
"""Plots a tos-sim run (its CSV), optionally against an earlier run: per strategy, the
cheaters' return against honest play, what cheating gained, and how often the chain caught
it. Used by scripts/mechanism; the PNGs go in docs/mechanism/.

    mechanism_plot.py AFTER.csv [--before BEFORE.csv] --title TITLE --out FILE.png
"""

import argparse
import csv

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load(path):
    with open(path, newline="") as f:
        return {row["strategy"]: row for row in csv.DictReader(f)}


def number(row, key):
    value = (row or {}).get(key, "")
    return float(value) if value not in ("", None) else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("after")
    parser.add_argument("--before")
    parser.add_argument("--title", default="tos-sim")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    after = load(args.after)
    before = load(args.before) if args.before else {}
    names = list(after)
    y = list(range(len(names)))[::-1]
    height = 0.38 if before else 0.7

    fig, axes = plt.subplots(1, 3, figsize=(17, 0.42 * len(names) + 2.2), sharey=True)
    panels = [
        ("ratio", "cheaters' return ÷ honest play", (-2, 4)),
        ("gain", "gain from cheating (TOS, symlog)", None),
        ("detection", "rounds caught (%)", (0, 100)),
    ]
    for ax, (key, label, limits) in zip(axes, panels):
        for offset, data, colour, legend in (
            (height / 2, before, "#bbbbbb", "before"),
            (-height / 2 if before else 0, after, "#1f77b4", "after"),
        ):
            if not data:
                continue
            values = [number(data.get(n), key) for n in names]
            shown = [
                0 if v is None else (max(limits[0], min(limits[1], v)) if limits else v)
                for v in values
            ]
            ax.barh([v + offset for v in y], shown, height=height, color=colour, label=legend)
            for yi, v, s in zip(y, values, shown):
                if v is None:
                    ax.text(0, yi + offset, " n/a", va="center", fontsize=7, color="#666")
                elif limits and v != s:
                    ax.text(s, yi + offset, f" {v:.1f}", va="center", fontsize=7)
        if key == "ratio":
            ax.axvline(0.5, color="green", linestyle="--", linewidth=1, label="target ≤ 0.5")
            ax.axvline(1.0, color="red", linestyle=":", linewidth=1, label="honest play")
            ax.set_xlim(*limits)
        elif key == "gain":
            ax.axvline(0, color="red", linestyle=":", linewidth=1)
            ax.set_xscale("symlog", linthresh=100)
        else:
            ax.axvline(80, color="green", linestyle="--", linewidth=1, label="80 % (collusion)")
            ax.axvline(95, color="darkgreen", linestyle="--", linewidth=1, label="95 % (copies)")
            ax.set_xlim(*limits)
        ax.set_xlabel(label)
        ax.grid(axis="x", alpha=0.3)
        ax.legend(fontsize=7, loc="lower right")
    axes[0].set_yticks(y)
    axes[0].set_yticklabels(names, fontsize=8)
    flagged = [number(r, "false_flags") or 0 for r in after.values()]
    slashed = sum(number(r, "honest_slashed") or 0 for r in after.values())
    fig.suptitle(
        f"{args.title} — honest agents flagged in at most {max(flagged):.2f} % of their rounds, "
        f"{slashed:.0f} TOS of honest stake slashed"
    )
    fig.tight_layout()
    fig.savefig(args.out, dpi=110)


if __name__ == "__main__":
    main()
