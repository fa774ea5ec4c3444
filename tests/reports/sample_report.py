"""Reports built by hand for the renderers' tests (charts, PDF, deck): every section and chart
kind, a long section, an empty one, a restricted item, and the same report in Russian. They
need no database, so the renderers are tested apart from the composer."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

from secretariat.reports.model import (
    Audience,
    Chart,
    Item,
    Link,
    Period,
    Report,
    Section,
    Series,
)

BASE_URL = "https://secretariat.example.org"


def membership_chart(ru: bool = False) -> Chart:
    return Chart(
        key="membership",
        title="Члены, наблюдатели и партнёры" if ru else "Members, observers and partners",
        kind="step",
        series=[
            Series("Государства-члены" if ru else "Member states",
                   [(2019, 27), (2020, 27), (2021, 27), (2022, 28), (2023, 28), (2024, 28)]),
            Series("Наблюдатели" if ru else "Observers",
                   [(2019, 8), (2020, 8), (2021, 9), (2022, 9), (2023, 10), (2024, 10)]),
            Series("Партнёры" if ru else "Partner organizations",
                   [(2019, 5), (2020, 5), (2021, 5), (2022, 6), (2023, 6), (2024, 6)]),
        ],
        x_label="Год" if ru else "Year",
        y_label="Число" if ru else "Number",
    )  # fmt: skip


def ratifications_chart(ru: bool = False) -> Chart:
    return Chart(
        key="ratifications-convention-2010",
        title="Ратификации Конвенции 2010 года" if ru else "Ratifications of the 2010 Convention",
        kind="step",
        series=[
            Series("Ратификации" if ru else "Ratifications",
                   [("2011-05-04", 1), ("2013", 3), ("2016-09", 5), ("2019-02-11", 7),
                    ("2023-03-01", 8), ("2024-01-15", 9), ("2024-06-20", 10)]),
        ],
        threshold=14,
        threshold_label=(
            "Требуется для вступления в силу" if ru else "Required for entry into force"
        ),
        y_label="Документы" if ru else "Instruments",
    )  # fmt: skip


def cbm_chart(ru: bool = False) -> Chart:
    areas = [
        ("Эпидемиологическая безопасность" if ru else "Epidemiological safety"),
        ("Новые вызовы и угрозы" if ru else "New challenges and threats"),
        ("Энергетическая безопасность" if ru else "Energy security"),
        (
            "Развитие малого и среднего бизнеса"
            if ru
            else "Development of small and medium business"
        ),
        ("Туризм" if ru else "Tourism"),
    ]
    return Chart(
        key="cbm-events",
        title="Мероприятия по МД по годам" if ru else "CBM events per priority area and year",
        kind="stacked-bar",
        series=[
            Series(area, [(2021, n % 3 + 1), (2022, n % 2 + 2), (2023, n + 1), (2024, 2)])
            for n, area in enumerate(areas)
        ],
        x_label="Год" if ru else "Year",
        y_label="Мероприятия" if ru else "Events",
    )


def meetings_chart(ru: bool = False) -> Chart:
    return Chart(
        key="meetings",
        title="Заседания по годам" if ru else "Meetings per year by body",
        kind="bar",
        series=[
            Series("Саммит" if ru else "Summit", [(2022, 1)]),
            Series("СМИД" if ru else "Ministerial Council", [(2021, 1), (2023, 1), (2024, 1)]),
            Series("КСДЛ" if ru else "Senior Officials Committee",
                   [(2020, 2), (2021, 3), (2022, 3), (2023, 3), (2024, 3)]),
        ],
        x_label="Год" if ru else "Year",
        y_label="Заседания" if ru else "Meetings",
    )  # fmt: skip


def line_chart() -> Chart:
    return Chart(
        key="think-tank",
        title="Think Tank Forum meetings held (cumulative)",
        kind="line",
        series=[Series("Meetings", [(2014, 1), (2016, 3), (2018, 5), (2020, 7), (2024, 11)])],
    )


def _link(label: str, path: str) -> Link:
    return Link(label, path)


def sample_report(*, language: str = "en", audience: Audience = Audience.INTERNAL) -> Report:
    """A chairmanship report with every section of the issue, in English or Russian."""
    ru = language == "ru"

    def t(en: str, russian: str) -> str:
        return russian if ru else en

    internal = audience == Audience.INTERNAL
    sections = [
        Section("chairs", t("The chairs", "Председатели"), items=[
            Item(t("Previous chairs: Türkiye (2010-2014), China (2014-2018), Tajikistan "
                   "(2018-2020)", "Предыдущие председатели: Турция (2010-2014), Китай "
                   "(2014-2018), Таджикистан (2018-2020)"),
                 links=[_link("Türkiye", "/actors/turkiye/"), _link("China", "/actors/china/")]),
            Item(t("Current chair: Kazakhstan (2020-2024)",
                   "Действующий председатель: Казахстан (2020-2024)"),
                 links=[_link("Kazakhstan", "/actors/kazakhstan/")]),
            Item(t("Next chair: Azerbaijan (2024-2026), taking over at the 7th Ministerial "
                   "Council meeting (Baku, 19 December 2024)",
                   "Следующий председатель: Азербайджан (2024-2026), с 7-го заседания СМИД "
                   "(Баку, 19 декабря 2024 года)"),
                 date=t("19 December 2024", "19 декабря 2024 г."),
                 links=[_link("Azerbaijan", "/actors/azerbaijan/"),
                        _link("7th Ministerial Council", "/meetings/mc-7/")]),
        ]),
        Section("meetings", t("Summits and ministerial meetings", "Саммиты и заседания СМИД"),
                items=[
            Item(t("Sixth CICA Summit (Astana)", "Шестой саммит СВМДА (Астана)"),
                 date=t("12-13 October 2022", "12-13 октября 2022 г."),
                 links=[_link("Sixth Summit", "/meetings/summit-6/")]),
            Item(t("Informal meeting of the Ministerial Council (New York)",
                   "Неформальное заседание СМИД (Нью-Йорк)"),
                 date=t("September 2023", "сентябрь 2023 г."),
                 links=[_link("Informal MC 2023", "/meetings/mc-informal-2023/")]),
        ], charts=[meetings_chart(ru)]),
        Section("transformation", t("Transformation", "Трансформация"), items=[
            Item(t("Astana Statement on CICA Transformation",
                   "Астанинское заявление о трансформации СВМДА"),
                 date=t("October 2022", "октябрь 2022 г."),
                 links=[_link("Astana Statement", "/documents/astana-statement/")]),
            Item(t("Road Map for CICA Transformation (RMT)", "Дорожная карта трансформации"),
                 date=t("September 2023", "сентябрь 2023 г."),
                 links=[_link("RMT", "/roadmap/")],
                 children=[
                     Item(t("Cluster 1: elaborating the CICA Charter (focus in 2024)",
                            "Кластер 1: разработка Устава СВМДА (приоритет 2024 года)"),
                          links=[_link("Cluster 1", "/roadmap/#cluster-1")]),
                     Item(t("Cluster 4: updating the Rules of Procedure (focus in 2024)",
                            "Кластер 4: обновление Правил процедуры (приоритет 2024 года)"),
                          links=[_link("Cluster 4", "/roadmap/#cluster-4")]),
                 ]),
        ]),
        Section("founding", t("Founding documents and anniversaries",
                              "Основополагающие документы и юбилеи"), items=[
            Item(t("Declaration on the Principles Guiding Relations between the Member States",
                   "Декларация о принципах, регулирующих отношения между государствами-членами"),
                 date="1999", links=[_link("1999 Declaration", "/documents/declaration-1999/")]),
            Item(t("Almaty Act", "Алматинский акт"), date="2002",
                 links=[_link("Almaty Act", "/documents/almaty-act/")]),
        ]),
        Section("cbm", t("Confidence-building measures", "Меры доверия"), items=[
            Item(t(f"Annual review of CBM implementation no. {n}",
                   f"Ежегодный обзор осуществления МД № {n}"),
                 date=f"{2020 + n // 4}", links=[_link(f"Review {n}", f"/cbm/reviews/{n}/")])
            for n in range(1, 12)
        ] + [Item(t("CICA Catalogue of CBMs updated: 18 priority areas",
                    "Обновлён Каталог МД СВМДА: 18 приоритетных направлений"),
                  date=t("October 2021", "октябрь 2021 г."), links=[_link("Catalogue", "/cbm/")])],
                charts=[cbm_chart(ru)]),
        Section("institutions", t("New institutions", "Новые институты"), items=[
            Item(t("Council of Eminent Persons: established, membership pending",
                   "Совет видных деятелей: учреждён, состав формируется"),
                 date=t("October 2021", "октябрь 2021 г."),
                 links=[_link("CEP", "/bodies/cep/")]),
            Item(t("Think Tank Forum: a permanent institution, 11 meetings held",
                   "Форум аналитических центров: постоянный институт, проведено 11 заседаний"),
                 links=[_link("TTF", "/bodies/ttf/")]),
        ], charts=[line_chart()]),
        Section("summit-outcomes", t("Outcomes of the summits", "Итоги саммитов"), items=[]),
        Section("initiatives", t("Priorities and initiatives", "Приоритеты и инициативы"), items=[
            # in Russian, a name the record has only in English: marked as a fallback
            Item(t("Partnership Network of Leading Universities: the SOC finalized the "
                   "Memorandum", "Partnership Network of Leading Universities: КСДЛ "
                   "согласовал Меморандум"),
                 links=[_link("Partnership Network of Leading Universities",
                              "/initiatives/pnlu/")],
                 fallbacks=["Partnership Network of Leading Universities"] if ru else [],
                 note=t("nominations of universities are expected",
                        "ожидается выдвижение университетов")),
        ] + ([Item(t("Draft amendments to the Host Country Agreement agreed",
                     "Согласован проект поправок к Соглашению о местопребывании"),
                   date=t("19 July 2024", "19 июля 2024 г."), restricted=True,
                   links=[_link("HCA amendments", "/documents/hca-amendments/")],
                   children=[Item(t("Next: signing by the Government and the Secretary "
                                    "General", "Далее: подписание Правительством и "
                                    "Генеральным секретарём"))])]
             if internal else [])),
        Section("treaties", t("Conventions and agreements", "Конвенции и соглашения"), items=[
            Item(t("2010 Convention on Privileges and Immunities: 10 member states signed and "
                   "ratified, 8 signed but not ratified, 4 ratifications required for entry "
                   "into force", "Конвенция 2010 года о привилегиях и иммунитетах: 10 "
                   "подписали и ратифицировали, 8 подписали, но не ратифицировали, для "
                   "вступления в силу нужно ещё 4 ратификации"),
                 links=[_link("Convention", "/treaties/convention-2010/")]),
        ], charts=[ratifications_chart(ru)]),
        Section("expansion", t("Expansion and external relations",
                               "Расширение и внешние связи"), items=[
            Item(t("Turkmenistan: 9th Observer", "Туркменистан: 9-й наблюдатель"), date="2021",
                 links=[_link("Turkmenistan", "/actors/turkmenistan/")]),
            Item(t("Kuwait: 28th Member State", "Кувейт: 28-е государство-член"), date="2022",
                 links=[_link("Kuwait", "/actors/kuwait/")]),
            Item(t("Saudi Arabia: 10th Observer", "Саудовская Аравия: 10-й наблюдатель"),
                 date="2023", links=[_link("Saudi Arabia", "/actors/saudi-arabia/")]),
        ], charts=[membership_chart(ru)]),
        Section("other", t("Other decisions", "Другие решения"), items=[
            Item(t("Construction of the CICA Headquarters", "Строительство штаб-квартиры СВМДА"),
                 links=[_link("Headquarters", "/documents/headquarters/")]),
        ]),
    ]  # fmt: skip
    for section in sections:
        section.empty_note = t("Nothing in this period.", "В этот период ничего не произошло.")
    return Report(
        title=t("Achievements 2020-2024", "Достижения 2020-2024"),
        organization=t("CICA", "СВМДА"),
        period=Period(
            start=dt.date(2020, 9, 1),
            end=dt.date(2024, 9, 30),
            label=t(
                "Kazakhstan's chairmanship, 2020-2024", "Председательство Казахстана, 2020-2024"
            ),
            chairmanship="kazakhstan-2020",
        ),
        audience=audience,
        language=language,
        generated_on=dt.date(2024, 9, 30),
        sections=sections,
        base_url=BASE_URL,
    )


ALL_CHARTS = (membership_chart, ratifications_chart, cbm_chart, meetings_chart, line_chart)


def need_tool(name: str, package: str) -> str:
    """The path of a command the test needs; skipped where it is missing, except under CI
    (env CI set), where .ci/run installs it and a skip would hide a missing install."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian package {package}; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path
