"""Where a new case goes, and why. Routing is data: units, categories with their
procedures, keyword rules and ward names, all loaded from the organisation file.

Order of the rules:
1. a complaint about officials' conduct (a conduct keyword in the text, or a
   confidential category handled by the conduct unit) goes to the Home Affairs
   office, confidentially, never to the unit concerned;
2. a legal kind with a unit of its own (complaints, denunciations) goes there;
3. the chosen category goes to its unit, or to the ward's People's Committee
   when the category is decided at ward level and the ward is known: chosen in
   the form, or else named in the text ("phường 7", "P.7", "xã Long Sơn");
4. with no category (or the catch-all "other" one), the text picks one: the
   most specific keyword rule or procedure name found in it (the longest,
   unless the data gives a rule its own priority), then as in 3;
5. otherwise the city office's triage queue.

Text is matched folded (no accents, đ as d, lower case) and on whole words;
a keyword rule marked `accents: true` in the data is matched with its accents
instead, for the few words whose folded form is a common word ("cống", a drain,
folds onto "công"). The phrases and ward names are compiled once per snapshot
of the organisation data (services/orgdata: kept per process until its stamp
changes), so a decision reads nothing from the database.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from ...domain import states
from ...domain.text import fold
from ...models import Category, LegalKind, Unit
from ...models.org import WARD_KINDS
from .. import orgdata

_WORD = re.compile(r"\w+")
_NOTE = re.compile(r"\([^)]*\)")          # a note in brackets in a procedure's name


def words(text: str) -> tuple[str, ...]:
    """The folded words of `text`: what phrases are matched on."""
    return tuple(_WORD.findall(fold(text)))


def accented_words(text: str) -> tuple[str, ...]:
    """The lower-case words of `text` with their accents: what the few rules
    whose folded form is also a common word ("cống" and "công") match."""
    return tuple(_WORD.findall(unicodedata.normalize("NFC", text or "").lower()))


@dataclass(frozen=True)
class Phrase:
    """A keyword rule or a procedure name, as folded words, and its category."""

    words: tuple[str, ...]
    category: str                 # category code
    priority: int                 # how much it says: its length, unless the data says
    conduct: bool = False
    source: str = "keyword"       # keyword | procedure
    accented: bool = False        # matched with its accents, not folded

    @property
    def text(self) -> str:
        return " ".join(self.words)


def procedure_phrases(name: str, verbs: list[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """How a procedure's name may appear in a text: without its notes in brackets,
    and also without the leading words that only say what is done ("Cấp",
    "Đăng ký"…), as long as what is left has two words at least."""
    forms = [words(_NOTE.sub(" ", name))]
    while (verb := next((v for v in verbs if forms[-1][:len(v)] == v), None)) is not None:
        forms.append(forms[-1][len(verb):])
    return set(forms) if len(forms[-1]) >= 2 else set()


def _ward_pattern(names: list[str], prefix: str) -> str:
    """'Phường 7' is written "phường 7", "phuong 07", "P.7", "p7"; a name without
    the ward's kind word ("Thắng Tam") must be written as it is."""
    alternatives = []
    for name in names:
        parts = words(name)
        if parts and parts[0] == prefix:
            proper = [r"0*" + w if w.isdigit() else re.escape(w) for w in parts[1:]]
            head = rf"(?:{re.escape(prefix)}|{re.escape(prefix[0])})\s*\.?\s*"
        else:
            proper, head = [re.escape(w) for w in parts], ""
        if proper:
            alternatives.append(head + r"\s+".join(proper))
    return "|".join(alternatives)


@dataclass(frozen=True)
class Text:
    """A case's text, folded once, and its words folded and with their accents."""

    folded: str
    words: tuple[str, ...]
    accented: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> "Text":
        folded = fold(text)
        return cls(folded, tuple(_WORD.findall(folded)), accented_words(text))


Index = dict[str, dict[int, dict[tuple[str, ...], Phrase]]]    # first word -> length -> words


@dataclass
class Rules:
    """The routing data of one snapshot of the organisation data, ready to match."""

    other_category: str | None = None
    phrases: Index = field(default_factory=dict)         # matched folded
    accented: Index = field(default_factory=dict)        # matched with their accents
    ward_codes: list[str] = field(default_factory=list)
    ward_pattern: re.Pattern | None = None               # group w<i> names ward_codes[i]

    def add(self, phrase: Phrase) -> None:
        """Index `phrase`; of two rules with the same words the stronger stays."""
        index = self.accented if phrase.accented else self.phrases
        table = index.setdefault(phrase.words[0], {}).setdefault(len(phrase.words), {})
        held = table.get(phrase.words)
        if held is None or (phrase.priority, phrase.source == "keyword") > (
                held.priority, held.source == "keyword"):
            table[phrase.words] = phrase

    def find(self, text: Text) -> tuple[Phrase | None, Phrase | None]:
        """The best conduct phrase and the best ordinary phrase in `text`: the
        highest priority (the most specific); on a tie, the first in the text."""
        best: dict[bool, tuple[int, int, Phrase]] = {}
        for tokens, index in ((text.words, self.phrases), (text.accented, self.accented)):
            for i, token in enumerate(tokens):
                for length, table in index.get(token, {}).items():
                    phrase = table.get(tokens[i:i + length])
                    if phrase is None:
                        continue
                    held = best.get(phrase.conduct)
                    if held is None or (phrase.priority, -i) > held[:2]:
                        best[phrase.conduct] = (phrase.priority, -i, phrase)
        return tuple(best[flag][2] if flag in best else None for flag in (True, False))

    def ward_in(self, text: Text) -> str | None:
        """The code of the one ward named in `text`; None if none or several."""
        if self.ward_pattern is None:
            return None
        named = {self.ward_codes[int(m.lastgroup[1:])] for m in self.ward_pattern.finditer(text.folded)}
        return named.pop() if len(named) == 1 else None


def _build(org: orgdata.Snapshot) -> Rules:
    config = org.settings.get(orgdata.ROUTING_KEY) or {}
    rules = Rules(config.get("other_category"))
    category_code = {c.id: c.code for c in org.categories.values()}
    for rule in org.keyword_rules:
        accented = rule.keyword != fold(rule.keyword)    # stored with accents: match them
        tokens = accented_words(rule.keyword) if accented else words(rule.keyword)
        if tokens:
            rules.add(Phrase(tokens, category_code[rule.category_id], rule.priority, rule.conduct,
                             accented=accented))
    verbs = sorted((words(v) for v in config.get("procedure_verbs") or []), key=len, reverse=True)
    owners: dict[tuple[str, ...], set[str]] = {}
    for procedure in org.procedures.values():
        if procedure.active and procedure.category.active:
            for phrase in procedure_phrases(procedure.name_vi, verbs):
                owners.setdefault(phrase, set()).add(procedure.category.code)
    for phrase, categories in owners.items():
        if len(categories) == 1:          # a name shared by two fields decides nothing
            rules.add(Phrase(phrase, categories.pop(), len(" ".join(phrase)), source="procedure"))
    _add_wards(rules, org, config.get("ward_aliases") or {})
    return rules


def _add_wards(rules: Rules, org: orgdata.Snapshot, aliases: dict[str, list[str]]) -> None:
    groups = []
    wards = sorted((u for u in org.units.values() if u.kind in WARD_KINDS), key=lambda u: u.sort)
    for unit in wards:
        names = [unit.name_vi, *aliases.get(unit.code, [])]
        groups.append(f"(?P<w{len(groups)}>{_ward_pattern(names, words(unit.name_vi)[0])})")
        rules.ward_codes.append(unit.code)
    if groups:
        rules.ward_pattern = re.compile(rf"(?<!\w)(?:{'|'.join(groups)})(?!\w)")


def rules() -> Rules:
    """The compiled rules of the organisation data as it stands."""
    return orgdata.current().derived("routing", _build)


@dataclass(frozen=True)
class Decision:
    unit: Unit
    state: str
    reason: str                  # conduct | kind | ward | category | keyword | triage
    confidential: bool
    category: Category | None
    keyword: str | None = None   # the phrase (keyword rule or procedure name) that decided
    ward: Unit | None = None     # the ward chosen, or named in the text


def _role_unit(flag: str) -> Unit:
    return orgdata.current().unit_where(flag)


def _category(code: str | None) -> Category | None:
    return orgdata.current().categories.get(code) if code else None


def _unit(code: str | None) -> Unit | None:
    return orgdata.current().units.get(code) if code else None


def _is_conduct_category(category: Category | None) -> bool:
    return bool(category and category.confidential and category.default_unit.handles_conduct)


def _by_category(category: Category, ward: Unit | None, today: date) -> tuple[Unit, str]:
    if category.ward_first and ward is not None and ward.active_on(today):
        return ward, "ward"
    return category.default_unit, "category"


def decide(
    kind: LegalKind, category: Category | None, ward: Unit | None, text: str, today: date
) -> Decision:
    compiled, seen = rules(), Text.of(text)
    conduct, phrase = compiled.find(seen)
    if conduct or _is_conduct_category(category):
        return Decision(
            _role_unit("handles_conduct"), states.ASSIGNED, "conduct", True,
            category or _category(conduct.category),
            conduct.text if conduct else None, ward,
        )
    confidential = kind.confidential or bool(category and category.confidential)
    if kind.default_unit is not None and kind.default_unit.active_on(today):
        return Decision(kind.default_unit, states.ASSIGNED, "kind", confidential, category,
                        ward=ward)
    unclassified = category is None or category.code == compiled.other_category
    keyword = None
    if unclassified and phrase is not None and (found := _category(phrase.category)):
        category, keyword, unclassified = found, phrase.text, False
        confidential = confidential or category.confidential
    if not unclassified:
        if ward is None and category.ward_first:
            ward = _unit(compiled.ward_in(seen))
        unit, reason = _by_category(category, ward, today)
        if unit.active_on(today):
            return Decision(unit, states.ASSIGNED, "keyword" if keyword else reason,
                            confidential, category, keyword, ward)
    return Decision(_role_unit("is_triage"), states.TRIAGE, "triage", confidential, category,
                    ward=ward)
