"""The `extends` chains of store profiles: cycles, and the chain of one profile.

A profile on a cycle is resolved as if it extended nothing, and each
profile on the cycle gets an `extends-cycle` error naming the whole loop.
A dangling `extends` (reported by `servicekb.checks`) is treated the same way.
"""

from __future__ import annotations

from servicekb.models import StoreProfile

__all__ = ["find_cycles", "find_parent"]


def find_cycles(stores: dict[str, StoreProfile]) -> dict[str, tuple[str, ...]]:
    """Every profile on an `extends` cycle, mapped to the cycle as seen from it (`a, b, c` for a -> b -> c -> a)."""
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    cycles: dict[str, tuple[str, ...]] = {}
    for start in sorted(stores):
        walk: list[str] = []
        node: str | None = start
        while node is not None and node in stores and state.get(node) is None:
            state[node] = 1
            walk.append(node)
            node = stores[node].extends
        if node is not None and state.get(node) == 1:
            loop = walk[walk.index(node) :]
            for i, member in enumerate(loop):
                cycles[member] = (*loop[i:], *loop[:i])
        for member in walk:
            state[member] = 2
    return cycles


def find_parent(store: StoreProfile, stores: dict[str, StoreProfile], cycles: dict[str, tuple[str, ...]]) -> str | None:
    """The profile `store` builds on, or None when it extends nothing, a missing profile, or sits on a cycle."""
    if store.extends is None or store.extends not in stores or store.id in cycles:
        return None
    return store.extends
