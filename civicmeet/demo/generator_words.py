"""The words `generate_network` builds an invented directory from, in Polish, Ukrainian and English.

Every organisation it makes is invented: names are combinations of a legal form, a community
adjective, a name in quotes and a place, so none is meant to be a real organisation (the websites
and addresses are under example.org, which can never be anyone's).
"""

from __future__ import annotations

from typing import NamedTuple

M, F, N = "m", "f", "n"  # grammatical gender of a legal form, for the adjective that goes with it


class Form(NamedTuple):
    pl: str
    pl_gender: str
    uk: str
    uk_gender: str
    en: str


# Legal (or usual) forms of Polish civil-society organisations.
FORMS: tuple[Form, ...] = (
    Form("Fundacja", F, "Фундація", F, "Foundation"),
    Form("Stowarzyszenie", N, "Товариство", N, "Association"),
    Form("Towarzystwo", N, "Спілка", F, "Society"),
    Form("Związek", M, "Союз", M, "Union"),
    Form("Centrum", N, "Центр", M, "Centre"),
    Form("Rada", F, "Рада", F, "Council"),
    Form("Dom", M, "Дім", M, "House"),
    Form("Klub", M, "Клуб", M, "Club"),
    Form("Forum", N, "Форум", M, "Forum"),
    Form("Koło", N, "Гурток", M, "Circle"),
)


class CommunityWords(NamedTuple):
    slug: str  # organisations.Community.slug (seeded by organisations 0004)
    pl_stem: str  # adjective stem: "ukraińsk" + i/a/ie, "wielokulturow" + y/a/e
    uk_stem: str  # "українськ" + ий/а/е
    en: str
    pl_for: str  # "na rzecz …" (genitive)
    uk_for: str  # "для …" (genitive)
    en_for: str
    # (organisation type, weight)
    types: tuple[tuple[str, int], ...]
    languages: tuple[str, ...]  # ISO 639 codes, the community's own first
    weight: int  # how common such organisations are in the generated directory


_NM, _EM, _MI, _OT = "national_minority", "ethnic_minority", "migrant", "other"

COMMUNITIES: tuple[CommunityWords, ...] = (
    CommunityWords(
        "ukrainian",
        "ukraińsk",
        "українськ",
        "Ukrainian",
        "społeczności ukraińskiej",
        "української громади",
        "the Ukrainian community",
        ((_NM, 3), (_MI, 7)),
        ("uk", "pl", "ru", "en"),
        30,
    ),
    CommunityWords(
        "belarusian",
        "białorusk",
        "білоруськ",
        "Belarusian",
        "społeczności białoruskiej",
        "білоруської громади",
        "the Belarusian community",
        ((_NM, 3), (_MI, 7)),
        ("be", "pl", "ru"),
        8,
    ),
    CommunityWords(
        "jewish",
        "żydowsk",
        "єврейськ",
        "Jewish",
        "społeczności żydowskiej",
        "єврейської громади",
        "the Jewish community",
        ((_NM, 1),),
        ("pl", "yi", "he", "en"),
        6,
    ),
    CommunityWords(
        "roma",
        "romsk",
        "ромськ",
        "Roma",
        "społeczności romskiej",
        "ромської громади",
        "the Roma community",
        ((_EM, 1),),
        ("rom", "pl"),
        6,
    ),
    CommunityWords(
        "lemko",
        "łemkowsk",
        "лемківськ",
        "Lemko",
        "społeczności łemkowskiej",
        "лемківської громади",
        "the Lemko community",
        ((_EM, 1),),
        ("rue", "pl", "uk"),
        3,
    ),
    CommunityWords(
        "armenian",
        "ormiańsk",
        "вірменськ",
        "Armenian",
        "społeczności ormiańskiej",
        "вірменської громади",
        "the Armenian community",
        ((_NM, 1), (_MI, 1)),
        ("hy", "pl", "ru"),
        3,
    ),
    CommunityWords(
        "german",
        "niemieck",
        "німецьк",
        "German",
        "mniejszości niemieckiej",
        "німецької меншини",
        "the German minority",
        ((_NM, 1),),
        ("de", "pl"),
        4,
    ),
    CommunityWords(
        "lithuanian",
        "litewsk",
        "литовськ",
        "Lithuanian",
        "mniejszości litewskiej",
        "литовської меншини",
        "the Lithuanian minority",
        ((_NM, 1),),
        ("lt", "pl"),
        2,
    ),
    CommunityWords(
        "slovak",
        "słowack",
        "словацьк",
        "Slovak",
        "mniejszości słowackiej",
        "словацької меншини",
        "the Slovak minority",
        ((_NM, 1),),
        ("sk", "pl"),
        2,
    ),
    CommunityWords(
        "russian",
        "rosyjskojęzyczn",
        "російськомовн",
        "Russian-speaking",
        "osób rosyjskojęzycznych",
        "російськомовних людей",
        "Russian speakers",
        ((_NM, 1), (_MI, 3)),
        ("ru", "pl"),
        3,
    ),
    CommunityWords(
        "georgian",
        "gruzińsk",
        "грузинськ",
        "Georgian",
        "społeczności gruzińskiej",
        "грузинської громади",
        "the Georgian community",
        ((_MI, 1),),
        ("ka", "pl", "ru"),
        3,
    ),
    CommunityWords(
        "chechen",
        "czeczeńsk",
        "чеченськ",
        "Chechen",
        "społeczności czeczeńskiej",
        "чеченської громади",
        "the Chechen community",
        ((_MI, 1),),
        ("ce", "ru", "pl"),
        2,
    ),
    CommunityWords(
        "vietnamese",
        "wietnamsk",
        "в'єтнамськ",
        "Vietnamese",
        "społeczności wietnamskiej",
        "в'єтнамської громади",
        "the Vietnamese community",
        ((_MI, 1),),
        ("vi", "pl"),
        4,
    ),
    CommunityWords(
        "afghan",
        "afgańsk",
        "афганськ",
        "Afghan",
        "społeczności afgańskiej",
        "афганської громади",
        "the Afghan community",
        ((_MI, 1),),
        ("prs", "ps", "pl", "en"),
        3,
    ),
    CommunityWords(
        "syrian",
        "syryjsk",
        "сирійськ",
        "Syrian",
        "społeczności syryjskiej",
        "сирійської громади",
        "the Syrian community",
        ((_MI, 1),),
        ("ar", "pl", "en"),
        2,
    ),
    CommunityWords(
        "african",
        "afrykańsk",
        "африканськ",
        "African",
        "osób z Afryki",
        "людей з Африки",
        "people from Africa",
        ((_MI, 1),),
        ("en", "fr", "pl"),
        3,
    ),
    CommunityWords(
        "latin-american",
        "latynoamerykańsk",
        "латиноамериканськ",
        "Latin American",
        "osób z Ameryki Łacińskiej",
        "людей з Латинської Америки",
        "people from Latin America",
        ((_MI, 1),),
        ("es", "pt", "pl"),
        2,
    ),
    CommunityWords(
        "other",
        "wielokulturow",
        "багатокультурн",
        "Multicultural",
        "osób z doświadczeniem migracji",
        "людей з досвідом міграції",
        "people with a migration background",
        ((_OT, 2), (_MI, 1)),
        ("pl", "en", "uk"),
        6,
    ),
)


def pl_adjective(stem: str, gender: str) -> str:
    """'ukraińsk' → ukraiński / ukraińska / ukraińskie; 'wielokulturow' → wielokulturowy / -a / -e."""
    soft = stem.endswith("k")
    return stem + {M: "i" if soft else "y", F: "a", N: "ie" if soft else "e"}[gender]


def uk_adjective(stem: str, gender: str) -> str:
    return stem + {M: "ий", F: "а", N: "е"}[gender]


class Word(NamedTuple):
    """The name in quotes: „Most” / «Міст» / “Bridge”."""

    pl: str
    uk: str
    en: str


WORDS: tuple[Word, ...] = (
    Word("Most", "Міст", "Bridge"),
    Word("Razem", "Разом", "Together"),
    Word("Nadzieja", "Надія", "Hope"),
    Word("Dialog", "Діалог", "Dialogue"),
    Word("Przystań", "Пристань", "Haven"),
    Word("Korzenie", "Коріння", "Roots"),
    Word("Horyzont", "Горизонт", "Horizon"),
    Word("Sąsiedzi", "Сусіди", "Neighbours"),
    Word("Światło", "Світло", "Light"),
    Word("Źródło", "Джерело", "Wellspring"),
    Word("Mozaika", "Мозаїка", "Mosaic"),
    Word("Wspólny Dom", "Спільний дім", "Common Home"),
    Word("Otwarte Drzwi", "Відчинені двері", "Open Door"),
    Word("Słonecznik", "Соняшник", "Sunflower"),
    Word("Kalina", "Калина", "Guelder Rose"),
    Word("Tęcza", "Веселка", "Rainbow"),
    Word("Kompas", "Компас", "Compass"),
    Word("Wsparcie", "Підтримка", "Support"),
    Word("Przyszłość", "Майбутнє", "Future"),
    Word("Pamięć", "Пам'ять", "Memory"),
    Word("Kwiat Paproci", "Цвіт папороті", "Fern Flower"),
    Word("Dobry Start", "Добрий старт", "Good Start"),
    Word("Krok", "Крок", "Step"),
    Word("Wiatrak", "Вітряк", "Windmill"),
    Word("Gniazdo", "Гніздо", "Nest"),
    Word("Sztafeta", "Естафета", "Relay"),
    Word("Brzeg", "Берег", "Shore"),
    Word("Skrzydła", "Крила", "Wings"),
    Word("Dobre Sąsiedztwo", "Добросусідство", "Good Neighbourhood"),
    Word("Wspólnota", "Спільнота", "Fellowship"),
)


class Place(NamedTuple):
    city: str  # as stored (Polish)
    pl_in: str  # "w Krakowie"
    uk_in: str  # "у Кракові"
    en: str
    region: str  # organisations.Region
    weight: int


PLACES: tuple[Place, ...] = (
    Place("Kraków", "w Krakowie", "у Кракові", "Kraków", "malopolskie", 30),
    Place("Tarnów", "w Tarnowie", "у Тарнові", "Tarnów", "malopolskie", 5),
    Place("Nowy Sącz", "w Nowym Sączu", "у Новому Сончі", "Nowy Sącz", "malopolskie", 4),
    Place("Gorlice", "w Gorlicach", "у Горлицях", "Gorlice", "malopolskie", 2),
    Place("Oświęcim", "w Oświęcimiu", "в Освенцимі", "Oświęcim", "malopolskie", 2),
    Place("Wieliczka", "w Wieliczce", "у Величці", "Wieliczka", "malopolskie", 2),
    Place("Zakopane", "w Zakopanem", "у Закопаному", "Zakopane", "malopolskie", 2),
    Place("Warszawa", "w Warszawie", "у Варшаві", "Warsaw", "mazowieckie", 10),
    Place("Wrocław", "we Wrocławiu", "у Вроцлаві", "Wrocław", "dolnoslaskie", 6),
    Place("Lublin", "w Lublinie", "у Любліні", "Lublin", "lubelskie", 5),
    Place("Białystok", "w Białymstoku", "у Білостоці", "Białystok", "podlaskie", 4),
    Place("Sejny", "w Sejnach", "у Сейнах", "Sejny", "podlaskie", 1),
    Place("Przemyśl", "w Przemyślu", "у Перемишлі", "Przemyśl", "podkarpackie", 3),
    Place("Rzeszów", "w Rzeszowie", "у Жешуві", "Rzeszów", "podkarpackie", 3),
    Place("Katowice", "w Katowicach", "у Катовицях", "Katowice", "slaskie", 5),
    Place("Łódź", "w Łodzi", "у Лодзі", "Łódź", "lodzkie", 4),
    Place("Poznań", "w Poznaniu", "у Познані", "Poznań", "wielkopolskie", 4),
    Place("Gdańsk", "w Gdańsku", "у Гданську", "Gdańsk", "pomorskie", 4),
    Place("Opole", "w Opolu", "в Ополі", "Opole", "opolskie", 3),
    Place("Olsztyn", "w Olsztynie", "в Ольштині", "Olsztyn", "warminsko-mazurskie", 2),
    Place("Szczecin", "w Szczecinie", "у Щецині", "Szczecin", "zachodniopomorskie", 2),
    Place("Kielce", "w Kielcach", "у Кельцях", "Kielce", "swietokrzyskie", 2),
    Place("Toruń", "w Toruniu", "у Торуні", "Toruń", "kujawsko-pomorskie", 2),
    Place("Zielona Góra", "w Zielonej Górze", "у Зеленій Гурі", "Zielona Góra", "lubuskie", 1),
)

AREAS_SERVED = (
    ("{city} i okolice", 5),
    ("Małopolska", 3),
    ("cała Polska", 2),
    ("{city}", 4),
    ("województwo {region}", 2),
)


class Phrase(NamedTuple):
    pl: str
    uk: str
    en: str


# What organisations do, as objects of "Prowadzimy …" / "Пропонуємо …" / "We offer …".
ACTIVITIES: tuple[Phrase, ...] = (
    Phrase("lekcje języka polskiego", "уроки польської мови", "Polish language lessons"),
    Phrase("bezpłatne porady prawne", "безкоштовні юридичні консультації", "free legal advice"),
    Phrase("zajęcia dla dzieci i młodzieży", "заняття для дітей і молоді", "activities for children and young people"),
    Phrase("pomoc w sprawach pobytowych", "допомогу в питаннях легалізації перебування", "help with residence permits"),
    Phrase("warsztaty kulturalne", "культурні майстер-класи", "cultural workshops"),
    Phrase("spotkania integracyjne", "інтеграційні зустрічі", "community get-togethers"),
    Phrase("wsparcie psychologiczne", "психологічну підтримку", "psychological support"),
    Phrase("doradztwo zawodowe", "профорієнтаційні консультації", "career advice"),
    Phrase("festiwale i koncerty", "фестивалі та концерти", "festivals and concerts"),
    Phrase("tłumaczenia dokumentów", "переклад документів", "translation of documents"),
    Phrase(
        "naukę języka ojczystego dla dzieci", "навчання рідної мови для дітей", "heritage-language classes for children"
    ),
    Phrase("edukację o historii społeczności", "освіту про історію громади", "education about the community's history"),
    Phrase("pomoc w szukaniu mieszkania", "допомогу в пошуку житла", "help with finding housing"),
    Phrase("dyżury asystentów międzykulturowych", "чергування міжкультурних асистентів", "intercultural assistants"),
)

# Titles of activities (in the language the organisation writes in).
ACTIVITY_TITLES: tuple[Phrase, ...] = (
    Phrase("Kurs języka polskiego A2", "Курс польської мови A2", "Polish course, level A2"),
    Phrase("Sobotnia szkoła dla dzieci", "Суботня школа для дітей", "Saturday school for children"),
    Phrase("Dyżur prawny dla migrantów", "Юридичне чергування для мігрантів", "Legal advice desk for migrants"),
    Phrase("Festiwal kultury", "Фестиваль культури", "Culture festival"),
    Phrase("Klub seniora", "Клуб для людей старшого віку", "Seniors' club"),
    Phrase("Warsztaty kulinarne", "Кулінарні майстер-класи", "Cooking workshops"),
    Phrase("Grupa wsparcia dla matek", "Група підтримки для матерів", "Support group for mothers"),
    Phrase("Spacery po wielokulturowym mieście", "Прогулянки багатокультурним містом", "Walks in a multicultural city"),
    Phrase("Kino z dyskusją", "Кіно з обговоренням", "Film and discussion evenings"),
    Phrase("Szkolenie dla wolontariuszy", "Навчання для волонтерів", "Training for volunteers"),
    Phrase("Lekcje historii w szkołach", "Уроки історії у школах", "History lessons in schools"),
    Phrase("Chór i zespół taneczny", "Хор і танцювальний ансамбль", "Choir and dance group"),
)

WEEKDAYS_IN = {
    "pl": ("w poniedziałki", "we wtorki", "w środy", "w czwartki", "w piątki", "w soboty", "w niedziele"),
    "uk": ("по понеділках", "по вівторках", "по середах", "по четвергах", "по п'ятницях", "по суботах", "по неділях"),
    "en": ("on Mondays", "on Tuesdays", "on Wednesdays", "on Thursdays", "on Fridays", "on Saturdays", "on Sundays"),
}


def pl_people(n: int) -> str:
    """'na 22 osoby', 'na 25 osób' (accusative after 'na')."""
    if n == 1:
        return "1 osobę"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return f"{n} osoby"
    return f"{n} osób"


def uk_people(n: int) -> str:
    """'на 21 особу', 'на 22 особи', 'на 25 осіб'."""
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} особу"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return f"{n} особи"
    return f"{n} осіб"


def pl_count(n: int, one: str, few: str, many: str) -> str:
    if n == 1:
        return f"1 {one}"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return f"{n} {few}"
    return f"{n} {many}"


def uk_count(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} {one}"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return f"{n} {few}"
    return f"{n} {many}"


def en_count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# Per category of resource: (quantity range or None, offer title, need title) per language, as
# functions of the quantity. Categories: resources.models.Category.
def resource_titles(category: str, direction: str, quantity: int | None, language: str) -> str:
    q = quantity or 0
    offer = direction == "offer"
    if category == "room":
        return {
            "pl": f"Sala na {pl_people(q)}" if offer else f"Szukamy sali na {pl_people(q)}",
            "uk": f"Зала на {uk_people(q)}" if offer else f"Шукаємо залу на {uk_people(q)}",
            "en": f"A room for {q} people" if offer else f"We need a room for {q} people",
        }[language]
    if category == "equipment":
        return {
            "pl": f"Rzutnik i nagłośnienie ({pl_count(q, 'zestaw', 'zestawy', 'zestawów')})"
            if offer
            else f"Potrzebujemy sprzętu: {pl_count(q, 'laptop', 'laptopy', 'laptopów')}",
            "uk": f"Проєктор і звукова апаратура ({uk_count(q, 'комплект', 'комплекти', 'комплектів')})"
            if offer
            else f"Потрібна техніка: {uk_count(q, 'ноутбук', 'ноутбуки', 'ноутбуків')}",
            "en": f"Projector and sound system ({en_count(q, 'set', 'sets')})"
            if offer
            else f"We need equipment: {en_count(q, 'laptop', 'laptops')}",
        }[language]
    if category == "interpreting":
        return {
            "pl": f"Tłumaczenia ustne, do {pl_count(q, 'godziny', 'godzin', 'godzin')} w miesiącu"
            if offer
            else f"Potrzebujemy tłumacza na {pl_count(q, 'godzinę', 'godziny', 'godzin')}",
            "uk": f"Усний переклад, до {uk_count(q, 'години', 'годин', 'годин')} на місяць"
            if offer
            else f"Потрібен перекладач на {uk_count(q, 'годину', 'години', 'годин')}",
            "en": f"Interpreting, up to {en_count(q, 'hour', 'hours')} a month"
            if offer
            else f"We need an interpreter for {en_count(q, 'hour', 'hours')}",
        }[language]
    if category == "expertise":
        return {
            "pl": "Konsultacje prawne dla organizacji" if offer else "Szukamy porady prawnej w sprawie statutu",
            "uk": "Юридичні консультації для організацій" if offer else "Шукаємо юридичної поради щодо статуту",
            "en": "Legal advice for organisations" if offer else "We need legal advice on our statute",
        }[language]
    if category == "volunteers":
        return {
            "pl": f"Wolontariusze do pomocy przy wydarzeniach ({q})"
            if offer
            else f"Szukamy wolontariuszy: {pl_count(q, 'osoba', 'osoby', 'osób')}",
            "uk": f"Волонтери для допомоги на заходах ({q})"
            if offer
            else f"Шукаємо волонтерів: {uk_count(q, 'особа', 'особи', 'осіб')}",
            "en": f"Volunteers to help at events ({q})"
            if offer
            else f"We need {en_count(q, 'volunteer', 'volunteers')}",
        }[language]
    if category == "transport":
        return {
            "pl": f"Bus na {pl_people(q)}"
            if offer
            else f"Potrzebujemy transportu dla {pl_count(q, 'osoby', 'osób', 'osób')}",
            "uk": f"Бус на {uk_people(q)}"
            if offer
            else f"Потрібен транспорт для {uk_count(q, 'особи', 'осіб', 'осіб')}",
            "en": f"A minibus for {q} people" if offer else f"We need transport for {q} people",
        }[language]
    if category == "materials":
        return {
            "pl": f"Materiały edukacyjne ({pl_count(q, 'egzemplarz', 'egzemplarze', 'egzemplarzy')})"
            if offer
            else f"Potrzebujemy materiałów: {pl_count(q, 'egzemplarz', 'egzemplarze', 'egzemplarzy')}",
            "uk": f"Навчальні матеріали ({uk_count(q, 'примірник', 'примірники', 'примірників')})"
            if offer
            else f"Потрібні матеріали: {uk_count(q, 'примірник', 'примірники', 'примірників')}",
            "en": f"Teaching materials ({en_count(q, 'copy', 'copies')})"
            if offer
            else f"We need materials: {en_count(q, 'copy', 'copies')}",
        }[language]
    if category == "funding":
        return {
            "pl": "Partnerstwo w projekcie grantowym" if offer else "Szukamy partnera do wniosku grantowego",
            "uk": "Партнерство в грантовому проєкті" if offer else "Шукаємо партнера для грантової заявки",
            "en": "Partnership in a grant project" if offer else "We are looking for a partner for a grant application",
        }[language]
    return {
        "pl": "Pomoc przy organizacji wydarzeń" if offer else "Szukamy pomocy przy organizacji wydarzenia",
        "uk": "Допомога в організації заходів" if offer else "Шукаємо допомоги в організації заходу",
        "en": "Help with organising events" if offer else "We need help organising an event",
    }[language]


# (min, max) of the quantity per category; None: no quantity.
QUANTITIES: dict[str, tuple[int, int] | None] = {
    "room": (10, 120),
    "equipment": (1, 12),
    "interpreting": (2, 40),
    "expertise": None,
    "volunteers": (1, 15),
    "transport": (4, 50),
    "materials": (20, 500),
    "funding": None,
    "other": None,
}

# Categories that can be given online or anywhere.
ONLINE_CATEGORIES = frozenset({"interpreting", "expertise", "funding", "materials"})

RESOURCE_DESCRIPTIONS = {
    "pl": "Piszcie do nas przez katalog. Dostępne {when}. Język: {languages}.",
    "uk": "Пишіть нам через каталог. Доступно {when}. Мова: {languages}.",
    "en": "Write to us through the directory. Available {when}. Language: {languages}.",
}
ANY_TIME = {"pl": "w dowolnym terminie", "uk": "у будь-який час", "en": "any time"}
