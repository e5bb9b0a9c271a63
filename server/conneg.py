"""Content negotiation: the one place where Accept headers (q-values, wildcards) choose a media type."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header: type/subtype, its parameters and its q-value."""

    type: str
    subtype: str
    q: float = 1.0
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def matches(self, media_type: str) -> bool:
        """Whether this range covers a concrete media type (parameters of the offer are ignored)."""
        kind, _, sub = media_type.partition(";")[0].strip().lower().partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)

    @property
    def specificity(self) -> int:
        """2 for type/subtype, 1 for type/*, 0 for */* (the most specific matching range sets the q-value)."""
        return 0 if self.type == "*" else 1 if self.subtype == "*" else 2


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header into media ranges, best first; malformed entries are skipped, bad q-values are 1."""
    ranges = []
    for position, item in enumerate((header or "").split(",")):
        parts = [p.strip() for p in item.split(";")]
        kind, slash, sub = parts[0].lower().partition("/")
        if not kind or not slash or not sub or " " in parts[0]:
            continue
        q, params = 1.0, {}
        for param in parts[1:]:
            name, _, value = param.partition("=")
            name, value = name.strip().lower(), value.strip().strip('"')
            if name == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 1.0
            elif name:
                params[name] = value
        ranges.append((position, MediaRange(kind, sub, q, params)))
    ranges.sort(key=lambda pr: (-pr[1].q, -pr[1].specificity, pr[0]))
    return [r for _, r in ranges]


def quality(ranges: list[MediaRange], media_type: str) -> float:
    """The q-value the client gives one media type: that of the most specific range covering it (0 if none)."""
    best = None
    for candidate in ranges:
        if candidate.matches(media_type) and (best is None or candidate.specificity > best.specificity):
            best = candidate
    return best.q if best else 0.0


def negotiate(header: str | None, offers: list[str]) -> str | None:
    """The offer the client prefers (ties go to the earlier offer), the first offer when there is no Accept
    header, or None when the client accepts none of them (answer 406)."""
    if not offers:
        return None
    if not header or not header.strip():
        return offers[0]
    ranges = parse_accept(header)
    if not ranges:
        return offers[0]
    best, best_q = None, 0.0
    for offer in offers:
        q = quality(ranges, offer)
        if q > best_q:
            best, best_q = offer, q
    return best
