"""Number the sources a page cites, so each figure can point to the quote behind it."""

from __future__ import annotations

from suivi.sources.models import SourceLocator


class Citations:
    """Collects locators in the order a page shows them: ``cite(loc)`` returns its number."""

    def __init__(self) -> None:
        self.numbers: dict[int, int] = {}
        self.locators: list[SourceLocator] = []

    def cite(self, locator: SourceLocator | None) -> int | None:
        if locator is None:
            return None
        if locator.pk not in self.numbers:
            self.locators.append(locator)
            self.numbers[locator.pk] = len(self.locators)
        return self.numbers[locator.pk]

    def entries(self) -> list[tuple[int, SourceLocator]]:
        return list(enumerate(self.locators, start=1))
