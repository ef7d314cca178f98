"""The metrics as a picture: rates per device against their aims, and the spread of the
wake-word detection delay and the response latency (what a table's p95 hides)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # no display on a lab host
import matplotlib.pyplot as plt

from lab.assistant.metrics import Figures

RATES = [
    ("false_reject_rate_quiet", "FRR quiet", 0.10),
    ("false_reject_rate_noise", "FRR noise", None),
    ("impostor_accept_rate", "impostors accepted", None),
    ("response_accuracy_rate", "RAR", 0.95),
]


def plot(figures: list[Figures]) -> bytes:
    """A PNG: rates per device (bars, aims dashed), delays and latencies (box plots)."""
    fig, (rates, delays, latencies) = plt.subplots(1, 3, figsize=(13, 4.2), dpi=90)
    width = 0.8 / max(len(figures), 1)
    for i, one in enumerate(figures):
        values = one.values()
        heights = [values[name][0] or 0.0 for name, _, _ in RATES]
        rates.bar([x + i * width for x in range(len(RATES))], heights, width, label=one.device)
    for x, (_, _, aim) in enumerate(RATES):
        if aim is not None:
            rates.hlines(aim, x - 0.1, x + 0.9, colors="black", linestyles="dashed", linewidth=1)
    rates.set_xticks([x + 0.4 - width / 2 for x in range(len(RATES))])
    rates.set_xticklabels([label for _, label, _ in RATES], fontsize=8)
    rates.set_ylim(0, 1.05)
    rates.set_title("rates (dashed: aim)")
    rates.legend(fontsize=7)
    for axis, attribute, title, aim in (
        (delays, "wake_delay", "wake-word detection delay (s)", 1.0),
        (latencies, "latency", "response latency (s)", None),
    ):
        data = [[getattr(t, attribute) for t in one.trials if getattr(t, attribute) is not None]
                for one in figures]  # fmt: skip
        axis.boxplot([d or [0.0] for d in data], tick_labels=[f.device for f in figures])
        if aim is not None:
            axis.axhline(aim, color="black", linestyle="dashed", linewidth=1)
        axis.set_title(title)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue()
