"""Example channels to local government in Kraków, good practice and an experience: data the demo
(and the browser tests) load through the services.

Names of the offices are real; what is said about them is written to show how the pages work and
is deliberately general (no phone numbers or hours that could go stale): a real network checks and
completes its entries. `load_examples(moderator=..., organisation=...)` writes them as published
items (idempotent: an office already there by name and department is kept as it is).
"""

from __future__ import annotations

from typing import Any

from .models import Channel, ChannelKind, GoodPractice, Helpfulness, ItemStatus, Topic

CHANNELS: list[dict[str, Any]] = [
    {
        "name": "Małopolski Urząd Wojewódzki w Krakowie",
        "department": "Wydział Spraw Cudzoziemców",
        "kind": ChannelKind.VOIVODESHIP_OFFICE,
        "city": "Kraków",
        "region": "malopolskie",
        "topics": [Topic.RESIDENCE, Topic.WORK],
        "purpose": (
            "Zezwolenia na pobyt czasowy, stały i rezydenta długoterminowego UE, karty pobytu, "
            "zezwolenia na pracę cudzoziemców oraz sprawy obywateli Ukrainy ze statusem UKR."
        ),
        "address": "ul. Przy Rondzie 6\n31-547 Kraków",
        "opening_hours": "W dni robocze; aktualne godziny obsługi są na stronie urzędu.",
        "website": "https://www.malopolska.uw.gov.pl",
        "booking": "Wizyty w sprawie złożenia wniosku i odbioru karty przez system rezerwacji na stronie urzędu.",
        "languages": ["pl", "uk", "en"],
        "interpreter_available": False,
        "language_notes": (
            "Informacje i formularze także po ukraińsku i angielsku; w okienku rozmowa zwykle po polsku, "
            "warto przyjść z osobą, która pomoże w tłumaczeniu."
        ),
        "language": "pl",
    },
    {
        "name": "Urząd Miasta Krakowa",
        "department": "Wydział Polityki Społecznej i Zdrowia",
        "kind": ChannelKind.CITY_OFFICE,
        "city": "Kraków",
        "region": "malopolskie",
        "topics": [Topic.SOCIAL, Topic.HEALTH, Topic.NGO_COOPERATION, Topic.FUNDING],
        "purpose": (
            "Miejska polityka społeczna i zdrowotna, w tym program Otwarty Kraków; konkursy ofert "
            "dla organizacji pozarządowych i współpraca z nimi."
        ),
        "address": "pl. Wszystkich Świętych 3-4\n31-004 Kraków (siedziba Urzędu; adres wydziału na krakow.pl)",
        "opening_hours": "W dni robocze; godziny pracy wydziału są na krakow.pl.",
        "website": "https://www.krakow.pl",
        "booking": "Spotkanie najlepiej umówić e-mailem lub telefonicznie przez sekretariat wydziału.",
        "languages": ["pl", "en"],
        "interpreter_available": False,
        "language_notes": "Korespondencja po polsku; po angielsku zwykle można się porozumieć.",
        "language": "pl",
    },
    {
        "name": "Miejski Ośrodek Pomocy Społecznej w Krakowie",
        "department": "",
        "kind": ChannelKind.SOCIAL_WELFARE,
        "city": "Kraków",
        "region": "malopolskie",
        "topics": [Topic.SOCIAL, Topic.HOUSING],
        "purpose": (
            "Pomoc społeczna, świadczenia i wsparcie rodzin, także cudzoziemców mieszkających w Krakowie; "
            "sprawy prowadzą filie według miejsca zamieszkania."
        ),
        "address": "ul. Józefińska 14\n30-529 Kraków (centrala; adresy filii na stronie MOPS)",
        "opening_hours": "W dni robocze; godziny filii są na stronie ośrodka.",
        "website": "https://www.mops.krakow.pl",
        "booking": "Najpierw do filii właściwej dla adresu zamieszkania.",
        "languages": ["pl"],
        "interpreter_available": True,
        "language_notes": "Przy niektórych sprawach ośrodek może zapewnić tłumacza; zapytaj przy umawianiu wizyty.",
        "language": "pl",
    },
    {
        "name": "Grodzki Urząd Pracy w Krakowie",
        "department": "",
        "kind": ChannelKind.LABOUR_OFFICE,
        "city": "Kraków",
        "region": "malopolskie",
        "topics": [Topic.WORK],
        "purpose": (
            "Rejestracja bezrobotnych i poszukujących pracy, oferty pracy, szkolenia; oświadczenia o "
            "powierzeniu pracy cudzoziemcowi i zezwolenia na pracę sezonową."
        ),
        "address": "ul. Półkole 3\n30-712 Kraków",
        "opening_hours": "W dni robocze; aktualne godziny na stronie urzędu.",
        "website": "https://krakow.praca.gov.pl",
        "booking": "Część spraw załatwisz przez praca.gov.pl bez wizyty.",
        "languages": ["pl", "uk", "en"],
        "interpreter_available": False,
        "language_notes": "Informacje dla cudzoziemców także po ukraińsku i angielsku.",
        "language": "pl",
    },
    {
        "name": "Centrum Wielokulturowe w Krakowie",
        "department": "",
        "kind": ChannelKind.OTHER,
        "city": "Kraków",
        "region": "malopolskie",
        "topics": [Topic.RESIDENCE, Topic.CULTURE, Topic.NGO_COOPERATION, Topic.OTHER],
        "purpose": (
            "Miejskie centrum dla cudzoziemców i ich sąsiadów: informacja, konsultacje, spotkania "
            "i wydarzenia międzykulturowe; dobry pierwszy adres, gdy nie wiadomo, dokąd pójść."
        ),
        "address": "Kraków (aktualny adres i dyżury na stronie Centrum)",
        "opening_hours": "Dyżury konsultantów według harmonogramu.",
        "website": "",
        "booking": "Na dyżur konsultanta można przyjść lub umówić się wcześniej.",
        "languages": ["pl", "uk", "en", "ru"],
        "interpreter_available": True,
        "language_notes": "Konsultacje w kilku językach; przy umawianiu zapytaj o swój język.",
        "language": "pl",
    },
]

GOOD_PRACTICES: list[dict[str, Any]] = [
    {
        "title": "Wspólna lista pytań przed wizytą w Wydziale Spraw Cudzoziemców",
        "text": (
            "Zanim nasi podopieczni idą złożyć wniosek o kartę pobytu, spotykamy się w organizacji "
            "i razem sprawdzamy listę dokumentów ze strony urzędu. Pytania, których nie umiemy "
            "rozstrzygnąć, zbieramy i wysyłamy e-mailem do wydziału raz w tygodniu, jednym pismem. "
            "Odpowiedzi przychodzą szybciej niż na pojedyncze pytania, a wnioski rzadziej wracają do "
            "uzupełnienia."
        ),
        "region": "malopolskie",
        "channels": ["Małopolski Urząd Wojewódzki w Krakowie"],
        "language": "pl",
    },
    {
        "title": "Спільні консультації з містом перед конкурсом грантів",
        "text": (
            "Перед оголошенням конкурсу ми разом з іншими організаціями меншин попросили Wydział "
            "Polityki Społecznej i Zdrowia про зустріч і заздалегідь надіслали питання польською. "
            "Місто пояснило критерії, а ми змогли подати спільну заявку кількох організацій."
        ),
        "region": "malopolskie",
        "channels": ["Urząd Miasta Krakowa"],
        "language": "uk",
    },
]

EXPERIENCES: list[dict[str, Any]] = [
    {
        "channel": "Małopolski Urząd Wojewódzki w Krakowie",
        "text": (
            "Pomagaliśmy kilku rodzinom umówić wizyty przez system rezerwacji; wolne terminy pojawiały "
            "się rano. Urzędniczka cierpliwie wyjaśniła braki w dokumentach."
        ),
        "helpful": Helpfulness.HELPFUL,
        "language": "pl",
    },
]


def load_examples(*, moderator, organisation=None) -> dict[str, int]:
    """Write the examples as published items through the services; the good practice and the
    experience are written for `organisation` when given. Returns how many of each were made."""
    from . import services

    made = {"channel": 0, "good_practice": 0, "experience": 0}
    by_name: dict[str, Channel] = {}
    for data in CHANNELS:
        channel = Channel.objects.filter(name=data["name"], department=data["department"]).first()
        if channel is None:
            channel = services.channel_create(actor=moderator, organisation=None, data={**data, "visibility": "public"})
            made["channel"] += 1
        if channel.status != ItemStatus.PUBLISHED:
            channel = services.item_publish(item=channel, actor=moderator)
        by_name[data["name"]] = channel
    for data in GOOD_PRACTICES:
        if GoodPractice.objects.filter(title=data["title"]).exists():
            continue
        practice = services.good_practice_create(
            actor=moderator,
            organisation=organisation,
            data={**data, "channels": [by_name[name] for name in data["channels"]], "visibility": "public"},
        )
        services.item_publish(item=practice, actor=moderator)
        made["good_practice"] += 1
    if organisation is not None:
        for data in EXPERIENCES:
            channel = by_name[data["channel"]]
            if channel.experiences.filter(organisation=organisation).exists():
                continue
            fields = {key: value for key, value in data.items() if key != "channel"}
            experience = services.experience_create(
                channel=channel,
                actor=moderator,
                organisation=organisation,
                data={**fields, "happened_on": None, "visibility": "public"},
            )
            services.item_publish(item=experience, actor=moderator)
            made["experience"] += 1
    return made


# An office proposed and waiting for a moderator (the demo's review queue has something in it).
WAITING: dict[str, Any] = {
    "name": "Komenda Miejska Policji w Krakowie",
    "department": "",
    "kind": ChannelKind.POLICE,
    "city": "Kraków",
    "region": "malopolskie",
    "topics": [Topic.SAFETY],
    "purpose": "Zgłaszanie przestępstw, w tym z nienawiści; w nagłej sytuacji dzwoń pod 112.",
    "address": "ul. Siemiradzkiego 24\n31-137 Kraków",
    "opening_hours": "Całą dobę.",
    "website": "https://krakow.policja.gov.pl",
    "booking": "Zgłoszenie na dowolnym komisariacie, bez umawiania.",
    "languages": ["pl", "en"],
    "interpreter_available": True,
    "language_notes": "Przy składaniu zawiadomienia masz prawo do tłumacza.",
    "language": "pl",
}


def load_waiting_example(*, author, organisation=None) -> Channel:
    """The WAITING office, submitted for review by `author` (kept if it is there already)."""
    from . import services

    channel = Channel.objects.filter(name=WAITING["name"]).first()
    if channel is None:
        channel = services.channel_create(
            actor=author, organisation=organisation, data={**WAITING, "visibility": "public"}, submit=True
        )
    return channel
