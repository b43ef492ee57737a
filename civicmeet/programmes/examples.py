"""The invitation's programme and its three projects, as data the demo (and the tests) can load.

From the seed (../shared/seed/invitation-pl.txt): the meeting was held within the "Aktywni
Obywatele – Fundusz Krajowy" programme; its fourth agenda point presents three projects run by
Kraków minority organisations: "IDZ – Informuj, Działaj, Zrozum. Własnym głosem", "KOMM – koalicja
organizacji mniejszości narodowych i etnicznych i migrantów" and "Strategie współpracy i włączania
osób narażonych na dyskryminację i wykluczenie".

INVENTED (not in the seed, marked so that nobody takes them for facts): which organisation runs
which project and who its partners are (the seed names only the two inviting organisations, the
Zustricz Foundation and the Jewish Association Czulent), the descriptions, every offer (titles,
dates, places, seats, languages) and the project addresses (slugs). The programme's funder and
operator are those of the real programme (EEA and Norway Grants; Stefan Batory Foundation with the
Polish Children and Youth Foundation), not stated in the invitation.

`load_examples(organisations={name: Organisation})` writes everything through programmes.services.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from civicmeet.core.visibility import Visibility

from .models import OfferKind, Programme, Project, ProjectOffer
from .services import offer_save, programme_save, project_save

PROGRAMME = {
    "slug": "aktywni-obywatele-fundusz-krajowy",
    "name": {
        "pl": "Aktywni Obywatele – Fundusz Krajowy",
        "uk": "Активні громадяни – Національний фонд",
        "en": "Active Citizens – National Fund",
    },
    "funder": "EEA and Norway Grants / Fundusze EOG",
    "operator": "Fundacja im. Stefana Batorego, Polska Fundacja Dzieci i Młodzieży",
    "description": {
        "pl": "Program wspierający organizacje społeczeństwa obywatelskiego w Polsce, finansowany z Funduszy EOG.",
        "uk": "Програма підтримки організацій громадянського суспільства в Польщі, що фінансується з Фондів ЄЕЗ.",
        "en": "A programme supporting civil-society organisations in Poland, funded by the EEA Grants.",
    },
    "website": "https://aktywniobywatele.org.pl/",
}

# organisation: the key of the `organisations` mapping passed to load_examples (INVENTED pairing).
PROJECTS: list[dict[str, Any]] = [
    {
        "slug": "idz-informuj-dzialaj-zrozum",
        "short_name": "IDZ",
        "organisation": "Fundacja Zustricz",
        "partners": ["Żydowskie Stowarzyszenie Czulent"],
        "title": {
            "pl": "Informuj, Działaj, Zrozum. Własnym głosem",
            "uk": "Інформуй, дій, зрозумій. Власним голосом",
            "en": "Inform, Act, Understand. In your own voice",
        },
        "description": {
            "pl": "Szkolenia z rzecznictwa i komunikacji dla organizacji mniejszościowych i migranckich.",
            "uk": "Тренінги з адвокації та комунікації для організацій меншин і мігрантів.",
            "en": "Advocacy and communication trainings for minority and migrant organisations.",
        },
        "offers": [
            {
                "kind": OfferKind.TRAINING,
                "title": {
                    "pl": "Jak rozmawiać z samorządem: szkolenie z rzecznictwa",
                    "uk": "Як говорити з органами місцевого самоврядування: тренінг з адвокації",
                    "en": "Talking to local government: an advocacy training",
                },
                "days": 30,
                "hours": 6,
                "city": "Kraków",
                "address": "ul. Józefa 12",
                "languages": ["pl", "uk"],
                "seats": 20,
            },
            {
                "kind": OfferKind.CONSULTATION,
                "title": {
                    "pl": "Konsultacje: komunikat prasowy Twojej organizacji",
                    "uk": "Консультації: пресреліз вашої організації",
                    "en": "Consultations: your organisation's press release",
                },
                "days": None,
                "online": True,
                "languages": ["pl", "uk", "en"],
                "seats": None,
            },
        ],
    },
    {
        "slug": "komm-koalicja-mniejszosci-i-migrantow",
        "short_name": "KOMM",
        "organisation": "Żydowskie Stowarzyszenie Czulent",
        "partners": ["Fundacja Zustricz"],
        "title": {
            "pl": "KOMM – koalicja organizacji mniejszości narodowych i etnicznych oraz migrantów",
            "uk": "KOMM – коаліція організацій національних і етнічних меншин та мігрантів",
            "en": "KOMM – coalition of organisations of national and ethnic minorities and migrants",
        },
        "description": {
            "pl": "Budujemy koalicję organizacji mniejszościowych i migranckich Krakowa i Małopolski.",
            "uk": "Ми будуємо коаліцію організацій меншин і мігрантів Кракова та Малопольщі.",
            "en": "Building a coalition of the minority and migrant organisations of Kraków and Małopolska.",
        },
        "offers": [
            {
                "kind": OfferKind.TRAINING,
                "title": {
                    "pl": "Szkolenie: jak zbudować koalicję organizacji",
                    "uk": "Тренінг: як побудувати коаліцію організацій",
                    "en": "Training: how to build a coalition of organisations",
                },
                "days": 45,
                "hours": 5,
                "city": "Kraków",
                "address": "ul. Meiselsa 17",
                "languages": ["pl", "uk"],
                "seats": 15,
            },
            {
                "kind": OfferKind.WORKSHOP,
                "title": {
                    "pl": "Warsztat: wspólny kalendarz wydarzeń mniejszości",
                    "uk": "Воркшоп: спільний календар подій меншин",
                    "en": "Workshop: a shared calendar of minority events",
                },
                "days": 60,
                "hours": 3,
                "city": "Kraków",
                "online": True,
                "languages": ["pl"],
                "seats": 25,
            },
        ],
    },
    {
        "slug": "strategie-wspolpracy-i-wlaczania",
        "short_name": "",
        "organisation": "Fundacja Zustricz",
        "partners": [],
        "title": {
            "pl": "Strategie współpracy i włączania osób narażonych na dyskryminację i wykluczenie",
            "uk": "Стратегії співпраці та інклюзії людей, що зазнають дискримінації та виключення",
            "en": "Strategies for cooperation and inclusion of people exposed to discrimination and exclusion",
        },
        "description": {
            "pl": "Wymiana dobrych praktyk włączania osób narażonych na dyskryminację.",
            "uk": "Обмін добрими практиками інклюзії людей, що зазнають дискримінації.",
            "en": "Sharing good practice in including people exposed to discrimination.",
        },
        "offers": [
            {
                "kind": OfferKind.ACTIVITY,
                "title": {
                    "pl": "Spotkania superwizyjne dla osób pracujących z migrantami",
                    "uk": "Супервізійні зустрічі для тих, хто працює з мігрантами",
                    "en": "Supervision meetings for people working with migrants",
                },
                "days": 21,
                "hours": 2,
                "city": "Kraków",
                "languages": ["pl", "uk", "ru"],
                "seats": 12,
            }
        ],
    },
]


def _moment(days: int | None, hours: int, base: datetime) -> tuple[datetime | None, datetime | None]:
    if days is None:
        return None, None
    starts = (base + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
    return starts, starts + timedelta(hours=hours)


def load_examples(*, organisations: dict[str, Any], now: datetime | None = None) -> list[Project]:
    """Create (or refresh) the programme, its projects and their offers; returns the projects.

    `organisations` maps the names used above to organisations.Organisation rows (the demo's).
    Running it again changes the existing rows instead of adding new ones.
    """
    base = timezone.localtime(now or timezone.now())
    programme: Programme = programme_save(slug=str(PROGRAMME["slug"]), data=PROGRAMME)
    projects = []
    for spec in PROJECTS:
        data = {key: spec[key] for key in ("title", "description", "short_name")} | {"visibility": Visibility.PUBLIC}
        partners = [organisations[name] for name in spec["partners"] if name in organisations]
        existing = Project.objects.filter(slug=spec["slug"]).first()
        project = project_save(
            data=data,
            project=existing,
            programme=programme,
            organisation=organisations[spec["organisation"]],
            slug=spec["slug"],
            partners=partners,
        )
        known = list(ProjectOffer.objects.filter(project=project).order_by("pk"))
        for index, offer_spec in enumerate(spec["offers"]):
            starts, ends = _moment(offer_spec["days"], offer_spec.get("hours", 0), base)
            offer_data = {
                "kind": offer_spec["kind"],
                "title": offer_spec["title"],
                "description": spec["description"],
                "starts_at": starts,
                "ends_at": ends,
                "online": offer_spec.get("online", False),
                "address": offer_spec.get("address", ""),
                "city": offer_spec.get("city", ""),
                "region": "malopolskie" if offer_spec.get("city") else "",
                "languages": offer_spec["languages"],
                "seats": offer_spec["seats"],
                "signup_until": starts - timedelta(days=2) if starts else None,
            }
            offer_save(data=offer_data, offer=known[index] if index < len(known) else None, project=project)
        projects.append(project)
    return projects
