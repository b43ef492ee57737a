"""A randomised greedy start and a tabu search over swaps, with pair counts kept incrementally.

The cost of a plan is one integer, a weighted sum whose weights keep the issue's order of goals (a
lower goal can never outweigh one step of a higher one in practice, see WEIGHTS). All but two of the
goals are about pairs, so they fold into one weight per pair and one count per pair:

    Σ over pairs  w(a, b) × meetings + REPEAT × max(0, meetings − 1) + SHOULD_MEET × [should meet, never met]
    + LANGUAGE × Σ over tables of (its size − the most of its people who speak one language)
    + BALANCE × Σ table size²

where w(a, b) adds KEEP_APART (kept apart), SAME_ORGANISATION, PAST (met at an earlier meeting)
and SAME_TYPE (same organisation type). Moving one person changes the counts of their pairs at the
table they leave and the one they join only, so a move's change of cost is computed from those two
tables (O(table size)), not from the whole plan.

Everything random comes from one `random.Random(seed)`; the search stops on an iteration budget, so the
same seed gives the same plan (a `time_limit`, when given and reached, is the exception).
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .model import PersonId, Plan, Problem

KEEP_APART = 10_000_000  # a pair to keep apart: a hard rule, broken only when unavoidable
SAME_ORGANISATION = 1_000_000  # two people of one organisation: a hard rule, broken only when unavoidable
REPEAT = 10_000  # a pair meeting again within the plan
LANGUAGE = 1_000  # per person who does not speak the language most of their table speaks
PAST = 100  # a pair who met at an earlier meeting, meeting again
SAME_TYPE = 4  # a pair of the same organisation type at one table (the mix of types)
SHOULD_MEET = 3  # a pair who should meet and never does
BALANCE = 1  # Σ size² of the tables: equal sizes cost least
WEIGHTS: Mapping[str, int] = {
    "keep_apart": KEEP_APART,
    "same_organisation": SAME_ORGANISATION,
    "repeat": REPEAT,
    "language": LANGUAGE,
    "past": PAST,
    "same_type": SAME_TYPE,
    "should_meet": SHOULD_MEET,
    "balance": BALANCE,
}
# The greedy start's price of narrowing a table's shared languages, per person who could then no longer
# join it (not part of the cost: it only steers the start away from tables nobody else can join).
NARROWING = 2
# ... and of seating someone with people who speak exactly their languages, per such person (so those who
# speak a rare language are spread over a few tables, not gathered at one: they must not meet again).
CROWDING = 60
# Costs at or above this are "conflicts" the search works on first (the goals above the mix of types).
CONFLICT = PAST


def balanced_sizes(people: int, seats: Sequence[int], fixed: Sequence[int]) -> list[int]:
    """How many people each table should get: as equal as the seats allow (water-filling), and at least
    the people fixed to it."""
    sizes = list(fixed)
    left = people - sum(sizes)
    while left > 0:
        open_ = [t for t in range(len(seats)) if sizes[t] < seats[t]]
        smallest = min(sizes[t] for t in open_)
        for t in open_:
            if left and sizes[t] == smallest:
                sizes[t] += 1
                left -= 1
    return sizes


@dataclass
class Outcome:
    """What a search found: the plan (as indices), its cost, and what it took."""

    rounds: list[list[list[int]]]
    cost: int
    iterations: int
    seconds: float


class State:
    """A plan under search: `tables[r][t]` lists person indices, `where[r][p]` is p's table, and
    `counts[a * n + b]` (kept symmetric) how often a and b meet, including `prior` meetings (rounds
    already held) that no move can change."""

    def __init__(
        self,
        problem: Problem,
        *,
        prior: Mapping[tuple[int, int], int] | None = None,
    ) -> None:
        n = len(problem.people)
        self.problem = problem
        self.n = n
        self.seats = list(problem.tables)
        self.rounds = problem.rounds
        people = problem.people
        all_languages = sorted({language for person in people for language in person.languages})
        bit = {language: 1 << i for i, language in enumerate(all_languages)}
        everything = (1 << len(all_languages)) - 1 if all_languages else 1
        # A person whose languages are unknown speaks "everything": they never break a table's language.
        self.masks = [
            sum(bit[language] for language in person.languages) if person.languages else everything for person in people
        ]
        self.everything = everything
        self.languages = len(all_languages)
        # bits[p][l]: 1 when p speaks language l (or p's languages are unknown).
        self.bits = [tuple((mask >> bit) & 1 for bit in range(self.languages)) for mask in self.masks]
        self.speakers: list[list[list[int]]] = []  # [r][t][l]: how many at table t of round r speak l
        index = problem.index
        weight = [0] * (n * n)
        should = [0] * (n * n)

        def add(a: int, b: int, cost: int, into: list[int]) -> None:
            into[a * n + b] += cost
            into[b * n + a] += cost

        for a in range(n):
            pa = people[a]
            for b in range(a + 1, n):
                pb = people[b]
                if pa.organisation is not None and pa.organisation == pb.organisation:
                    add(a, b, SAME_ORGANISATION, weight)
                if pa.organisation_type is not None and pa.organisation_type == pb.organisation_type:
                    add(a, b, SAME_TYPE, weight)
        for x, y in problem.keep_apart:
            add(index[x], index[y], KEEP_APART, weight)
        for x, y in problem.met_before:
            add(index[x], index[y], PAST, weight)
        for x, y in problem.should_meet:
            add(index[x], index[y], SHOULD_MEET, should)
        self.weight = weight
        self.should = should
        self.counts = [0] * (n * n)
        for (a, b), times in (prior or {}).items():
            self.counts[a * n + b] += times
            self.counts[b * n + a] += times
        self.prior_counts = list(self.counts)
        self.movable = [[True] * n for _ in range(self.rounds)]
        self.fixed_table: list[dict[int, int]] = [{} for _ in range(self.rounds)]
        for (round_, person), table in problem.fixed_seats().items():
            self.movable[round_][index[person]] = False
            self.fixed_table[round_][index[person]] = table
        self.tables: list[list[list[int]]] = []
        self.where: list[list[int]] = []
        self.cost = 0
        # No plan costs less than `floor`: what the held rounds already cost, and tables as equal as can be.
        self.floor = sum(
            weight[a * n + b] * c + REPEAT * max(0, c - 1)
            for a in range(n)
            for b in range(a + 1, n)
            if (c := self.counts[a * n + b])
        )
        for r in range(self.rounds):
            fixed = [0] * len(self.seats)
            for t in self.fixed_table[r].values():
                fixed[t] += 1
            self.floor += BALANCE * sum(size**2 for size in balanced_sizes(n, self.seats, fixed))

    # --- cost -------------------------------------------------------------------------------------

    def pair_join(self, a: int, members: Sequence[int]) -> int:
        """Change of cost when `a` joins a table of `members` (a not among them)."""
        n, counts, weight, should = self.n, self.counts, self.weight, self.should
        base = a * n
        delta = 0
        for x in members:
            i = base + x
            c = counts[i]
            delta += weight[i] + (REPEAT if c else -should[i])
        return delta

    def pair_leave(self, a: int, members: Sequence[int]) -> int:
        """Change of cost when `a` leaves a table of `members` (which may include a itself)."""
        n, counts, weight, should = self.n, self.counts, self.weight, self.should
        base = a * n
        delta = 0
        for x in members:
            if x == a:
                continue
            i = base + x
            c = counts[i]
            delta -= weight[i] + (REPEAT if c >= 2 else -should[i] if c == 1 else 0)
        return delta

    def language_mask(self, members: Sequence[int], without: int = -1) -> int:
        mask = self.everything
        masks = self.masks
        for x in members:
            if x != without:
                mask &= masks[x]
        return mask

    def full_cost(self) -> int:
        """The cost recounted from scratch (the search keeps `cost` incrementally; tests compare the two)."""
        n = self.n
        cost = 0
        for a in range(n):
            for b in range(a + 1, n):
                i = a * n + b
                c = self.counts[i]
                cost += self.weight[i] * c + REPEAT * max(0, c - 1) + (self.should[i] if c == 0 else 0)
        for r, round_ in enumerate(self.tables):
            for t, table in enumerate(round_):
                cost += BALANCE * len(table) ** 2 + LANGUAGE * self.need(self.speakers[r][t], len(table))
        return cost

    def need(self, speakers: Sequence[int], size: int) -> int:
        """How many at a table of `size` do not speak its most spoken language (who need interpreting)."""
        return size - max(speakers) if size and self.languages else 0

    def _count_speakers(self, table: Sequence[int]) -> list[int]:
        counts = [0] * self.languages
        for p in table:
            for language, spoken in enumerate(self.bits[p]):
                counts[language] += spoken
        return counts

    def _meet(self, a: int, members: Sequence[int], step: int) -> None:
        n, counts = self.n, self.counts
        for x in members:
            if x != a:
                counts[a * n + x] += step
                counts[x * n + a] += step

    # --- building -------------------------------------------------------------------------------

    def load(self, rounds: Sequence[Sequence[Sequence[int]]]) -> None:
        """Take `rounds` (person indices) as the current plan."""
        self.counts = list(self.prior_counts)
        self.tables = [[list(table) for table in round_] for round_ in rounds]
        self.where = [[-1] * self.n for _ in range(self.rounds)]
        self.speakers = [[self._count_speakers(table) for table in round_] for round_ in self.tables]
        for r, round_ in enumerate(self.tables):
            for t, table in enumerate(round_):
                for p in table:
                    self.where[r][p] = t
                for i, p in enumerate(table):
                    self._meet(p, table[i + 1 :], 1)
        self.cost = self.full_cost()

    def greedy(
        self, rng: random.Random, *, repair: int = 0, start: Sequence[Sequence[Sequence[int]]] = ()
    ) -> list[list[list[int]]]:
        """A greedy plan, round by round: fixed seats first, then the people who share a language with the
        fewest others first (ties at random), each at the table with room where they add the least cost
        with those already seated, counting also, at NARROWING a person, how many of those still waiting
        could no longer join the table's shared language (so speakers of one language gather where it is
        spoken). Pair counts grow as rounds are made, so later rounds avoid who already met. With `repair`,
        each round is improved by that many iterations of tabu search in it alone before the next is made.
        `start`: rounds already made (a construction's), kept as they are; the greedy adds the others."""
        n = self.n
        rounds: list[list[list[int]]] = [[list(table) for table in round_] for round_ in start]
        for r in range(len(rounds), self.rounds):
            if repair and rounds:
                self.load(rounds)  # counts of the rounds made so far (the previous one repaired)
            fixed = self.fixed_table[r]
            tables: list[list[int]] = [[] for _ in self.seats]
            for p, t in sorted(fixed.items()):
                tables[t].append(p)
            targets = balanced_sizes(n, self.seats, [len(table) for table in tables])
            free = [p for p in range(n) if p not in fixed]
            # join[t][p]: the cost of p joining table t as it is now, kept up to date as people sit down.
            join = [[self.pair_join(p, table) if table else 0 for p in range(n)] for table in tables]
            masks = [self.language_mask(table) for table in tables]
            # How many of those waiting share a language with each combination of languages.
            speaking: dict[int, int] = {}
            for p in free:
                speaking[self.masks[p]] = speaking.get(self.masks[p], 0) + 1

            def reach(mask: int, speaking: dict[int, int] = speaking) -> int:
                return sum(count for spoken, count in speaking.items() if spoken & mask)

            rng.shuffle(free)
            free.sort(key=lambda p: reach(self.masks[p]))
            waiting = set(free)
            alike: list[dict[int, int]] = [{} for _ in tables]  # [t][mask]: how many at t speak just that
            for p in free:
                best, best_cost = -1, 0
                for t, table in enumerate(tables):
                    if len(table) >= targets[t]:
                        continue
                    cost = join[t][p] + CROWDING * alike[t].get(self.masks[p], 0)
                    narrowed = masks[t] & self.masks[p]
                    if not narrowed:
                        cost += LANGUAGE
                    elif narrowed != masks[t]:
                        cost += NARROWING * (reach(masks[t]) - reach(narrowed))
                    if best < 0 or cost < best_cost:
                        best, best_cost = t, cost
                waiting.discard(p)
                speaking[self.masks[p]] -= 1
                tables[best].append(p)
                masks[best] &= self.masks[p]
                alike[best][self.masks[p]] = alike[best].get(self.masks[p], 0) + 1
                row = join[best]
                for q in waiting:
                    i = q * n + p
                    row[q] += self.weight[i] + (REPEAT if self.counts[i] else -self.should[i])
            for table in tables:
                for i, p in enumerate(table):
                    self._meet(p, table[i + 1 :], 1)
            rounds.append(tables)
            if repair:
                self.load(rounds)
                tabu_search(self, rng, iterations=repair, quiet_iterations=repair // 4, only_round=r, patience=2)
                rounds = self.snapshot()
        # Back to the counts before the plan: `load` recounts them.
        self.counts = list(self.prior_counts)
        return rounds

    # --- moves ----------------------------------------------------------------------------------

    def swap_delta(self, r: int, p: int, q: int) -> int:
        """Change of cost when p and q (at different tables of round r) change places."""
        tables, where = self.tables[r], self.where[r]
        ta, tb = where[p], where[q]
        a, b = tables[ta], tables[tb]
        i = p * self.n + q
        c = self.counts[i]
        between = self.weight[i] + (REPEAT if c else -self.should[i])  # p-q is counted in both joins: remove it
        delta = self.pair_leave(p, a) + self.pair_join(p, b) + self.pair_leave(q, b) + self.pair_join(q, a)
        delta -= 2 * between
        if self.languages:
            bp, bq = self.bits[p], self.bits[q]
            sa, sb = self.speakers[r][ta], self.speakers[r][tb]
            after_a = [x - y + z for x, y, z in zip(sa, bp, bq, strict=True)]
            after_b = [x - y + z for x, y, z in zip(sb, bq, bp, strict=True)]
            language = self.need(after_a, len(a)) + self.need(after_b, len(b))
            delta += LANGUAGE * (language - self.need(sa, len(a)) - self.need(sb, len(b)))
        return delta

    def move_delta(self, r: int, p: int, t: int) -> int:
        """Change of cost when p moves to table t of round r, which has a free seat."""
        tables = self.tables[r]
        ta = self.where[r][p]
        a, b = tables[ta], tables[t]
        delta = self.pair_leave(p, a) + self.pair_join(p, b)
        if self.languages:
            bp = self.bits[p]
            sa, sb = self.speakers[r][ta], self.speakers[r][t]
            after_a = [x - y for x, y in zip(sa, bp, strict=True)]
            after_b = [x + y for x, y in zip(sb, bp, strict=True)]
            language = self.need(after_a, len(a) - 1) + self.need(after_b, len(b) + 1)
            delta += LANGUAGE * (language - self.need(sa, len(a)) - self.need(sb, len(b)))
        return delta + BALANCE * (2 * len(b) - 2 * len(a) + 2)

    def swap(self, r: int, p: int, q: int, delta: int) -> None:
        where, tables = self.where[r], self.tables[r]
        ta, tb = where[p], where[q]
        a, b = tables[ta], tables[tb]
        self._meet(p, a, -1)
        self._meet(q, b, -1)
        a[a.index(p)] = q
        b[b.index(q)] = p
        where[p], where[q] = tb, ta
        if self.languages:
            sa, sb = self.speakers[r][ta], self.speakers[r][tb]
            for language, (x, y) in enumerate(zip(self.bits[p], self.bits[q], strict=True)):
                sa[language] += y - x
                sb[language] += x - y
        self._meet(q, a, 1)
        self._meet(p, b, 1)
        self.cost += delta

    def move(self, r: int, p: int, t: int, delta: int) -> None:
        where, tables = self.where[r], self.tables[r]
        ta = where[p]
        a = tables[ta]
        self._meet(p, a, -1)
        a.remove(p)
        tables[t].append(p)
        where[p] = t
        for language, x in enumerate(self.bits[p]):
            self.speakers[r][ta][language] -= x
            self.speakers[r][t][language] += x
        self._meet(p, tables[t], 1)
        self.cost += delta

    def conflicts(self) -> list[tuple[int, int]]:
        """(round, person) of every movable person involved in a cost of CONFLICT or more: a pair that
        repeats, is kept apart, is of one organisation or met before, or someone who does not speak the
        language most of their table speaks."""
        n, counts, weight = self.n, self.counts, self.weight
        found = []
        for r, round_ in enumerate(self.tables):
            movable = self.movable[r]
            for t, table in enumerate(round_):
                speakers = self.speakers[r][t]
                most = speakers.index(max(speakers)) if self.need(speakers, len(table)) else -1
                for p in table:
                    if not movable[p]:
                        continue
                    if most >= 0 and not self.bits[p][most]:
                        found.append((r, p))
                        continue
                    base = p * n
                    for x in table:
                        if x != p and (counts[base + x] > 1 or weight[base + x] >= CONFLICT):
                            found.append((r, p))
                            break
        return found

    def snapshot(self) -> list[list[list[int]]]:
        return [[list(table) for table in round_] for round_ in self.tables]


def tabu_search(
    state: State,
    rng: random.Random,
    *,
    iterations: int,
    quiet_iterations: int = 50,
    time_limit: float | None = None,
    tenure: tuple[int, int] = (6, 12),
    sample: int = 8,
    patience: int | None = 20,
    focus: int = 12,
    only_round: int | None = None,
) -> Outcome:
    """Improve `state` by swaps of two people in one round (and moves to a free seat).

    Each iteration looks at every move of the people in conflict (`State.conflicts`; `focus` of them drawn
    at random when there are more) — or, once there are none, of `sample` people drawn at random, for the
    goals below — and makes the best move that is not
    tabu (a move is tabu for a few iterations after either person was moved in that round, unless it
    reaches a new best). After `quiet_iterations` without a new best it stops if there is no conflict
    left, else it perturbs: a few random swaps from the best plan (after `patience` perturbations
    without a new best it stops: what is left is likely unavoidable; None: never, for a search that
    should use all of its `time_limit`). Stops after `iterations`, at
    `State.floor` (nothing can be better), or at `time_limit` seconds. `only_round`: move people in that
    round only (the greedy start repairs each round so before making the next).
    """
    started = time.monotonic()
    rounds_searched = range(len(state.tables)) if only_round is None else [only_round]
    best_rounds, best_cost = state.snapshot(), state.cost
    tabu: dict[tuple[int, int], int] = {}
    since_best = 0
    fruitless = 0  # perturbations since the last new best
    done = 0
    n_tables = len(state.seats)
    for iteration in range(iterations):
        if best_cost <= state.floor or (time_limit is not None and time.monotonic() - started > time_limit):
            break
        done = iteration + 1
        conflicts = state.conflicts()
        if only_round is not None:
            conflicts = [(r, p) for r, p in conflicts if r == only_round]
        if since_best >= quiet_iterations:
            if not conflicts or (patience is not None and fruitless >= patience):
                break
            fruitless += 1
            state.load(best_rounds)
            movable = [(r, p) for r in rounds_searched for p in range(state.n) if state.movable[r][p]]
            for _ in range(max(2, state.n // 8)):
                r, p = rng.choice(movable)
                q = rng.randrange(state.n)
                if state.movable[r][q] and state.where[r][p] != state.where[r][q]:
                    state.swap(r, p, q, state.swap_delta(r, p, q))
            since_best = 0
            tabu.clear()
            continue
        if not conflicts:
            movable = [(r, p) for r in rounds_searched for p in range(state.n) if state.movable[r][p]]
            conflicts = rng.sample(movable, min(sample, len(movable)))
        elif len(conflicts) > focus:
            conflicts = rng.sample(conflicts, focus)
        best_move: tuple[int, int, int, bool] | None = None  # (round, person, other or table, is a swap)
        best_delta = 0
        ties = 0
        n, counts, weight, should, bits = state.n, state.counts, state.weight, state.should, state.bits
        languages, need = state.languages, state.need
        # Per round looked at: what leaving their table is worth for each person (computed once per
        # iteration, then each swap costs O(table size + languages)).
        leave: dict[int, list[int]] = {}
        for r in {r for r, _ in conflicts}:
            leave[r] = [0] * n
            for table in state.tables[r]:
                for q in table:
                    leave[r][q] = state.pair_leave(q, table)
        cost_now = state.cost
        for r, p in conflicts:
            where, tables, movable_r, speakers = state.where[r], state.tables[r], state.movable[r], state.speakers[r]
            leave_r = leave[r]
            ta = where[p]
            a = tables[ta]
            p_tabu = tabu.get((r, p), -1) >= iteration
            leave_p, bp = leave_r[p], bits[p]
            sa = speakers[ta]
            without_p = [x - y for x, y in zip(sa, bp, strict=True)]
            need_a = need(sa, len(a))
            base_p = p * n
            for tb in range(n_tables):
                if tb == ta:
                    continue
                b = tables[tb]
                join_p = leave_p + state.pair_join(p, b)
                sb = speakers[tb]
                lost = need_a + need(sb, len(b))
                with_p = [x + y for x, y in zip(sb, bp, strict=True)]
                moves: list[tuple[int, int, bool]] = []
                for q in b:
                    if not movable_r[q]:
                        continue
                    i = base_p + q
                    between = weight[i] + (REPEAT if counts[i] else -should[i])
                    base_q = q * n
                    join_q = 0
                    for x in a:
                        j = base_q + x
                        join_q += weight[j] + (REPEAT if counts[j] else -should[j])
                    delta = join_p + leave_r[q] + join_q - 2 * between
                    if languages:
                        bq = bits[q]
                        after = len(a) - max([x + y for x, y in zip(without_p, bq, strict=True)])
                        after += len(b) - max([x - y for x, y in zip(with_p, bq, strict=True)])
                        delta += LANGUAGE * (after - lost)
                    moves.append((q, delta, True))
                if len(b) < state.seats[tb]:
                    moves.append((tb, state.move_delta(r, p, tb), False))
                for other, delta, is_swap in moves:
                    if (p_tabu or (is_swap and tabu.get((r, other), -1) >= iteration)) and (
                        cost_now + delta >= best_cost
                    ):
                        continue
                    if best_move is None or delta < best_delta:
                        best_move, best_delta, ties = (r, p, other, is_swap), delta, 1
                    elif delta == best_delta:
                        ties += 1
                        if rng.randrange(ties) == 0:
                            best_move = (r, p, other, is_swap)
        if best_move is None:
            since_best += 1
            continue
        r, p, other, is_swap = best_move
        if is_swap:
            state.swap(r, p, other, best_delta)
            tabu[(r, other)] = iteration + rng.randint(*tenure)
        else:
            state.move(r, p, other, best_delta)
        tabu[(r, p)] = iteration + rng.randint(*tenure)
        if state.cost < best_cost:
            best_rounds, best_cost = state.snapshot(), state.cost
            since_best = fruitless = 0
        else:
            since_best += 1
    state.load(best_rounds)
    return Outcome(best_rounds, best_cost, done, time.monotonic() - started)


def to_plan(problem: Problem, rounds: Sequence[Sequence[Sequence[int]]]) -> Plan:
    """Person indices → a Plan of person ids."""
    ids: list[PersonId] = [person.id for person in problem.people]
    return Plan(rounds=tuple(tuple(tuple(ids[p] for p in table) for table in round_) for round_ in rounds))
