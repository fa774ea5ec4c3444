"""The vocabulary of the synthetic organization, in English and Russian, and its prose.

Names of places and actors are made of syllables that have a Latin and a Cyrillic
form; sentences are templates with parallel English and Russian wording, so a
document's Russian text is a translation of its English one, sentence by sentence.
Every choice is drawn from the random.Random the caller passes: nothing here is
random on its own.
"""

from __future__ import annotations

import random

# (Latin, Cyrillic) syllables that make up names of states, cities and people.
SYLLABLES = [
    ("al", "ал"), ("bar", "бар"), ("cor", "кор"), ("dan", "дан"), ("el", "эл"), ("fen", "фен"),
    ("gor", "гор"), ("hal", "хал"), ("ir", "ир"), ("jas", "яс"), ("kar", "кар"), ("lin", "лин"),
    ("mar", "мар"), ("nor", "нор"), ("os", "ос"), ("pel", "пел"), ("quin", "квин"), ("ros", "рос"),
    ("sal", "сал"), ("tor", "тор"), ("ul", "ул"), ("vel", "вел"), ("wes", "вес"), ("xan", "ксан"),
    ("yor", "йор"), ("zan", "зан"), ("bel", "бел"), ("dor", "дор"), ("mon", "мон"), ("ten", "тен"),
    ("rin", "рин"), ("sen", "сен"), ("tal", "тал"), ("var", "вар"), ("ken", "кен"), ("lor", "лор"),
]  # fmt: skip
STATE_ENDINGS = [("ia", "ия"), ("stan", "стан"), ("land", "ланд"), ("ova", "ова"), ("ar", "ар")]
CITY_ENDINGS = [("abad", "абад"), ("grad", "град"), ("pur", "пур"), ("ton", "тон"), ("ka", "ка")]
STATE_FORMS = [
    ("{}", "{}"),
    ("Republic of {}", "Республика {}"),
    ("Kingdom of {}", "Королевство {}"),
    ("Federation of {}", "Федерация {}"),
    ("State of {}", "Государство {}"),
]
GIVEN = [("Arman", "Арман"), ("Dana", "Дана"), ("Timur", "Тимур"), ("Leyla", "Лейла"),
         ("Oleg", "Олег"), ("Sara", "Сара"), ("Ravi", "Рави"), ("Mina", "Мина"),
         ("Erlan", "Ерлан"), ("Aziz", "Азиз"), ("Nadia", "Надия"), ("Kemal", "Кемаль")]  # fmt: skip

# International organizations: (adjective, field, English name form, Russian name).
ORG_ADJECTIVES = [
    ("Eurasian", "Евразийская"), ("Asian", "Азиатская"), ("Northern", "Северная"),
    ("Southern", "Южная"), ("Central", "Центральная"), ("Continental", "Континентальная"),
    ("Inter-Regional", "Межрегиональная"), ("Maritime", "Морская"),
]  # fmt: skip
ORG_FIELDS = [
    ("Economic", "экономическая"), ("Energy", "энергетическая"), ("Transport", "транспортная"),
    ("Security", "организация безопасности"), ("Health", "организация здравоохранения"),
    ("Environmental", "экологическая"), ("Trade", "торговая"), ("Parliamentary", "парламентская"),
]  # fmt: skip

# Topics: English, and Russian in the genitive case (every Russian template wants it).
TOPICS = [
    ("confidence-building measures", "мер доверия"),
    ("the fight against terrorism", "борьбы с терроризмом"),
    ("countering illicit drug trafficking", "противодействия незаконному обороту наркотиков"),
    ("economic cooperation", "экономического сотрудничества"),
    ("transport connectivity", "транспортной взаимосвязанности"),
    ("energy security", "энергетической безопасности"),
    ("food security", "продовольственной безопасности"),
    ("environmental protection", "охраны окружающей среды"),
    ("the human dimension", "человеческого измерения"),
    ("cyber security", "кибербезопасности"),
    ("the use of information technologies", "использования информационных технологий"),
    ("disaster management", "управления рисками стихийных бедствий"),
    ("tourism development", "развития туризма"),
    ("youth cooperation", "молодёжного сотрудничества"),
    ("public health", "общественного здравоохранения"),
    ("cultural exchanges", "культурных обменов"),
    ("the budget of the Secretariat", "бюджета Секретариата"),
    ("the staff regulations", "положения о персонале"),
    ("financial contributions of the Member States", "финансовых взносов государств-членов"),
    ("the rules of procedure", "правил процедуры"),
    ("the catalogue of confidence-building measures", "каталога мер доверия"),
    ("the transformation of the Organization", "трансформации Организации"),
    ("cooperation with international organizations", "сотрудничества с международными "
     "организациями"),
    ("non-proliferation of weapons of mass destruction", "нераспространения оружия массового "
     "уничтожения"),
    ("migration management", "регулирования миграции"),
    ("small and medium-sized enterprises", "малого и среднего предпринимательства"),
    ("agricultural development", "развития сельского хозяйства"),
    ("water resources management", "управления водными ресурсами"),
    ("the digital economy", "цифровой экономики"),
    ("the protection of cultural heritage", "охраны культурного наследия"),
    ("education and science", "образования и науки"),
    ("women's participation in public life", "участия женщин в общественной жизни"),
    ("maritime safety", "безопасности на море"),
    ("customs cooperation", "таможенного сотрудничества"),
    ("the fight against corruption", "борьбы с коррупцией"),
    ("the Think Tank Forum", "Форума аналитических центров"),
    ("the Council of Eminent Persons", "Совета видных деятелей"),
    ("the Fund of the Organization", "Фонда Организации"),
    ("the headquarters agreement", "соглашения о штаб-квартире"),
    ("the privileges and immunities of the Secretariat", "привилегий и иммунитетов "
     "Секретариата"),
]  # fmt: skip

# Sentence templates: {topic}, {state}, {body}, {year}, {n}. English, Russian.
SENTENCES = [
    ("The Member States reaffirmed their commitment to {topic}.",
     "Государства-члены подтвердили свою приверженность делу {topic}."),
    ("The Committee took note of the report on {topic} presented by the delegation of {state}.",
     "Комитет принял к сведению доклад по вопросам {topic}, представленный делегацией "
     "государства {state}."),
    ("The delegation of {state} proposed to hold a seminar on {topic} in {year}.",
     "Делегация государства {state} предложила провести в {year} году семинар по вопросам "
     "{topic}."),
    ("The participants stressed the importance of {topic} for the stability of the region.",
     "Участники подчеркнули важность {topic} для стабильности в регионе."),
    ("The Secretariat was requested to prepare a concept paper on {topic} within {n} months.",
     "Секретариату поручено в течение {n} месяцев подготовить концептуальный документ по "
     "вопросам {topic}."),
    ("The {body} welcomed the progress achieved in the implementation of the plan of action "
     "on {topic}.",
     "{body} приветствовал прогресс, достигнутый в реализации плана действий в области "
     "{topic}."),
    ("Several delegations expressed their readiness to act as coordinators in the area of "
     "{topic}.",
     "Ряд делегаций выразили готовность выступить координаторами в области {topic}."),
    ("The delegation of {state} informed the meeting of national measures taken in the field "
     "of {topic}.",
     "Делегация государства {state} проинформировала участников о национальных мерах, "
     "принятых в области {topic}."),
    ("It was agreed to continue consultations on {topic} at the next meeting.",
     "Было решено продолжить консультации по вопросам {topic} на следующем заседании."),
    ("The Member States noted with appreciation the contribution of {state} to {topic}.",
     "Государства-члены с признательностью отметили вклад государства {state} в дело {topic}."),
    ("The {body} decided to establish an expert group on {topic} consisting of {n} members.",
     "{body} постановил учредить группу экспертов по вопросам {topic} в составе {n} членов."),
    ("The draft document on {topic} was circulated to the Member States for comments.",
     "Проект документа по вопросам {topic} был направлен государствам-членам для замечаний."),
    ("No objections were raised, and the text on {topic} was agreed by consensus.",
     "Возражений не поступило, и текст по вопросам {topic} был согласован консенсусом."),
    ("The delegation of {state} made a statement on {topic} and asked that it be reflected in "
     "the record.",
     "Делегация государства {state} выступила с заявлением по вопросам {topic} и просила "
     "отразить его в протоколе."),
    ("The Executive Director reported on the financial situation and on {topic}.",
     "Исполнительный директор доложил о финансовом положении и о ходе {topic}."),
    ("The meeting recalled the decisions adopted in {year} concerning {topic}.",
     "Участники напомнили о решениях по вопросам {topic}, принятых в {year} году."),
    ("The Member States agreed to review the implementation of measures on {topic} every {n} "
     "years.",
     "Государства-члены договорились рассматривать осуществление мер в области {topic} каждые "
     "{n} года."),
    ("The {body} expressed its gratitude to {state} for hosting the meeting.",
     "{body} выразил благодарность государству {state} за проведение заседания."),
    ("Delegations exchanged views on the prospects of {topic} in the coming years.",
     "Делегации обменялись мнениями о перспективах {topic} в предстоящие годы."),
    ("The proposal of {state} on {topic} will be considered by the Special Working Group.",
     "Предложение государства {state} по вопросам {topic} будет рассмотрено Специальной "
     "рабочей группой."),
]  # fmt: skip

PARAGRAPH_OPENERS = [
    ("Recalling the founding documents of the Organization,",
     "Ссылаясь на учредительные документы Организации,"),
    ("Guided by the principles of sovereign equality and mutual respect,",
     "Руководствуясь принципами суверенного равенства и взаимного уважения,"),
    ("Noting the results of the previous meetings,",
     "Отмечая итоги предыдущих заседаний,"),
    ("Recognizing the need for closer cooperation,",
     "Признавая необходимость более тесного сотрудничества,"),
]  # fmt: skip


def pick(rng: random.Random, items: list):
    return items[rng.randrange(len(items))]


def name_pair(rng: random.Random, parts: int, endings: list) -> tuple[str, str]:
    """A made-up name, in Latin and Cyrillic letters."""
    chosen = [pick(rng, SYLLABLES) for _ in range(parts)] + [pick(rng, endings)]
    en = "".join(p[0] for p in chosen).capitalize()
    ru = "".join(p[1] for p in chosen).capitalize()
    return en, ru


class Prose:
    """Sentences and texts for documents: a pool of filled-in sentence pairs, drawn from
    at random, with each document's own header and preamble."""

    def __init__(self, rng: random.Random, *, states: list[tuple[str, str]], size: int = 4000):
        self.rng = rng
        bodies = [
            ("Committee", "Комитет"),
            ("Council", "Совет"),
            ("Working Group", "Рабочая группа"),
        ]
        pool = []
        for _ in range(size):
            en, ru = pick(rng, SENTENCES)
            topic = pick(rng, TOPICS)
            state = pick(rng, states)
            body = pick(rng, bodies)
            year, n = rng.randrange(1966, 2026), rng.randrange(2, 13)
            pool.append(
                (
                    en.format(topic=topic[0], state=state[0], body=body[0], year=year, n=n),
                    ru.format(topic=topic[1], state=state[1], body=body[1], year=year, n=n),
                )
            )
        self.pool = pool

    def paragraphs(self, count: int, *, first: int = 1) -> list[tuple[str, str]]:
        """`count` numbered paragraphs (from `first`) of two to four sentences:
        (English, Russian) pairs."""
        rng, pool, out = self.rng, self.pool, []
        for number in range(first, first + count):
            chosen = [pool[rng.randrange(len(pool))] for _ in range(rng.randrange(2, 5))]
            if rng.random() < 0.15:
                opener = pick(rng, PARAGRAPH_OPENERS)
                chosen.insert(0, opener)
            out.append(
                (
                    f"{number}. " + " ".join(s[0] for s in chosen),
                    f"{number}. " + " ".join(s[1] for s in chosen),
                )
            )
        return out
