"""The evaluation as a Markdown table: readable in a terminal, pasteable in a note."""

from __future__ import annotations

from .service import Evaluation


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.4f}"


def evaluation_table(result: Evaluation) -> str:
    columns = list(next(iter(result.table.values())))
    lines = [
        f"Leave-last-out over {result.users} shoppers, {result.products} products; "
        f"hybrid weights {result.weights}",
        "",
        "| strategy | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for name, row in result.table.items():
        lines.append(f"| {name} | " + " | ".join(_cell(row[c]) for c in columns) + " |")
    return "\n".join(lines)
