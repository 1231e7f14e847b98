"""Data set sizes for the benchmarks."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    name: str
    interns: int
    cards: int
    events_per_card: int
    big_board_cards: int = 1000
    team_size: int = 6

    @property
    def teams(self) -> int:
        return -(-self.interns // self.team_size)

    @property
    def mentors(self) -> int:
        return max(1, -(-self.teams // 2))


SIZES = {
    "small": Size("small", interns=60, cards=3_000, events_per_card=5),
    "medium": Size("medium", interns=400, cards=40_000, events_per_card=5),
    "large": Size("large", interns=2_000, cards=200_000, events_per_card=5),
}
