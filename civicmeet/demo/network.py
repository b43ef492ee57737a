"""The demo's network: the invitation's organisations as published profiles, a representative each,
their activities and offers and needs (some of which fit each other), the programme with its
three projects and their offers (programmes.examples), and channels to local government with good
practice, an experience and an office waiting for review (channels.examples). Loaded by `load_demo`, through the services.

The two co-organisers are real (Fundacja Zustricz, Żydowskie Stowarzyszenie Czulent); everything
else about them here — descriptions beyond the invitation, founding years, addresses, people — is
INVENTED for the demo, as are the participants' organisations (from demo/content.py) and all of
their details. Websites and email addresses are under example.org, which is nobody's.
Safe to run again: an organisation already published (or taken back to draft by a moderator) is
left as it is, and nothing is added twice.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.db import transaction

from civicmeet.channels import examples as channel_examples
from civicmeet.channels.models import Channel
from civicmeet.organisations.communities import communities_ensure
from civicmeet.organisations.models import (
    NameKind,
    Organisation,
    OrganisationAction,
    OrganisationStatus,
    Representative,
)
from civicmeet.organisations.permissions import MODERATE
from civicmeet.organisations.services import organisation_get_or_create
from civicmeet.organisations.services_profile import organisation_profile_update, organisation_publish
from civicmeet.organisations.services_representatives import representative_invite
from civicmeet.programmes import examples as programme_examples
from civicmeet.programmes.models import Programme
from civicmeet.resources.models import Activity, Resource
from civicmeet.resources.services import activity_create, resource_create

# name, type, and the profile (organisations.services_profile.organisation_profile_update's data).
ORGANISATIONS: list[dict[str, Any]] = [
    {
        "name": "Fundacja Zustricz",
        "type": "migrant",
        "profile": {
            "short_name": "Zustricz",
            "communities": ["ukrainian"],
            "working_languages": ["uk", "pl", "en", "ru"],
            "city": "Kraków",
            "region": "malopolskie",
            "area_served": "Kraków i Małopolska",
            "description_pl": (
                "Fundacja ukraińskiej społeczności Krakowa: wspiera migrantów i migrantki w życiu w nowym mieście, "
                "prowadzi kursy języka polskiego, dyżury informacyjne i spotkania kulturalne. Współorganizatorka "
                "spotkania sieciującego organizacji mniejszości i migranckich."
            ),
            "description_uk": (
                "Фундація української громади Кракова: допомагає мігрантам і мігранткам облаштуватися в новому "
                "місті, проводить курси польської мови, інформаційні чергування та культурні зустрічі. "
                "Співорганізаторка нетворкінг-зустрічі організацій меншин і мігрантських організацій."
            ),
            "description_en": (
                "A foundation of Kraków's Ukrainian community: it helps migrants settle in a new city, runs Polish "
                "courses, information desks and cultural evenings. Co-organiser of the networking meeting of "
                "minority and migrant organisations."
            ),
            "website": "https://zustricz.example.org/",
            "contact_email": "kontakt@zustricz.example.org",
            "contact_visibility": "public",
            "founded_year": 2015,
            "names": [
                {"name": "Зустріч", "language": "uk", "kind": NameKind.TRANSLATION},
                {"name": "Zustricz Foundation", "language": "en", "kind": NameKind.TRANSLATION},
                {"name": "Fundacja „Zustricz”", "language": "", "kind": NameKind.ALTERNATE},
            ],
        },
        "representative": ("mykola.bondarenko@example.org", "Mykola Bondarenko", "uk", "Волонтер"),
    },
    {
        "name": "Żydowskie Stowarzyszenie Czulent",
        "type": "national_minority",
        "profile": {
            "short_name": "Czulent",
            "communities": ["jewish"],
            "working_languages": ["pl", "en", "he", "yi"],
            "city": "Kraków",
            "region": "malopolskie",
            "area_served": "Kraków",
            "description_pl": (
                "Stowarzyszenie młodych Żydówek i Żydów z Krakowa: edukacja o kulturze i historii żydowskiej, "
                "przeciwdziałanie antysemityzmowi i dyskryminacji, dialog między społecznościami. "
                "Współorganizator spotkania sieciującego."
            ),
            "description_uk": (
                "Товариство молодих євреїв і єврейок Кракова: освіта про єврейську культуру та історію, протидія "
                "антисемітизму й дискримінації, діалог між громадами. Співорганізатор нетворкінг-зустрічі."
            ),
            "description_en": (
                "An association of young Jewish people in Kraków: education about Jewish culture and history, "
                "countering antisemitism and discrimination, dialogue between communities. Co-organiser of the "
                "networking meeting."
            ),
            "website": "https://czulent.example.org/",
            "contact_email": "kontakt@czulent.example.org",
            "contact_visibility": "public",
            "founded_year": 2006,
            "names": [
                {"name": "Єврейське товариство «Чулент»", "language": "uk", "kind": NameKind.TRANSLATION},
                {"name": "Jewish Association Czulent", "language": "en", "kind": NameKind.TRANSLATION},
                {"name": "Czulent", "language": "", "kind": NameKind.ALTERNATE},
            ],
        },
        "representative": ("dawid.rosen@example.org", "Dawid Rosen", "pl", "Koordynator projektów"),
    },
    {
        "name": "Stowarzyszenie Ukraińska Wspólnota Małopolski",
        "type": "migrant",
        "profile": {
            "communities": ["ukrainian"],
            "working_languages": ["uk", "pl", "ru"],
            "city": "Kraków",
            "region": "malopolskie",
            "area_served": "Małopolska",
            "description_pl": "Porady prawne dla migrantów, wzory pism i pomoc w sprawach pobytowych.",
            "description_uk": "Юридичні консультації для мігрантів, зразки документів і допомога з легалізацією.",
            "description_en": "Legal advice for migrants, document templates and help with residence matters.",
            "website": "https://wspolnota-ua.example.org/",
            "contact_email": "biuro@wspolnota-ua.example.org",
            "contact_visibility": "members",
            "founded_year": 2016,
            "names": [
                {"name": "Українська громада Малопольщі", "language": "uk", "kind": NameKind.TRANSLATION},
                {"name": "Ukrainian Community of Małopolska", "language": "en", "kind": NameKind.TRANSLATION},
            ],
        },
        "representative": ("oksana.melnyk@example.org", "Oksana Melnyk", "uk", "Координаторка проєктів"),
    },
    {
        "name": "Stowarzyszenie Kultury Żydowskiej „Mezuza”",
        "type": "national_minority",
        "profile": {
            "communities": ["jewish"],
            "working_languages": ["pl", "yi", "en"],
            "city": "Kraków",
            "region": "malopolskie",
            "area_served": "Kraków i okolice",
            "description_pl": "Warsztaty o kulturze żydowskiej dla szkół, koncerty i spacery po Kazimierzu.",
            "description_uk": "Майстер-класи про єврейську культуру для шкіл, концерти й прогулянки Казімежем.",
            "description_en": "Workshops on Jewish culture for schools, concerts and walks around Kazimierz.",
            "website": "https://mezuza.example.org/",
            "contact_email": "kontakt@mezuza.example.org",
            "contact_visibility": "public",
            "founded_year": 1998,
            "names": [
                {"name": "Товариство єврейської культури «Мезуза»", "language": "uk", "kind": NameKind.TRANSLATION},
                {"name": "Mezuza Jewish Culture Association", "language": "en", "kind": NameKind.TRANSLATION},
            ],
        },
        "representative": ("miriam.landau@example.org", "Miriam Landau", "pl", "Prezeska zarządu"),
    },
    {
        "name": "Afghan Community Association Kraków",
        "type": "migrant",
        "profile": {
            "communities": ["afghan"],
            "working_languages": ["prs", "ps", "en", "pl"],
            "city": "Kraków",
            "region": "malopolskie",
            "area_served": "Kraków",
            "description_pl": "Wsparcie rodzin z Afganistanu, tłumaczenia z dari i paszto, lekcje polskiego.",
            "description_uk": "Підтримка родин з Афганістану, переклади з дарі та пушту, уроки польської.",
            "description_en": "Support for families from Afghanistan, Dari and Pashto interpreting, Polish lessons.",
            "website": "https://afghan-krakow.example.org/",
            "contact_email": "hello@afghan-krakow.example.org",
            "contact_visibility": "members",
            "founded_year": 2022,
            "names": [
                {
                    "name": "Stowarzyszenie Społeczności Afgańskiej w Krakowie",
                    "language": "pl",
                    "kind": NameKind.TRANSLATION,
                },
                {"name": "Асоціація афганської громади Кракова", "language": "uk", "kind": NameKind.TRANSLATION},
            ],
        },
        "representative": ("ahmad.karimi@example.org", "Ahmad Karimi", "en", "Volunteer coordinator"),
    },
    {
        "name": "Stowarzyszenie Romów Małopolski",
        "type": "ethnic_minority",
        "profile": {
            "communities": ["roma"],
            "working_languages": ["rom", "pl"],
            "city": "Nowy Sącz",
            "region": "malopolskie",
            "area_served": "Małopolska",
            "description_pl": "Asystentki i asystenci edukacji romskiej w szkołach, świetlica dla dzieci, pomoc rodzinom.",
            "description_uk": "Асистенти ромської освіти в школах, дитячий клуб, допомога родинам.",
            "description_en": "Roma education assistants in schools, a children's club, help for families.",
            "website": "https://romowie-malopolska.example.org/",
            "contact_email": "biuro@romowie-malopolska.example.org",
            "contact_visibility": "members",
            "founded_year": 2004,
            "names": [
                {"name": "Товариство ромів Малопольщі", "language": "uk", "kind": NameKind.TRANSLATION},
                {"name": "Roma Association of Małopolska", "language": "en", "kind": NameKind.TRANSLATION},
            ],
        },
        "representative": ("izabela.gabor@example.org", "Izabela Gabor", "pl", "Asystentka edukacji romskiej"),
    },
    {
        "name": "Łemkowskie Stowarzyszenie Kulturalne „Bereh”",
        "type": "ethnic_minority",
        "profile": {
            "communities": ["lemko"],
            "working_languages": ["rue", "pl", "uk"],
            "city": "Gorlice",
            "region": "malopolskie",
            "area_served": "Beskid Niski i Kraków",
            "description_pl": "Zespół pieśni łemkowskiej, warsztaty pisania ikon, nauka języka łemkowskiego.",
            "description_uk": "Ансамбль лемківської пісні, майстер-класи іконопису, навчання лемківської мови.",
            "description_en": "A Lemko song ensemble, icon-painting workshops, Lemko language classes.",
            "website": "https://bereh.example.org/",
            "contact_email": "bereh@bereh.example.org",
            "contact_visibility": "public",
            "founded_year": 2009,
            "names": [
                {"name": "Лемківське культурне товариство «Берег»", "language": "uk", "kind": NameKind.TRANSLATION},
                {"name": "Bereh Lemko Cultural Association", "language": "en", "kind": NameKind.TRANSLATION},
            ],
        },
        "representative": ("hanna.dudra@example.org", "Hanna Dudra", "pl", "Członkini zarządu"),
    },
    {
        "name": "Fundacja Białoruska Inicjatywa",
        "type": "migrant",
        "profile": {
            "communities": ["belarusian"],
            "working_languages": ["be", "ru", "pl", "en"],
            "city": "Kraków",
            "region": "malopolskie",
            "area_served": "cała Polska",
            "description_pl": "Pomoc Białorusinom w Polsce: porady, grupy wsparcia, wydarzenia kulturalne.",
            "description_uk": "Допомога білорусам у Польщі: консультації, групи підтримки, культурні події.",
            "description_en": "Help for Belarusians in Poland: advice, support groups, cultural events.",
            "website": "https://by-inicjatywa.example.org/",
            "contact_email": "info@by-inicjatywa.example.org",
            "contact_visibility": "members",
            "founded_year": 2020,
            "names": [
                {"name": "Фундація «Білоруська ініціатива»", "language": "uk", "kind": NameKind.TRANSLATION},
                {"name": "Belarusian Initiative Foundation", "language": "en", "kind": NameKind.TRANSLATION},
            ],
        },
        "representative": ("aliaksandra.navumenka@example.org", "Aliaksandra Navumenka", "en", "Project manager"),
    },
    {
        "name": "Stowarzyszenie Wietnamczyków Małopolski",
        "type": "migrant",
        "profile": {
            "communities": ["vietnamese"],
            "working_languages": ["vi", "pl", "en"],
            "city": "Kraków",
            "region": "malopolskie",
            "area_served": "Małopolska",
            "description_pl": "Spotkania społeczności wietnamskiej, szkoła języka wietnamskiego dla dzieci, święto Tết.",
            "description_uk": "Зустрічі в'єтнамської громади, школа в'єтнамської мови для дітей, свято Тет.",
            "description_en": "Vietnamese community gatherings, a Vietnamese school for children, the Tết festival.",
            "website": "https://vietnam-malopolska.example.org/",
            "contact_email": "lienhe@vietnam-malopolska.example.org",
            "contact_visibility": "members",
            "founded_year": 2012,
            "names": [
                {"name": "Товариство в'єтнамців Малопольщі", "language": "uk", "kind": NameKind.TRANSLATION},
                {"name": "Vietnamese Association of Małopolska", "language": "en", "kind": NameKind.TRANSLATION},
            ],
        },
        "representative": ("lan.nguyen@example.org", "Thi Lan Nguyen", "en", "Secretary"),
    },
]

# Activities, by organisation (resources.services.activity_create's data; dates relative to today
# would make the demo change from day to day, so they are open-ended or unset).
ACTIVITIES: dict[str, list[dict[str, Any]]] = {
    "Fundacja Zustricz": [
        {
            "title": "Kurs języka polskiego dla dorosłych (A1–B1)",
            "description": "Wieczorne grupy dwa razy w tygodniu, w centrum Krakowa.",
            "language": "pl",
            "languages": ["pl", "uk"],
            "looking_for_partners": False,
        },
        {
            "title": "Суботня школа для дітей",
            "description": "Заняття українською мовою для дітей 6–12 років; шукаємо партнерів з приміщенням.",
            "language": "uk",
            "languages": ["uk"],
            "looking_for_partners": True,
        },
    ],
    "Żydowskie Stowarzyszenie Czulent": [
        {
            "title": "Warsztaty antydyskryminacyjne dla szkół",
            "description": "Dwugodzinne warsztaty dla klas 7–8 i szkół średnich.",
            "language": "pl",
            "languages": ["pl", "en"],
            "looking_for_partners": True,
        }
    ],
    "Stowarzyszenie Romów Małopolski": [
        {
            "title": "Świetlica dla dzieci romskich",
            "description": "Odrabianie lekcji i zajęcia artystyczne po szkole.",
            "language": "pl",
            "languages": ["rom", "pl"],
            "looking_for_partners": False,
        }
    ],
}

# Offers and needs (resources.services.resource_create's data). The first pairs fit each other:
# a room for 40 on Saturdays (Zustricz) and a need of a room for 30 on Saturdays (Mezuza);
# Dari/Pashto interpreting (Afghan Community) and a need of an interpreter (Ukrainian Community).
RESOURCES: dict[str, list[dict[str, Any]]] = {
    "Fundacja Zustricz": [
        {
            "direction": "offer",
            "category": "room",
            "title": "Sala na 40 osób w centrum Krakowa, w soboty",
            "description": "Sala z rzutnikiem i kuchnią, blisko Rynku. Bezpłatnie dla organizacji sieci.",
            "language": "pl",
            "quantity": 40,
            "weekdays": [5],
            "languages": ["pl", "uk"],
            "city": "Kraków",
            "region": "malopolskie",
        },
        {
            "direction": "need",
            "category": "volunteers",
            "title": "Шукаємо волонтерів на фестиваль (5 осіб)",
            "description": "Допомога з реєстрацією гостей і кухнею.",
            "language": "uk",
            "quantity": 5,
            "weekdays": [6],
            "languages": ["uk", "pl"],
            "city": "Kraków",
            "region": "malopolskie",
        },
    ],
    "Stowarzyszenie Kultury Żydowskiej „Mezuza”": [
        {
            "direction": "need",
            "category": "room",
            "title": "Szukamy sali na 30 osób na warsztaty w soboty",
            "description": "Na cykl warsztatów o kulturze żydowskiej dla szkół, raz w miesiącu.",
            "language": "pl",
            "quantity": 30,
            "weekdays": [5],
            "languages": ["pl"],
            "city": "Kraków",
            "region": "malopolskie",
        }
    ],
    "Afghan Community Association Kraków": [
        {
            "direction": "offer",
            "category": "interpreting",
            "title": "Dari and Pashto interpreting at other organisations' events",
            "description": "Volunteer interpreters, up to 10 hours a month.",
            "language": "en",
            "quantity": 10,
            "any_time": True,
            "languages": ["prs", "ps", "en"],
            "online": True,
        }
    ],
    "Stowarzyszenie Ukraińska Wspólnota Małopolski": [
        {
            "direction": "need",
            "category": "interpreting",
            "title": "Потрібен перекладач дарі на 4 години",
            "description": "Для консультації родини з Афганістану в нашому офісі.",
            "language": "uk",
            "quantity": 4,
            "any_time": True,
            "languages": ["prs"],
            "online": True,
        },
        {
            "direction": "offer",
            "category": "expertise",
            "title": "Шаблони документів і юридичні консультації для організацій",
            "description": "Допоможемо з документами для легалізації перебування та статутами.",
            "language": "uk",
            "any_time": True,
            "languages": ["uk", "pl", "ru"],
            "online": True,
        },
    ],
    "Stowarzyszenie Romów Małopolski": [
        {
            "direction": "need",
            "category": "transport",
            "title": "Potrzebujemy busa dla 15 osób na wycieczkę do Krakowa",
            "description": "Wyjazd dzieci ze świetlicy do muzeum, jeden dzień.",
            "language": "pl",
            "quantity": 15,
            "weekdays": [5],
            "languages": ["pl"],
            "city": "Nowy Sącz",
            "region": "malopolskie",
        }
    ],
}


def _moderator(organiser) -> Any:
    """The demo organiser keeps the directory (organisations.moderate_network)."""
    permission = Permission.objects.get(codename=MODERATE.split(".")[1], content_type__app_label="organisations")
    organiser.user_permissions.add(permission)
    return type(organiser).objects.get(pk=organiser.pk)  # permissions are cached per instance


def _publish(organisation: Organisation, spec: dict[str, Any], actor) -> bool:
    """Fill in and publish a profile that has never been published (a moderator's later choice,
    such as taking it back to draft, is left alone)."""
    if organisation.status == OrganisationStatus.PUBLISHED:
        return False
    if organisation.log_entries.filter(action=OrganisationAction.PUBLISHED).exists():
        return False
    organisation = organisation_profile_update(organisation=organisation, actor=actor, data=spec["profile"])
    organisation_publish(organisation=organisation, actor=actor)
    return True


def _representative(organisation: Organisation, spec: dict[str, Any], actor) -> bool:
    email, name, language, role = spec["representative"]
    if Representative.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        return False
    representative_invite(organisation=organisation, email=email, name=name, language=language, actor=actor, role=role)
    return True


def load_network(*, organiser) -> dict[str, int]:
    """Load the demo network; returns how many of each thing were added (all 0 the second time)."""
    added = {"published": 0, "representatives": 0, "activities": 0, "resources": 0, "projects": 0, "channels": 0}
    with transaction.atomic():
        communities_ensure()
        moderator = _moderator(organiser)
        organisations: dict[str, Organisation] = {}
        for spec in ORGANISATIONS:
            organisation = organisation_get_or_create(name=spec["name"], type=spec["type"])
            organisations[spec["name"]] = organisation
            added["published"] += _publish(organisation, spec, moderator)
            organisation.refresh_from_db()
            added["representatives"] += _representative(organisation, spec, moderator)
        for name, activities in ACTIVITIES.items():
            known = set(Activity.objects.filter(organisation=organisations[name]).values_list("title", flat=True))
            for data in activities:
                if data["title"] not in known:
                    activity_create(organisation=organisations[name], actor=moderator, data=data)
                    added["activities"] += 1
        for name, resources in RESOURCES.items():
            known = set(Resource.objects.filter(organisation=organisations[name]).values_list("title", flat=True))
            for data in resources:
                if data["title"] not in known:
                    resource_create(organisation=organisations[name], actor=moderator, data=data)
                    added["resources"] += 1
        if not Programme.objects.filter(slug=programme_examples.PROGRAMME["slug"]).exists():
            added["projects"] = len(programme_examples.load_examples(organisations=organisations))
        # Channels to local government and good practice (published), Zustricz's experience with
        # one office, and an office its representative proposed, waiting in the moderators' queue.
        zustricz = organisations[ORGANISATIONS[0]["name"]]
        made = channel_examples.load_examples(moderator=moderator, organisation=zustricz)
        added["channels"] = made["channel"] + made["good_practice"] + made["experience"]
        if not Channel.objects.filter(name=channel_examples.WAITING["name"]).exists():
            author = Representative.objects.get(
                organisation=zustricz, user__email__iexact=ORGANISATIONS[0]["representative"][0]
            ).user
            channel_examples.load_waiting_example(author=author, organisation=zustricz)
            added["channels"] += 1
    return added
