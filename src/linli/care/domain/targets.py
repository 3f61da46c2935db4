"""The plan's targets for care services (seed section 八) as each stage reports them on the care
overview page: a figure, what it is measured against and the goal."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """One line of the overview. `rate` is done / base when there is a base (coverage figures);
    `goal` is a rate (0.7, 1.0) when `base` is given, else a count (11,000 households). `url` opens
    the stage's page with the breakdown per unit."""

    key: str
    label: str
    done: int
    base: int | None
    goal: float
    goal_label: str
    url: str = ""

    @property
    def rate(self) -> float | None:
        if self.base is None:
            return None
        return self.done / self.base if self.base else 0.0

    @property
    def progress(self) -> float:
        """Share of the goal reached, 0–1 (a rate against a rate goal, a count against a count)."""
        value = self.rate if self.base is not None else float(self.done)
        if value is None or not self.goal:
            return 0.0
        return min(1.0, value / self.goal)

    @property
    def met(self) -> bool:
        return self.progress >= 1.0
