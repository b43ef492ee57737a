"""Plans made by construction, where a general method applies: zero repeats by design.

Two methods, both general (parameters in, a plan out; nothing stored for particular instances):

- `subspace_plan`: N = p^k people as the vectors of GF(p)^k (p prime), tables of S = p^t. The cosets of
  one t-dimensional subspace split the people into N / S tables: one round. Two subspaces that meet
  only in 0 give rounds in which nobody meets twice (two cosets of them share at most one vector), so a
  *partial spread* — subspaces pairwise meeting only in 0 — gives that many rounds. For t = 1 this is
  the affine geometry AG(k, p): all (N − 1)/(p − 1) lines through 0, every pair meeting exactly once
  (e.g. 9 people in threes for 4 rounds, 25 in fives for 6). For t > 1 the spread is found by a seeded
  randomised greedy with restarts (e.g. GF(2)^5 with 2-dimensional subspaces: 9 rounds of 32 at tables
  of 4, the most such a spread allows).
- `cyclic_plan`: N = m·g + k people as m copies of Z_g plus k fixed points ∞ (k ≤ the number of
  tables), R = h·g rounds. h *base rounds* are searched by backtracking; round j·g + i is base round j
  with i added to every non-fixed point. A pair's *orbit* under adding i is what stays the same (the
  class or classes and the difference mod g, or the fixed point and the class); nobody meets twice
  exactly when the base rounds together use every orbit at most once and none of the short ones (two
  points of one class at difference g/2, two fixed points). This is the classical "1-rotational"
  method: Kirkman's schoolgirls come out of Z_7 (15 = 2·7 + 1, triples, 7 rounds, one base round) and
  32 people at tables of 4 for all 10 rounds out of Z_5 (32 = 6·5 + 2, two base rounds); fewer rounds
  are a prefix of more.

Each returns a list of rounds of tables of point numbers 0..N−1, or None when it does not apply or its
search budget ran out. `plain_plan` tries what applies to N, S and R.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

Rounds = list[list[list[int]]]


def _prime(value: int) -> bool:
    return value >= 2 and all(value % d for d in range(2, int(value**0.5) + 1))


def _power_of(value: int, base: int) -> int | None:
    """k with base^k == value, or None."""
    k, power = 0, 1
    while power < value:
        power *= base
        k += 1
    return k if power == value else None


def _vector_add(a: int, b: int, p: int, k: int) -> int:
    """Sum in GF(p)^k of two vectors written as k base-p digits."""
    total, place = 0, 1
    for _ in range(k):
        total += ((a % p + b % p) % p) * place
        a //= p
        b //= p
        place *= p
    return total


def _span(vectors: list[int], p: int, k: int) -> set[int]:
    found = {0}
    for vector in vectors:
        multiples = [0]
        for _ in range(p - 1):
            multiples.append(_vector_add(multiples[-1], vector, p, k))
        found = {_vector_add(x, y, p, k) for x in found for y in multiples}
    return found


def _cosets(subspace: set[int], p: int, k: int) -> list[list[int]]:
    left = set(range(p**k))
    tables = []
    while left:
        start = min(left)
        coset = sorted(_vector_add(start, u, p, k) for u in subspace)
        tables.append(coset)
        left -= set(coset)
    return tables


def subspace_plan(people: int, size: int, rounds: int, *, seed: int = 0, restarts: int = 200) -> Rounds | None:
    """`rounds` parallel classes of cosets of pairwise trivially intersecting subspaces (see the module)."""
    if size < 2:
        return None
    p = next((d for d in range(2, size + 1) if size % d == 0), size)  # the smallest prime factor of size
    t, k = _power_of(size, p), _power_of(people, p)
    if not _prime(p) or t is None or k is None or t > k:
        return None
    if rounds > (people - 1) // (size - 1):
        return None
    rng = random.Random(seed)
    nonzero = list(range(1, people))
    best: list[set[int]] = []
    for _ in range(restarts):
        rng.shuffle(nonzero)
        covered: set[int] = set()
        spread: list[set[int]] = []
        for first in nonzero:
            if len(spread) == rounds:
                break
            if first in covered:
                continue
            # Extend `first` to a t-dimensional subspace avoiding what is covered, one vector at a time.
            basis = [first]
            space = _span(basis, p, k)
            for candidate in nonzero:
                if len(basis) == t:
                    break
                if candidate in space or candidate in covered:
                    continue
                trial = _span([*basis, candidate], p, k)
                if not (trial - {0}) & covered:
                    basis.append(candidate)
                    space = trial
            if len(basis) == t:
                spread.append(space)
                covered |= space - {0}
        if len(spread) > len(best):
            best = spread
        if len(best) == rounds:
            return [_cosets(space, p, k) for space in best]
    return None


def _cyclic_layouts(people: int, size: int, rounds: int) -> Iterator[tuple[int, int, int]]:
    """(g, m, k): the group Z_g (g divides rounds, largest first), people = m·g + k with 0 ≤ k ≤ tables,
    that pass the orbit count (the rounds / g base rounds need no more pair orbits than there are)."""
    tables = people // size
    for g in range(rounds, 1, -1):
        if rounds % g:
            continue
        for k in range(0, tables + 1):
            if (people - k) % g or people - k <= 0:
                continue
            m = (people - k) // g
            orbits = m * ((g - 1) // 2) + g * m * (m - 1) // 2 + k * m
            if rounds // g * tables * size * (size - 1) // 2 <= orbits:
                yield g, m, k


def cyclic_plan(
    people: int, size: int, rounds: int, *, seed: int = 0, nodes: int = 200_000, restarts: int = 4
) -> Rounds | None:
    """`rounds` rounds developed from base rounds by a rotation (see the module): the additive layouts
    first, then the multiplicative ones; None if no base rounds were found (each searched within `nodes`
    steps, the whole `restarts` times) for any layout."""
    if size < 2 or people % size or rounds < 2 or rounds > (people - 1) // (size - 1):
        return None
    rng = random.Random(seed)
    for sigma, order in _rotations(people, size, rounds):
        orbit = _orbit_table(sigma, order)
        for _ in range(restarts):
            used = [False] * (max(max(row) for row in orbit) + 1)
            bases = []
            for _ in range(rounds // order):
                base = _cyclic_base(orbit, used, size, rng, nodes)
                if base is None:
                    break
                bases.append(base)
            else:
                return [developed for base in bases for developed in _develop(base, sigma, order)]
    return None


def _rotations(people: int, size: int, rounds: int) -> Iterator[tuple[list[int], int]]:
    """(σ, its order g) for each layout that passes the orbit count: additive ones (`_cyclic_layouts`),
    then multiplicative ones — the people as GF(p) (people = p) or GF(p) ∪ {∞} (people = p + 1), p prime,
    σ(x) = λx for a λ of order g = rounds, dividing p − 1 (0 and ∞ stay where they are)."""
    for g, m, k in _cyclic_layouts(people, size, rounds):
        yield [c * g + (x + 1) % g for c in range(m) for x in range(g)] + list(range(m * g, m * g + k)), g
    for p, infinity in ((people, False), (people - 1, True)):
        if not _prime(p) or (p - 1) % rounds:
            continue
        root = next(r for r in range(2, p) if all(pow(r, (p - 1) // q, p) != 1 for q in _prime_factors(p - 1)))
        factor = pow(root, (p - 1) // rounds, p)
        yield [factor * x % p for x in range(p)] + ([p] if infinity else []), rounds


def _prime_factors(value: int) -> list[int]:
    found, d = [], 2
    while d * d <= value:
        if value % d == 0:
            found.append(d)
            while value % d == 0:
                value //= d
        d += 1
    return found + ([value] if value > 1 else [])


def _orbit_table(sigma: list[int], order: int) -> list[list[int]]:
    """orbit[a][b]: the number of the orbit of the pair {a, b} under σ, -1 if it is short (fewer than
    `order` pairs: developing a base round would seat that pair together more than once)."""
    points = len(sigma)
    table = [[-1] * points for _ in range(points)]
    seen = [[False] * points for _ in range(points)]
    number = 0
    for a, b in itertools.combinations(range(points), 2):
        if seen[a][b]:
            continue
        pairs: set[tuple[int, int]] = set()
        x, y = a, b
        for _ in range(order):
            pairs.add((min(x, y), max(x, y)))
            x, y = sigma[x], sigma[y]
        for u, v in pairs:
            seen[u][v] = seen[v][u] = True
        if len(pairs) < order:
            continue
        for u, v in pairs:
            table[u][v] = table[v][u] = number
        number += 1
    return table


def _cyclic_base(
    orbit: list[list[int]], used: list[bool], size: int, rng: random.Random, nodes: int
) -> list[list[int]] | None:
    """One base round whose pairs take orbits not yet `used` (marked as taken when found)."""
    points = len(orbit)
    placed = [False] * points
    order = list(range(points))
    rng.shuffle(order)
    blocks: list[list[int]] = []
    budget = [nodes]

    def fill(block: list[int], start: int) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if len(block) == size:
            blocks.append(list(block))
            if complete():
                return True
            blocks.pop()
            return False
        for position in range(start, points):
            c = order[position]
            if placed[c]:
                continue
            new = [orbit[c][x] for x in block]
            if -1 in new or any(used[o] for o in new) or len(set(new)) < len(new):
                continue
            for o in new:
                used[o] = True
            placed[c] = True
            block.append(c)
            if fill(block, position + 1):
                return True
            block.pop()
            placed[c] = False
            for o in new:
                used[o] = False
        return False

    def complete() -> bool:
        first = next((position for position in range(points) if not placed[order[position]]), None)
        if first is None:
            return True
        a = order[first]
        placed[a] = True
        if fill([a], first + 1):
            return True
        placed[a] = False
        return False

    return blocks if complete() else None


def _develop(base: list[list[int]], sigma: list[int], order: int) -> Rounds:
    """The base round and its images under σ, σ², …, σ^(order − 1)."""
    rounds, blocks = [], [list(block) for block in base]
    for _ in range(order):
        rounds.append([sorted(block) for block in blocks])
        blocks = [[sigma[point] for point in block] for block in blocks]
    return rounds


def plain_plan(people: int, size: int, rounds: int, *, seed: int = 0, nodes: int = 20_000) -> tuple[str, Rounds] | None:
    """A zero-repeat plan of `rounds` rounds for `people` at tables of `size` by the first method that
    applies, as (method, rounds); cyclic plans for more rounds are cut to the first `rounds`."""
    if size < 2 or people % size or rounds < 1:
        return None
    found = subspace_plan(people, size, rounds, seed=seed)
    if found is not None:
        return "subspaces", found
    for total in range(max(rounds, 2), (people - 1) // (size - 1) + 1):
        cyclic = cyclic_plan(people, size, total, seed=seed, nodes=nodes)
        if cyclic is not None:
            return "cyclic", cyclic[:rounds]
    return None
