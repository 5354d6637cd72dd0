"""``studylog stats``: the figures of the Stats screen as tables, or JSON for scripts."""

from __future__ import annotations

import click

from studylog.cli.context import emit_json, get_store
from studylog.core.stats import Retention, Stats, compute_stats
from studylog.core.text.counts import counted

BARS = " ▁▂▃▄▅▆▇█"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def sparkline(values: list[int]) -> str:
    """One block character per value, scaled to the largest (blank for zero)."""
    top = max(values, default=0)
    if not top:
        return " " * len(values)
    return "".join(BARS[0] if v == 0 else BARS[max(1, round(v / top * 8))] for v in values)


def _retention_rows(periods: list[Retention]) -> list[str]:
    return [f"  {p.label:<9} {p.reviews:>7} {p.passed:>7} {_percent(p.rate):>9}"
            for p in periods if p.reviews]


def render(stats: Stats) -> str:
    """The human-readable report."""
    t = stats.today_reviews
    c = stats.cards
    days = [stats.daily.get(d) for d in sorted(stats.daily)]
    lines = [
        f"Today {stats.today}: {counted(t.reviews, 'review')} · {t.again} again · "
        f"{t.new} new · {t.ms / 60000:.1f} min",
        f"Last year: {counted(sum(d.reviews for d in days if d), 'review')} on "
        f"{counted(len(days), 'day')}",
        "",
        f"Retention: desired {_percent(stats.desired_retention)} · true, last 30 days "
        f"{_percent(stats.last_30_days.rate)} of {counted(stats.last_30_days.reviews, 'review')}",
        f"  {'month':<9} {'reviews':>7} {'passed':>7} {'retention':>9}",
        *(_retention_rows(stats.by_month) or ["  (no reviews of review cards yet)"]),
        "",
        f"Forecast, next {len(stats.forecast)} days: {sum(n for _, n in stats.forecast)} due"
        f"  |{sparkline([n for _, n in stats.forecast])}|",
    ]
    for row in range(0, min(len(stats.forecast), 10)):
        cells = [stats.forecast[i] for i in range(row, len(stats.forecast), 10)]
        lines.append("  " + "   ".join(f"{d.strftime('%m-%d %a')} {n:>4}" for d, n in cells))
    avg = "-" if c.average_stability is None else f"{c.average_stability:.1f} days"
    lines += [
        "",
        f"Cards: {c.new} new · {c.learning} learning · {c.review} review · "
        f"{c.relearning} relearning · {c.suspended} suspended · average stability {avg}",
        f"Journal: streak {counted(stats.streak_current, 'day')} · longest "
        f"{stats.streak_longest} · {counted(stats.days_written, 'day')} written",
        "Keywords per week:",
    ]
    for week in stats.keywords_by_week[-4:]:
        lines.append(f"  {week.label}  {week.keywords:>3}  {', '.join(week.top)}".rstrip())
    return "\n".join(lines)


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def stats_command(as_json: bool) -> None:
    """Reviews, retention, the due forecast, cards by state and the journaling streak."""
    stats = compute_stats(get_store())
    if as_json:
        emit_json(stats.to_json())
    else:
        click.echo(render(stats))


COMMANDS = [stats_command]

__all__ = ["COMMANDS", "render", "sparkline"]
