"""The demo meeting's content: the real invitation (Polish original, English translation) and a
Ukrainian translation, its custom questions, and a handful of realistic registrations.

Copied here from the seed so that `load_demo` needs nothing outside the repository at run time.
The people and their organisations (apart from the two co-organisers) are invented.
"""

from __future__ import annotations

from typing import Any

BRING_TEST = "bring_test"

SLUG = "spotkanie-sieciujace-krakow"
CAPACITY = 40
SEATS_PER_ORGANISATION = 2
TIMEZONE = "Europe/Warsaw"

ORGANISER_EMAIL = "organiser@civicmeet.local"
ORGANISER_PASSWORD = "civicmeet-demo"  # noqa: S105 - the published demo login, printed by `make run`

# The co-organisers, by organisation type. Jews are one of Poland's statutory national minorities.
CO_ORGANISERS = [
    ("Fundacja Zustricz", "migrant"),
    ("Żydowskie Stowarzyszenie Czulent", "national_minority"),
]

# How participants reach the organisers (event page, emails' signature and Reply-To). Example
# addresses only: the demo sends nothing anywhere real.
CONTACT = {
    "contact_email": "spotkanie@zustricz.example.org",
    "contact_phone": "+48 12 422 33 44",
    "contact_languages": ["pl", "uk", "en"],
}

TITLE = {
    "pl": "Spotkanie sieciujące organizacji mniejszości oraz migranckich",
    "uk": "Нетворкінг-зустріч організацій меншин і мігрантських організацій",
    "en": "Networking meeting of minority and migrant organisations",
}

DESCRIPTION = {
    "pl": (
        "Fundacja Zustricz i Żydowskie Stowarzyszenie Czulent zapraszają do udziału w spotkaniu sieciującym "
        "realizowanym w ramach projektu „Aktywni Obywatele – Fundusz krajowy”.\n\n"
        "Zapraszamy przedstawicieli i przedstawicielki organizacji mniejszości narodowych i etnicznych oraz "
        "migranckich. Naszym celem jest stworzenie wspólnej przestrzeni do nawiązania współpracy i wzajemnej "
        "wymiany doświadczeń, zwiększenie partycypacji mniejszości w procesach decyzyjnych, wzajemnego wsparcia "
        "w rozwoju naszych organizacji i społeczności.\n\n"
        "Nasza współpraca może być fundamentem przyszłych sojuszy i koalicji, które z naszego doświadczenia "
        "stanowią kluczowy element podnoszenia efektywności działań na rzecz mniejszości narodowych i etnicznych, "
        "mniejszości szeroko rozumianych jako zarówno ustawowych, jak i nowo przybyłych.\n\n"
        "W ramach spotkania odbędzie się lunch roboczy, w którym uczestniczyć będzie przedstawiciel Urzędu Miasta "
        "i/lub organizacji międzynarodowych."
    ),
    "uk": (
        "Фундація «Зустріч» (Fundacja Zustricz) і Єврейське товариство «Чулент» (Żydowskie Stowarzyszenie Czulent) "
        "запрошують на нетворкінг-зустріч, що відбувається в межах проєкту «Активні громадяни – Національний фонд» "
        "(Aktywni Obywatele – Fundusz krajowy).\n\n"
        "Запрошуємо представників і представниць організацій національних та етнічних меншин, а також "
        "мігрантських організацій. Наша мета — створити спільний простір для налагодження співпраці й обміну "
        "досвідом, посилити участь меншин у процесах ухвалення рішень і підтримувати одне одного в розвитку наших "
        "організацій та спільнот.\n\n"
        "Наша співпраця може стати підґрунтям майбутніх союзів і коаліцій, які, як показує наш досвід, є ключем до "
        "ефективнішої роботи на користь національних та етнічних меншин — меншин у широкому розумінні: як "
        "визнаних законом, так і новоприбулих.\n\n"
        "Під час зустрічі відбудеться робочий обід, у якому візьме участь представник міської адміністрації "
        "та/або міжнародних організацій."
    ),
    "en": (
        "The Zustricz Foundation and the Jewish Association Czulent invite you to a networking meeting held within "
        "the project “Active Citizens – National Fund” (Aktywni Obywatele – Fundusz krajowy).\n\n"
        "We invite representatives of organisations of national and ethnic minorities and of migrant "
        "organisations. Our aim is to create a shared space for starting cooperation and exchanging experience, "
        "increasing the participation of minorities in decision-making, and supporting one another in developing "
        "our organisations and communities.\n\n"
        "Our cooperation can be the foundation of future alliances and coalitions which, in our experience, are a "
        "key element in making action for national and ethnic minorities more effective — minorities understood "
        "broadly, both the statutory ones and the newly arrived.\n\n"
        "The meeting includes a working lunch attended by a representative of the City Office and/or of "
        "international organisations."
    ),
}

# One topic per line (Event.agenda). The fourth topic names the three projects offering training.
AGENDA = {
    "pl": "\n".join(
        [
            "Poznanie organizacji mniejszościowych działających w Krakowie i regionie",
            "Wymiana informacji na temat bieżących i planowanych działań organizacji mniejszościowych oraz zasobów "
            "możliwych do wspólnego wykorzystania w ramach współpracy",
            "Kanały komunikacji z urzędnikami, z naciskiem na dobre praktyki komunikacji z samorządem lokalnym",
            "Planowane działania w ramach programu „Aktywni Obywatele – Fundusz krajowy”: możliwości czynnego udziału "
            "w planowanych działaniach oraz wykorzystania proponowanego wsparcia szkoleniowego w ramach projektów "
            "realizowanych przez krakowskie organizacje mniejszościowe: „IDZ – Informuj, Działaj, Zrozum. Własnym "
            "głosem”; „KOMM – koalicja organizacji mniejszości narodowych i etnicznych i migrantów”; „Strategie "
            "współpracy i włączania osób narażonych na dyskryminację i wykluczenie”",
        ]
    ),
    "uk": "\n".join(
        [
            "Знайомство з організаціями меншин, що діють у Кракові та регіоні",
            "Обмін інформацією про поточну й заплановану діяльність організацій меншин, а також про ресурси, які "
            "можна спільно використовувати в межах співпраці",
            "Канали комунікації з посадовцями, з акцентом на добрі практики спілкування з місцевим самоврядуванням",
            "Заплановані заходи в межах програми «Активні громадяни – Національний фонд»: можливості активно "
            "долучитися до запланованих заходів і скористатися навчальною підтримкою, яку пропонують проєкти "
            "краківських організацій меншин: «IDZ – Інформуй, Дій, Зрозумій. Власним голосом»; «KOMM – коаліція "
            "організацій національних і етнічних меншин та мігрантів»; «Стратегії співпраці та залучення людей, "
            "які зазнають дискримінації та виключення»",
        ]
    ),
    "en": "\n".join(
        [
            "Getting to know the minority organisations active in Kraków and the region",
            "Exchanging information about current and planned activities of minority organisations, and about "
            "resources that could be used jointly within the cooperation",
            "Communication channels with officials, with an emphasis on good practice in communicating with local "
            "government",
            "Planned activities within the “Active Citizens – National Fund” programme: opportunities to take an "
            "active part in the planned activities and to use the training support offered within projects run by "
            "Kraków minority organisations: “IDZ – Inform, Act, Understand. In your own voice”; “KOMM – coalition "
            "of organisations of national and ethnic minorities and migrants”; “Strategies for cooperation and "
            "inclusion of people exposed to discrimination and exclusion”",
        ]
    ),
}

VENUE = {"pl": "Kraków", "uk": "Краків", "en": "Kraków"}

# Free of charge, materials and catering are the event's own yes/no fields; this is the rest.
CONDITIONS = {
    "pl": (
        "UWAGA! Wypełnienie formularza nie jest równoznaczne z zakwalifikowaniem się do udziału w Spotkaniu. "
        "Udział wymaga potwierdzenia przez organizatorów."
    ),
    "uk": "УВАГА! Заповнення форми ще не означає, що вас прийнято до участі у зустрічі. Участь має підтвердити "
    "організаторська команда.",
    "en": (
        "NOTE! Filling in the form does not mean that you qualify for the meeting. Participation requires "
        "confirmation by the organisers."
    ),
}

# The invitation's safety rule, as the rule the event checks (not as text): vaccinated at least
# 14 days after the full cycle; recovered within 6 months of the first positive test; a negative PCR
# or rapid antigen test within 48 hours. The event page, the form and the emails write its text
# from these numbers in the reader's language (events.safety_text).
SAFETY_POLICY: dict[str, Any] = {
    "vaccinated_after_days": 14,
    "recovered_within_months": 6,
    "tested_within_hours": 48,
    "test_kinds": ["antigen", "pcr"],
}

# "Notes on safety": what the rule's own text does not say. Never the rule itself (see the field's help).
SAFETY_NOTES = {
    "pl": (
        "Zabierz ze sobą dokument potwierdzający to, co zaznaczysz w formularzu (unijny certyfikat COVID "
        "albo wynik testu): sprawdzimy go przy wejściu."
    ),
    "uk": (
        "Візьміть із собою документ, що підтверджує те, що ви зазначите у формі (COVID-сертифікат ЄС "
        "або результат тесту): ми перевіримо його при вході."
    ),
    "en": (
        "Bring the document that confirms what you declare in the form (an EU Digital COVID Certificate "
        "or a test result): we check it at the entrance."
    ),
}

PROCESSING_PURPOSE = {
    "pl": (
        "Administratorami danych osobowych podanych w formularzu są wspólnie (współadministratorzy) Fundacja "
        "Zustricz i Żydowskie Stowarzyszenie Czulent. Przetwarzamy je w celu organizacji spotkania sieciującego: "
        "rozpatrzenia zgłoszenia, kontaktu w sprawie udziału, zapewnienia cateringu i potrzebnych udogodnień oraz "
        "rozliczenia projektu realizowanego w ramach programu „Aktywni Obywatele – Fundusz krajowy”."
    ),
    "uk": (
        "Персональні дані, зазначені у формі, обробляють спільні контролери — Фундація «Зустріч» (Fundacja "
        "Zustricz) і Єврейське товариство «Чулент» (Żydowskie Stowarzyszenie Czulent) — з метою організації "
        "нетворкінг-зустрічі: щоб розглянути вашу заявку, зв'язатися з вами щодо участі, забезпечити харчування "
        "та потрібні вам умови, а також прозвітувати за проєкт у межах програми «Активні громадяни – "
        "Національний фонд»."
    ),
    "en": (
        "The personal data you give in this form are processed by two joint controllers, Fundacja Zustricz (the "
        "Zustricz Foundation) and Żydowskie Stowarzyszenie Czulent (the Jewish Association Czulent), in order to "
        "organise the networking meeting: to consider your registration, contact you about your participation, "
        "arrange catering and any support you need, and account for the project to the “Active Citizens – "
        "National Fund” programme."
    ),
}

QUESTIONS = [
    {
        "key": "topic",
        "kind": "single_choice",
        "required": False,
        "label": {
            "pl": "Który temat spotkania najbardziej Cię interesuje?",
            "uk": "Яка тема зустрічі цікавить вас найбільше?",
            "en": "Which topic of the meeting interests you most?",
        },
        "options": [
            {
                "key": "organisations",
                "label": {
                    "pl": "Poznanie organizacji mniejszościowych z Krakowa i regionu",
                    "uk": "Знайомство з організаціями меншин Кракова та регіону",
                    "en": "Getting to know minority organisations in Kraków and the region",
                },
            },
            {
                "key": "activities",
                "label": {
                    "pl": "Bieżące i planowane działania, wspólne zasoby",
                    "uk": "Поточна й запланована діяльність, спільні ресурси",
                    "en": "Current and planned activities, shared resources",
                },
            },
            {
                "key": "officials",
                "label": {
                    "pl": "Komunikacja z urzędnikami i samorządem lokalnym",
                    "uk": "Комунікація з посадовцями та місцевим самоврядуванням",
                    "en": "Communicating with officials and local government",
                },
            },
            {
                "key": "programme",
                "label": {
                    "pl": "Program „Aktywni Obywatele – Fundusz krajowy”: działania i szkolenia",
                    "uk": "Програма «Активні громадяни – Національний фонд»: заходи та навчання",
                    "en": "The “Active Citizens – National Fund” programme: activities and training",
                },
            },
        ],
    },
    {
        "key": "lunch",
        "kind": "yes_no",
        "required": True,
        # The catering page counts the meals and diets of those who answer yes.
        "counts_for_catering": True,
        "label": {
            "pl": "Czy weźmiesz udział w lunchu roboczym?",
            "uk": "Чи будете ви на робочому обіді?",
            "en": "Will you attend the working lunch?",
        },
    },
    {
        "key": "share",
        "kind": "long_text",
        "required": False,
        "label": {
            "pl": "Czym chcesz podzielić się z innymi organizacjami?",
            "uk": "Чим ви хотіли б поділитися з іншими організаціями?",
            "en": "What would you like to share with other organisations?",
        },
    },
]

# Registrations, in the order they arrive. `decision` (with `message`) is what the demo organiser
# decided; the others wait for a decision, so the dashboard has work to show.
# Each person's registration as the form would send it, with the organisers' decision on it.
# `safety` is the declaration for the safety rule: the basis and how many days before registering
# the vaccination cycle was completed or the first positive test came back, or BRING_TEST ("I will
# take a test shortly before the meeting": nothing about health is stored). Everyone with a
# declaration agrees to its processing, as the form requires.
REGISTRATIONS: list[dict[str, Any]] = [
    {
        "first_name": "Oksana",
        "last_name": "Melnyk",
        "email": "oksana.melnyk@example.org",
        "safety": {"basis": "vaccinated", "days_ago": 160},
        "phone": "+48 600 123 456",
        "language": "uk",
        "organisation_name": "Stowarzyszenie Ukraińska Wspólnota Małopolski",
        "organisation_type": "migrant",
        "organisation_role": "Координаторка проєктів",
        "dietary": "none",
        "answers": {
            "topic": "officials",
            "lunch": True,
            "share": "Маємо досвід юридичних консультацій для мігрантів і можемо поділитися шаблонами документів.",
        },
        "consent_listing": True,
        "decision": "accept",
        "message": "",
    },
    {
        "first_name": "Miriam",
        "last_name": "Landau",
        "email": "miriam.landau@example.org",
        "safety": {"basis": "vaccinated", "days_ago": 300},
        "language": "pl",
        "organisation_name": "Stowarzyszenie Kultury Żydowskiej „Mezuza”",
        "organisation_type": "national_minority",
        "organisation_role": "Prezeska zarządu",
        "dietary": "kosher",
        "answers": {
            "topic": "programme",
            "lunch": True,
            "share": "Prowadzimy warsztaty o kulturze żydowskiej dla szkół i chętnie zaprosimy do nich inne "
            "organizacje.",
        },
        "consent_listing": True,
        "decision": "accept",
        "message": "Do zobaczenia w Krakowie!",
    },
    {
        "first_name": "Ahmad",
        "last_name": "Karimi",
        "email": "ahmad.karimi@example.org",
        "safety": {"basis": "recovered", "days_ago": 75},
        "phone": "+48 512 345 678",
        "language": "en",
        "organisation_name": "Afghan Community Association Kraków",
        "organisation_type": "migrant",
        "organisation_role": "Volunteer coordinator",
        "dietary": "halal",
        "answers": {
            "topic": "activities",
            "lunch": True,
            "share": "We can offer Dari and Pashto interpreting at other organisations' events.",
        },
        "decision": "waitlist",
        "message": "We are confirming the size of the room and will let you know by the end of the week.",
    },
    {
        "first_name": "Izabela",
        "last_name": "Gabor",
        "email": "izabela.gabor@example.org",
        "safety": BRING_TEST,
        "language": "pl",
        "organisation_name": "Stowarzyszenie Romów Małopolski",
        "organisation_type": "ethnic_minority",
        "organisation_role": "Asystentka edukacji romskiej",
        "dietary": "vegetarian",
        "answers": {
            "topic": "officials",
            "lunch": True,
            "share": "Doświadczenie asystentek i asystentów edukacji romskiej w krakowskich szkołach.",
        },
    },
    {
        "first_name": "Hanna",
        "last_name": "Dudra",
        "email": "hanna.dudra@example.org",
        "safety": {"basis": "vaccinated", "days_ago": 40},
        "language": "pl",
        "organisation_name": "Łemkowskie Stowarzyszenie Kulturalne „Bereh”",
        "organisation_type": "ethnic_minority",
        "organisation_role": "Członkini zarządu",
        "dietary": "none",
        "accessibility_needs": "Poruszam się o kulach – proszę o miejsce blisko wejścia.",
        "answers": {"topic": "organisations", "lunch": False},
    },
    {
        "first_name": "Aliaksandra",
        "last_name": "Navumenka",
        "email": "aliaksandra.navumenka@example.org",
        # Her first positive test is more than 6 months before the meeting: she does not meet the rule.
        "safety": {"basis": "recovered", "days_ago": 170},
        "language": "en",
        "organisation_name": "Fundacja Białoruska Inicjatywa",
        "organisation_type": "migrant",
        "organisation_role": "Project manager",
        "dietary": "vegan",
        "answers": {"topic": "programme", "lunch": True},
    },
    {
        "first_name": "Thi Lan",
        "last_name": "Nguyen",
        "email": "lan.nguyen@example.org",
        "safety": BRING_TEST,
        "language": "en",
        "organisation_name": "Stowarzyszenie Wietnamczyków Małopolski",
        "organisation_type": "migrant",
        "organisation_role": "Secretary",
        "dietary": "other",
        "dietary_details": "No peanuts (allergy).",
        "interpreting_needs": "I follow Polish slowly; short English summaries of the discussions would help.",
        "answers": {"topic": "organisations", "lunch": True},
    },
    {
        "first_name": "Mykola",
        "last_name": "Bondarenko",
        "email": "mykola.bondarenko@example.org",
        "safety": {"basis": "vaccinated", "days_ago": 9},
        "language": "uk",
        "organisation_name": "Fundacja Zustricz",
        "organisation_type": "migrant",
        "organisation_role": "Волонтер",
        "dietary": "none",
        "answers": {
            "topic": "activities",
            "lunch": True,
            "share": "Можемо запропонувати приміщення для зустрічей у центрі Кракова.",
        },
    },
    # Accepted, with names in their own scripts (Cyrillic, Polish diacritics, Hebrew) for the
    # badges; their answers to "Are you still coming?" are in content_day.RECONFIRM_ANSWERS.
    {
        "first_name": "Олена",
        "last_name": "Коваленко",
        "email": "olena.kovalenko@example.org",
        "safety": {"basis": "vaccinated", "days_ago": 120},
        "language": "uk",
        "organisation_name": "Stowarzyszenie Ukraińska Wspólnota Małopolski",
        "organisation_type": "migrant",
        "organisation_role": "Психологиня",
        "dietary": "none",
        "answers": {"topic": "activities", "lunch": True},
        "consent_listing": True,
        "decision": "accept",
    },
    {
        "first_name": "Małgorzata",
        "last_name": "Żółkowska",
        "email": "malgorzata.zolkowska@example.org",
        "safety": {"basis": "vaccinated", "days_ago": 210},
        "language": "pl",
        "organisation_name": "Łemkowskie Stowarzyszenie Kulturalne „Bereh”",
        "organisation_type": "ethnic_minority",
        "organisation_role": "Sekretarz zarządu",
        "dietary": "vegetarian",
        "answers": {"topic": "officials", "lunch": True},
        "decision": "accept",
    },
    {
        "first_name": "יעל",
        "last_name": "רוזנברג",
        "email": "yael.rosenberg@example.org",
        "safety": {"basis": "vaccinated", "days_ago": 60},
        "language": "en",
        "organisation_name": "Żydowskie Stowarzyszenie Czulent",
        "organisation_type": "national_minority",
        "organisation_role": "Programme coordinator",
        "dietary": "kosher",
        "answers": {"topic": "programme", "lunch": True},
        "consent_listing": True,
        "decision": "accept",
    },
    {
        "first_name": "Андрій",
        "last_name": "Шевчук",
        "email": "andrii.shevchuk@example.org",
        "safety": {"basis": "recovered", "days_ago": 30},
        "language": "uk",
        "organisation_name": "Fundacja Zustricz",
        "organisation_type": "migrant",
        "organisation_role": "Фотограф",
        "dietary": "none",
        "answers": {"topic": "organisations", "lunch": True},
        "decision": "accept",
    },
]
