"""The demo's last week and day: a desk login, the answers to "Are you still coming?", and an
earlier meeting of the same network that has taken place (its check-ins, so that its report and
counters have figures).

All INVENTED for the demo, like the participants in content.py: the earlier meeting, its date,
its people and when each of them came in. Names are written in their own scripts (Ukrainian
Cyrillic, Polish with its diacritics, Hebrew) so that the badges and the lists show every script.
"""

from __future__ import annotations

from typing import Any

# The desk: a team member who can only check people in (accounts.TeamRole.DESK), on both meetings.
DESK_EMAIL = "desk@civicmeet.local"
DESK_PASSWORD = "civicmeet-desk"  # noqa: S105 - the published demo login, printed by `make run`

# "Are you still coming?" is asked this many days before the meeting. The demo meeting is about
# three weeks ahead, so the question has gone out when the demo loads; these are the answers
# (by email; everyone else accepted has not answered yet). "no" cancels the registration.
RECONFIRM_DAYS_BEFORE = 28
RECONFIRM_ANSWERS = {
    "oksana.melnyk@example.org": "yes",
    "olena.kovalenko@example.org": "yes",
    "yael.rosenberg@example.org": "yes",
    "andrii.shevchuk@example.org": "no",
}
# The seat freed by that "no" is offered, on the organiser's click, to the first on the waiting list.
OFFER_TO = "ahmad.karimi@example.org"
OFFER_HOURS = 48

# -- The earlier meeting -------------------------------------------------------------------------

PAST_SLUG = "spotkanie-otwierajace-siec-krakow"
PAST_CAPACITY = 12
PAST_WEEKS_AGO = 10  # a Friday about ten weeks before the day the demo is loaded

PAST_TITLE = {
    "pl": "Spotkanie otwierające sieć organizacji mniejszości i migranckich",
    "uk": "Установча зустріч мережі організацій меншин і мігрантських організацій",
    "en": "Opening meeting of the network of minority and migrant organisations",
}
PAST_DESCRIPTION = {
    "pl": (
        "Pierwsze spotkanie organizacji mniejszości narodowych i etnicznych oraz migranckich z Krakowa i "
        "Małopolski w ramach programu „Aktywni Obywatele – Fundusz krajowy”: poznaliśmy się, opowiedzieliśmy "
        "o swoich działaniach i ustaliliśmy tematy kolejnego spotkania."
    ),
    "uk": (
        "Перша зустріч організацій національних та етнічних меншин і мігрантських організацій Кракова та "
        "Малопольщі в межах програми «Активні громадяни – Національний фонд»: ми познайомилися, розповіли про "
        "свою діяльність і домовилися про теми наступної зустрічі."
    ),
    "en": (
        "The first meeting of national and ethnic minority and migrant organisations from Kraków and "
        "Małopolska within the “Active Citizens – National Fund” programme: we met, told each other about our "
        "work and agreed on the topics of the next meeting."
    ),
}
PAST_VENUE = {"pl": "Kraków", "uk": "Краків", "en": "Kraków"}

# Who registered for the earlier meeting (all accepted: there were seats) and, in `came`, when each
# one was checked in at the desk (local time; `by`: the desk or the organiser; `how`: the ticket's
# QR code or a name search). Without `came`: registered, accepted, did not come.
PAST_REGISTRATIONS: list[dict[str, Any]] = [
    {
        "first_name": "Oksana",
        "last_name": "Melnyk",
        "email": "oksana.melnyk@example.org",
        "language": "uk",
        "organisation_name": "Stowarzyszenie Ukraińska Wspólnota Małopolski",
        "organisation_type": "migrant",
        "organisation_role": "Координаторка проєктів",
        "answers": {"lunch": True},
        "came": {"at": "09:38", "by": "desk", "how": "qr"},
    },
    {
        "first_name": "Тарас",
        "last_name": "Гнатюк",
        "email": "taras.hnatiuk@example.org",
        "language": "uk",
        "organisation_name": "Fundacja Zustricz",
        "organisation_type": "migrant",
        "organisation_role": "Юрист",
        "answers": {"lunch": True},
        "came": {"at": "09:41", "by": "desk", "how": "qr"},
    },
    {
        "first_name": "Miriam",
        "last_name": "Landau",
        "email": "miriam.landau@example.org",
        "language": "pl",
        "organisation_name": "Stowarzyszenie Kultury Żydowskiej „Mezuza”",
        "organisation_type": "national_minority",
        "organisation_role": "Prezeska zarządu",
        "dietary": "kosher",
        "answers": {"lunch": True},
        "came": {"at": "09:44", "by": "organiser", "how": "qr"},
    },
    {
        "first_name": "אסתר",
        "last_name": "גולדברג",
        "email": "ester.goldberg@example.org",
        "language": "en",
        "organisation_name": "Żydowskie Stowarzyszenie Czulent",
        "organisation_type": "national_minority",
        "organisation_role": "Educator",
        "dietary": "kosher",
        "answers": {"lunch": True},
        "came": {"at": "09:52", "by": "desk", "how": "name"},
    },
    {
        "first_name": "Ahmad",
        "last_name": "Karimi",
        "email": "ahmad.karimi@example.org",
        "language": "en",
        "organisation_name": "Afghan Community Association Kraków",
        "organisation_type": "migrant",
        "organisation_role": "Volunteer coordinator",
        "dietary": "halal",
        "answers": {"lunch": True},
        "came": {"at": "09:58", "by": "desk", "how": "qr"},
    },
    {
        "first_name": "Zofia",
        "last_name": "Łęcka",
        "email": "zofia.lecka@example.org",
        "language": "pl",
        "organisation_name": "Łemkowskie Stowarzyszenie Kulturalne „Bereh”",
        "organisation_type": "ethnic_minority",
        "organisation_role": "Skarbniczka",
        "accessibility_needs": "Poruszam się na wózku – proszę o salę bez progów.",
        "answers": {"lunch": False},
        "came": {"at": "10:03", "by": "desk", "how": "qr"},
    },
    {
        "first_name": "Thi Lan",
        "last_name": "Nguyen",
        "email": "lan.nguyen@example.org",
        "language": "en",
        "organisation_name": "Stowarzyszenie Wietnamczyków Małopolski",
        "organisation_type": "migrant",
        "organisation_role": "Secretary",
        "dietary": "other",
        "dietary_details": "No peanuts (allergy).",
        "interpreting_needs": "I follow Polish slowly; short English summaries of the discussions would help.",
        "answers": {"lunch": True},
        "came": {"at": "10:12", "by": "organiser", "how": "qr"},
    },
    {
        "first_name": "Izabela",
        "last_name": "Gabor",
        "email": "izabela.gabor@example.org",
        "language": "pl",
        "organisation_name": "Stowarzyszenie Romów Małopolski",
        "organisation_type": "ethnic_minority",
        "organisation_role": "Asystentka edukacji romskiej",
        "dietary": "vegetarian",
        "answers": {"lunch": True},
        "came": {"at": "10:26", "by": "desk", "how": "qr"},
    },
    {
        "first_name": "Aliaksandra",
        "last_name": "Navumenka",
        "email": "aliaksandra.navumenka@example.org",
        "language": "en",
        "organisation_name": "Fundacja Białoruska Inicjatywa",
        "organisation_type": "migrant",
        "organisation_role": "Project manager",
        "dietary": "vegan",
        "answers": {"lunch": True},
    },
    {
        "first_name": "Дмитро",
        "last_name": "Кравець",
        "email": "dmytro.kravets@example.org",
        "language": "uk",
        "organisation_name": "Fundacja Zustricz",
        "organisation_type": "migrant",
        "organisation_role": "Волонтер",
        "answers": {"lunch": True},
    },
]

# Someone who came without registering and was registered, accepted and checked in at the desk.
PAST_WALK_IN: dict[str, Any] = {
    "first_name": "Farida",
    "last_name": "Rahimi",
    "email": "farida.rahimi@example.org",
    "language": "en",
    "organisation_name": "Afghan Community Association Kraków",
    "organisation_type": "migrant",
    "organisation_role": "Volunteer",
    "answers": {"lunch": True},
    "came": {"at": "10:34", "by": "desk", "how": "walk_in"},
}
