"""An invented directory of any size for load tests and benchmarks (`manage.py generate_network`).

Organisations (with their names in Polish, Ukrainian and English, communities, working languages,
places, descriptions), their activities, and offers and needs across every category with
quantities, areas and availability; written with bulk_create in batches, then indexed for search
through the apps' own reindexers (organisations.search_documents.organisations_reindex_all), whose
entries search.services.search_documents_in_bulk writes in batches.

Deterministic: the same seed (and the same `today`) gives the same directory. Every generated
organisation carries a history row (OrganisationLogEntry CREATED, changes {"generated_by":
"generate_network", "seed": …}); that is how the command tells its own data from anyone else's.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from civicmeet.core.visibility import Visibility
from civicmeet.events.models import Event
from civicmeet.organisations.communities import communities_ensure
from civicmeet.organisations.models import (
    Community,
    NameKind,
    Organisation,
    OrganisationAction,
    OrganisationLogEntry,
    OrganisationName,
    OrganisationStatus,
)
from civicmeet.organisations.search_documents import organisations_reindex_all
from civicmeet.resources.matching import place_key
from civicmeet.resources.models import Activity, Category, Direction, Resource
from civicmeet.search.services import search_documents_in_bulk

from . import generator_words as words

MARKER = "generate_network"
BATCH = 1000

T = TypeVar("T")


@dataclass(frozen=True)
class Generated:
    organisations: int
    names: int
    activities: int
    resources: int
    indexed: dict[str, int]


def _weighted(rng: random.Random, items: Sequence[T], weights: Sequence[int]) -> T:
    return rng.choices(items, weights=weights, k=1)[0]


def generated_organisations() -> QuerySet[Organisation]:
    """The organisations this command made (their CREATED history row says so)."""
    marked = OrganisationLogEntry.objects.filter(
        organisation=OuterRef("pk"), action=OrganisationAction.CREATED, changes__generated_by=MARKER
    )
    return Organisation.objects.filter(Exists(marked))


def other_data_exists() -> bool:
    """Whether the database holds anything this command did not make (real or demo data)."""
    return (
        Organisation.objects.exclude(pk__in=generated_organisations().values("pk")).exists() or Event.objects.exists()
    )


def remove_generated() -> int:
    """Delete what an earlier run made (everything linked to its organisations goes with them)."""
    ids = list(generated_organisations().values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        Organisation.objects.filter(pk__in=ids[start : start + BATCH]).delete()
    return len(ids)


# -- Names and profiles ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Profile:
    name: str
    names: dict[str, str]  # uk / en translations
    alternate: str
    short_name: str
    community: words.CommunityWords
    type: str
    place: words.Place
    word: words.Word


def _names(rng: random.Random, community: words.CommunityWords, place: words.Place) -> tuple[str, str, str, str, str]:
    form = rng.choice(words.FORMS)
    word = rng.choice(words.WORDS)
    pattern = rng.random()
    adjective_pl = words.pl_adjective(community.pl_stem, form.pl_gender).capitalize()
    adjective_uk = words.uk_adjective(community.uk_stem, form.uk_gender).capitalize()
    if pattern < 0.55:
        pl = f"{form.pl} {adjective_pl} „{word.pl}” {place.pl_in}"
        uk = f"{adjective_uk} {form.uk.lower()} «{word.uk}» {place.uk_in}"
        en = f"{community.en} {form.en} “{word.en}” in {place.en}"
    elif pattern < 0.85:
        pl = f"{form.pl} „{word.pl}” na rzecz {community.pl_for}"
        uk = f"{form.uk} «{word.uk}» для {community.uk_for}"
        en = f"{word.en} {form.en} for {community.en_for}"
    else:
        pl = f"{form.pl} {adjective_pl} {place.pl_in}"
        uk = f"{adjective_uk} {form.uk.lower()} {place.uk_in}"
        en = f"{community.en} {form.en} in {place.en}"
    alternate = f"{form.pl} „{word.pl}”"
    return pl, uk, en, alternate, word.pl


def _profiles(rng: random.Random, count: int, taken: set[str]) -> Iterator[_Profile]:
    communities = words.COMMUNITIES
    community_weights = [community.weight for community in communities]
    places = words.PLACES
    place_weights = [place.weight for place in places]
    made = 0
    while made < count:
        community = _weighted(rng, communities, community_weights)
        place = _weighted(rng, places, place_weights)
        pl, uk, en, alternate, short = _names(rng, community, place)
        if pl.lower() in taken:
            # The same combination again: a second branch of it, as organisations do.
            number = 2
            while f"{pl} – oddział {number}".lower() in taken:
                number += 1
            pl, uk, en = f"{pl} – oddział {number}", f"{uk} – відділення {number}", f"{en} – branch {number}"
        taken.add(pl.lower())
        types, type_weights = zip(*community.types, strict=True)
        yield _Profile(
            name=pl,
            names={"uk": uk, "en": en},
            alternate=alternate,
            short_name=short,
            community=community,
            type=_weighted(rng, types, type_weights),
            place=place,
            word=rng.choice(words.WORDS),
        )
        made += 1


def _area(rng: random.Random, place: words.Place) -> str:
    template = _weighted(rng, [t for t, _w in words.AREAS_SERVED], [w for _t, w in words.AREAS_SERVED])
    return template.format(city=place.city, region=place.region)


def _descriptions(rng: random.Random, profile: _Profile, year: int) -> dict[str, str]:
    a, b, c = rng.sample(words.ACTIVITIES, 3)
    place = profile.place
    return {
        "pl": (
            f"Działamy od {year} r. na rzecz {profile.community.pl_for} {place.pl_in} i w regionie. "
            f"Prowadzimy {a.pl}, {b.pl} oraz {c.pl}. Chętnie współpracujemy z innymi organizacjami."
        ),
        "uk": (
            f"Працюємо з {year} року для {profile.community.uk_for} {place.uk_in} та в регіоні. "
            f"Пропонуємо {a.uk}, {b.uk}, а також {c.uk}. Охоче співпрацюємо з іншими організаціями."
        ),
        "en": (
            f"Since {year} we have worked with {profile.community.en_for} in {place.en} and the region. "
            f"We offer {a.en}, {b.en} and {c.en}. We are glad to work with other organisations."
        ),
    }


def _languages(rng: random.Random, community: words.CommunityWords) -> list[str]:
    own = list(community.languages)
    languages = own[:2] + [code for code in own[2:] if rng.random() < 0.5]
    if "pl" not in languages:
        languages.append("pl")
    if "en" not in languages and rng.random() < 0.3:
        languages.append("en")
    return languages


def _visibility(rng: random.Random) -> str:
    return _weighted(rng, [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRIVATE], [85, 12, 3])


def _organisations(
    rng: random.Random, count: int, seed: int, today: date
) -> tuple[list[Organisation], list[_Profile], int]:
    taken = {name.lower() for name in Organisation.objects.values_list("name", flat=True)}
    profiles = list(_profiles(rng, count, taken))
    communities_ensure()
    communities = {community.slug: community for community in Community.objects.all()}
    organisations, kept_profiles = [], []
    for index, profile in enumerate(profiles):
        year = rng.randint(1950, 1988) if profile.type == "national_minority" and rng.random() < 0.3 else 0
        year = year or rng.randint(1989, today.year - 1)
        host = f"{slugify(profile.short_name) or 'org'}-{seed}-{index}.example.org"
        descriptions = _descriptions(rng, profile, year)
        organisations.append(
            Organisation(
                name=profile.name,
                short_name=profile.short_name if rng.random() < 0.5 else "",
                type=profile.type,
                status=OrganisationStatus.PUBLISHED if rng.random() < 0.95 else OrganisationStatus.DRAFT,
                visibility=_visibility(rng),
                working_languages=_languages(rng, profile.community),
                city=profile.place.city,
                region=profile.place.region,
                area_served=_area(rng, profile.place),
                description_pl=descriptions["pl"],
                description_uk=descriptions["uk"] if rng.random() < 0.8 else "",
                description_en=descriptions["en"] if rng.random() < 0.7 else "",
                website=f"https://{host}/",
                contact_email=f"kontakt@{host}",
                contact_visibility=_weighted(rng, [Visibility.PUBLIC, Visibility.MEMBERS], [40, 60]),
                founded_year=year,
                last_checked_on=today - timedelta(days=rng.randint(0, 700)),
            )
        )
        kept_profiles.append(profile)
    Organisation.objects.bulk_create(organisations, batch_size=BATCH)

    # Communities served: the community the name speaks of, sometimes one more.
    through = Organisation.communities.through
    links = []
    slugs = list(communities)
    for organisation, profile in zip(organisations, kept_profiles, strict=True):
        chosen = {profile.community.slug}
        if rng.random() < 0.25:
            chosen.add(rng.choice(slugs))
        links += [
            through(organisation_id=organisation.pk, community_id=communities[slug].pk)
            for slug in sorted(chosen)
            if slug in communities
        ]
    through.objects.bulk_create(links, batch_size=BATCH)

    names = []
    for organisation, profile in zip(organisations, kept_profiles, strict=True):
        for language, name in profile.names.items():
            names.append(
                OrganisationName(organisation=organisation, name=name, language=language, kind=NameKind.TRANSLATION)
            )
        if rng.random() < 0.3 and profile.alternate.lower() != organisation.name.lower():
            names.append(OrganisationName(organisation=organisation, name=profile.alternate, kind=NameKind.ALTERNATE))
    OrganisationName.objects.bulk_create(names, batch_size=BATCH)

    OrganisationLogEntry.objects.bulk_create(
        (
            OrganisationLogEntry(
                organisation=organisation,
                action=OrganisationAction.CREATED,
                changes={"generated_by": MARKER, "seed": seed},
            )
            for organisation in organisations
        ),
        batch_size=BATCH,
    )
    return organisations, kept_profiles, len(names)


# -- Activities, offers and needs --------------------------------------------------------------


def _writing_language(rng: random.Random, organisation: Organisation) -> str:
    spoken = [code for code in ("uk", "pl", "en") if code in organisation.working_languages]
    return rng.choice(spoken or ["pl"])


def _activities(rng: random.Random, organisations: list[Organisation], count: int, today: date) -> int:
    published = organisations
    activities = []
    for _ in range(count):
        organisation = rng.choice(published)
        language = _writing_language(rng, organisation)
        title = rng.choice(words.ACTIVITY_TITLES)
        a, b = rng.sample(words.ACTIVITIES, 2)
        start = today + timedelta(days=rng.randint(-400, 120))
        ends = None if rng.random() < 0.4 else start + timedelta(days=rng.randint(1, 300))
        activities.append(
            Activity(
                organisation=organisation,
                title=getattr(title, language),
                description={
                    "pl": f"W programie: {a.pl} i {b.pl}.",
                    "uk": f"У програмі: {a.uk} і {b.uk}.",
                    "en": f"On the programme: {a.en} and {b.en}.",
                }[language],
                language=language,
                starts_on=start,
                ends_on=ends,
                languages=[code for code in organisation.working_languages if rng.random() < 0.7]
                or organisation.working_languages[:1],
                looking_for_partners=rng.random() < 0.35,
                visibility=_visibility(rng),
            )
        )
    Activity.objects.bulk_create(activities, batch_size=BATCH)
    return len(activities)


def _availability(rng: random.Random) -> tuple[list[int], bool, date | None, date | None, dict[str, str]]:
    """(weekdays, any_time, from, until, the phrase per language)."""
    roll = rng.random()
    if roll < 0.45:
        days = sorted(rng.sample(range(7), rng.choice((1, 1, 2, 3))))
        when = {
            language: ", ".join(words.WEEKDAYS_IN[language][day] for day in days) for language in ("pl", "uk", "en")
        }
        return days, False, None, None, when
    if roll < 0.7:
        return [], True, None, None, dict(words.ANY_TIME)
    return [], False, None, None, {}


def _resources(rng: random.Random, organisations: list[Organisation], count: int, today: date) -> int:
    categories = [choice.value for choice in Category]
    category_weights = [24, 10, 14, 12, 12, 8, 8, 6, 6]
    resources = []
    for _ in range(count):
        organisation = rng.choice(organisations)
        language = _writing_language(rng, organisation)
        category = _weighted(rng, categories, category_weights)
        direction = rng.choice((Direction.OFFER, Direction.NEED))
        bounds = words.QUANTITIES[category]
        quantity = rng.randint(*bounds) if bounds and rng.random() < 0.9 else None
        weekdays, any_time, available_from, available_until, when = _availability(rng)
        if not when:
            available_from = today + timedelta(days=rng.randint(-30, 60))
            available_until = available_from + timedelta(days=rng.randint(7, 240))
            when = {
                "pl": f"od {available_from:%d.%m.%Y} do {available_until:%d.%m.%Y}",
                "uk": f"з {available_from:%d.%m.%Y} до {available_until:%d.%m.%Y}",
                "en": f"from {available_from:%d %b %Y} to {available_until:%d %b %Y}",
            }
        languages = [code for code in organisation.working_languages if rng.random() < 0.6] or ["pl"]
        online = category in words.ONLINE_CATEGORIES and rng.random() < 0.4
        description = words.RESOURCE_DESCRIPTIONS[language].format(
            when=when[language], languages=", ".join(code.upper() for code in languages)
        )
        resources.append(
            Resource(
                organisation=organisation,
                direction=direction,
                category=category,
                title=words.resource_titles(category, direction, quantity, language)[:200],
                description=description,
                language=language,
                quantity=quantity,
                available_from=available_from,
                available_until=available_until,
                weekdays=weekdays,
                any_time=any_time,
                languages=languages,
                city="" if online else organisation.city,
                city_key="" if online else place_key(organisation.city),  # bulk_create skips save()
                region="" if online else organisation.region,
                online=online,
                visibility=_visibility(rng),
                active=rng.random() < 0.95,
                active_until=None if rng.random() < 0.8 else today + timedelta(days=rng.randint(-20, 200)),
            )
        )
    Resource.objects.bulk_create(resources, batch_size=BATCH)
    return len(resources)


# -- The run -----------------------------------------------------------------------------------


def generate_network(
    *, organisations: int, resources: int, activities: int | None = None, seed: int = 0, today: date | None = None
) -> Generated:
    """Make an invented directory (see the module's docstring) and index it for search."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    activities = organisations if activities is None else activities
    with transaction.atomic():
        made, _profiles_made, name_count = _organisations(rng, organisations, seed, today)
        activity_count = _activities(rng, made, activities, today) if made else 0
        resource_count = _resources(rng, made, resources, today) if made else 0
        with search_documents_in_bulk():  # the same entries as one by one, written in batches
            indexed = organisations_reindex_all()
    return Generated(
        organisations=len(made),
        names=name_count,
        activities=activity_count,
        resources=resource_count,
        indexed=indexed,
    )
