"""The communities organisations serve: the list the directory starts with.

Moderators may add more later; `communities_ensure` puts back any of these that are missing (the
demo and the load generator call it, so they also work on a database emptied by a test flush).
"""

from __future__ import annotations

# (slug, Polish, Ukrainian, English)
COMMUNITIES = [
    ("ukrainian", "ukraińska", "українська", "Ukrainian"),
    ("belarusian", "białoruska", "білоруська", "Belarusian"),
    ("jewish", "żydowska", "єврейська", "Jewish"),
    ("roma", "romska", "ромська", "Roma"),
    ("lemko", "łemkowska", "лемківська", "Lemko"),
    ("armenian", "ormiańska", "вірменська", "Armenian"),
    ("german", "niemiecka", "німецька", "German"),
    ("lithuanian", "litewska", "литовська", "Lithuanian"),
    ("slovak", "słowacka", "словацька", "Slovak"),
    ("russian", "rosyjska", "російська", "Russian"),
    ("georgian", "gruzińska", "грузинська", "Georgian"),
    ("chechen", "czeczeńska", "чеченська", "Chechen"),
    ("vietnamese", "wietnamska", "в'єтнамська", "Vietnamese"),
    ("afghan", "afgańska", "афганська", "Afghan"),
    ("syrian", "syryjska", "сирійська", "Syrian"),
    ("african", "afrykańskie", "африканські", "African"),
    ("latin-american", "latynoamerykańskie", "латиноамериканські", "Latin American"),
    ("other", "inna", "інша", "Other"),
]


def communities_ensure() -> int:
    """Create the communities of COMMUNITIES that are missing (by slug); returns how many."""
    from .models import Community

    known = set(Community.objects.values_list("slug", flat=True))
    missing = [
        Community(slug=slug, name_pl=pl, name_uk=uk, name_en=en, order=order)
        for order, (slug, pl, uk, en) in enumerate(COMMUNITIES)
        if slug not in known
    ]
    Community.objects.bulk_create(missing)
    return len(missing)
