"""How big the synthetic organization is at a given scale (linear in the scale)."""

from __future__ import annotations

from dataclasses import dataclass

FIRST_YEAR = 1966
LAST_YEAR = 2025
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)


@dataclass(frozen=True)
class Sizes:
    """Row counts of the top-level records; `Sizes.of(scale)` gives those of a scale:

    * actors: min(200, 20 + 2 x scale), three in four states, the rest organizations;
    * working groups: 2 + scale (beside 6 organs and 4 institutions);
    * meetings: 1,000 x scale (the organs meet on a fixed rhythm, some 520 meetings;
      the working groups and institutions have the rest);
    * documents: 10,000 x scale (the 5 x scale treaties, two catalogue editions and
      the road map included); procedures: 500 x scale; treaties: 5 x scale;
    * CBM events: 20 x scale; initiatives: 5 + 2 x scale; fund projects: 3 + 2 x scale.

    Tests may make smaller ones with dataclasses.replace (fewer meetings than the
    organs need gives the organs' meetings only).
    """

    scale: int
    actors: int
    states: int
    working_groups: int
    meetings: int
    documents: int
    procedures: int
    treaties: int
    cbm_events: int
    initiatives: int

    @classmethod
    def of(cls, scale: int) -> Sizes:
        actors = min(200, 20 + 2 * scale)
        return cls(
            scale=scale, actors=actors, states=round(actors * 3 / 4),
            working_groups=2 + scale, meetings=1_000 * scale, documents=10_000 * scale,
            procedures=500 * scale, treaties=5 * scale, cbm_events=20 * scale,
            initiatives=5 + 2 * scale,
        )  # fmt: skip

    @property
    def organizations(self) -> int:
        return self.actors - self.states


def year_weights() -> list[float]:
    """How busy each year is: activity grows about fivefold over the sixty years."""
    return [1 + (year - FIRST_YEAR) / 15 for year in YEARS]


def spread(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, exactly (largest remainders)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    rest = total - sum(counts)
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in order[:rest]:
        counts[i] += 1
    return counts
