"""Search of published results: accents optional, đ folded, words in any order,
the same on SQLite and PostgreSQL."""
import pytest
from sqlalchemy import select, text

from feedback.extensions import db
from feedback.models import PublicRecord
from feedback.services.public import results, search
from feedback.services.public.results import ResultFilters
from feedback.services.workflow.lifecycle import Given, act
from feedback.services.workflow.access import SYSTEM
from tests import factories as f

pytestmark = pytest.mark.usefixtures("app")


NEUTRAL = "Đơn vị đã xem xét và trả lời ông/bà theo quy định."


def published(summary, answer=NEUTRAL, **fields):
    case = f.case_in("approved", **fields)
    act(SYSTEM, case, "publish", Given(summary=summary, public_text=answer, checked=True),
        notify_reporter=False)
    return case


def found(query):
    return {r.code for r in results.page(ResultFilters(q=query), size=100).records}


@pytest.fixture
def corpus():
    return {
        "ho": published("Đăng ký hộ kinh doanh bị trả hồ sơ nhiều lần"),
        "den": published("Đèn chiếu sáng đường Trần Phú hỏng", answer="Đội quản lý đô thị đã thay bóng đèn."),
        "dat": published("Cấp giấy chứng nhận quyền sử dụng đất chậm"),
        "ĐIỆN": published("ĐIỆN NƯỚC CHẬP CHỜN Ở PHƯỜNG 7"),
    }


QUERIES = {
    "dang ky ho kinh doanh": {"ho"},
    "Đăng ký hộ kinh doanh": {"ho"},
    "kinh doanh dang ky": {"ho"},          # any order
    "DANG KY": {"ho"},
    "den chieu sang": {"den"},
    "đèn": {"den"},
    "bong den": {"den"},                   # words of the answer too
    "dien nuoc": {"ĐIỆN"},                 # Đ folded to d
    "giay chung nhan": {"dat"},
    "giay": {"dat"},
    "chu": {"dat"},                        # a word's beginning is enough…
    "dang k": {"ho"},
    "dan ky": set(),                       # …for the last word only
    "kinh doanh dat": set(),               # every word must be there
    "xyz": set(),
}


def test_accent_and_order_insensitive(corpus):
    """Every query against one corpus (each mismatch shown with its query)."""
    codes = {key: case.code for key, case in corpus.items()}
    assert {query: found(query) for query in QUERIES} == {
        query: {codes[key] for key in keys} for query, keys in QUERIES.items()}


def test_a_query_without_words_is_no_filter(corpus):
    assert found("  !!! ") == {case.code for case in corpus.values()}
    assert results.page(ResultFilters(q="  !!! ")).total == len(corpus)   # and counts them all


def test_punctuation_and_sql_in_a_query_are_only_text(corpus):
    assert found('dang" OR 1=1 --') == set()
    assert found("đăng-ký, hộ/kinh*doanh") == {corpus["ho"].code}


def test_words_are_stored_folded():
    assert search.search_text("Đăng ký Hộ-kinh doanh, ĐIỆN 2026!") == "dang ky ho kinh doanh dien 2026"


def test_a_search_alone_is_counted_up_to_the_cap(corpus):
    """A query with no other filter is counted from the search index alone."""
    assert search.count("xem xet", 10) == 3 == results.page(ResultFilters(q="xem xet")).total
    assert search.count("xem xet", 1) == 2
    assert search.count("!!!", 10) == 0


def test_a_search_with_many_matches_lists_the_same_pages(corpus, monkeypatch):
    """Past MANY matches the listing walks the date index instead: same pages
    (in pages of 1, 2 and 100)."""
    for size in (1, 2, 100):
        assert_same_pages(monkeypatch, size)


def assert_same_pages(monkeypatch, size: int) -> None:
    def pages(many):
        monkeypatch.setattr(results, "MANY", 0 if many else 10**9)
        seen, after = [], None
        while True:
            page = results.page(ResultFilters(q="xem xet"), after, size=size)
            seen.append([record.code for record in page.records])
            if page.next_after is None:
                return seen
            after = page.next_after

    assert pages(many=True) == pages(many=False), size
    assert sum(len(codes) for codes in pages(many=True)) == 3, size


def _plan(statement) -> str:
    compiled = statement.compile(db.engine)
    rows = db.session.connection().exec_driver_sql(f"EXPLAIN {compiled}", compiled.params)
    return " | ".join(row[0] for row in rows)


PLANS = ("enable_bitmapscan", "enable_indexscan", "jit")


def _off() -> set[str]:
    return {name for name in PLANS if db.session.scalar(text(f"SHOW {name}")) == "off"}


@pytest.mark.parametrize("many, off", [(True, {"enable_bitmapscan", "jit"}), (False, {"enable_indexscan"})])
def test_postgresql_lists_many_matches_by_date_and_few_from_the_index(corpus, many, off):
    """The count tells PostgreSQL's planner which plans it may use, and the
    settings are put back afterwards. On a table this small every plan costs
    about the same, so the test rules out the others first: a full scan, and
    with many matches a sort (the walk of the date index needs none; with
    four rows the planner would as soon walk another index and sort)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner")
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    if many:
        db.session.execute(text("SET LOCAL enable_sort = off"))
    listing = results.query(ResultFilters(q="xem xet"), many).limit(21)
    with search.planned(many):
        inside = _off()
        plan = _plan(listing)
    assert inside == off
    walk = "Index Scan Backward using ix_public_records_published" in plan
    bitmap = "Bitmap Index Scan on ix_public_records_search" in plan
    assert (walk, bitmap) == (many, not many), plan
    assert _off() == set()


def test_a_search_within_a_category_ward_or_unit_finds_theirs_only():
    """The same on both databases; on PostgreSQL these filters are also words
    of each record's search vector (models/public.py)."""
    first = published("Cấp giấy chứng nhận quyền sử dụng đất chậm", category_code="ho-tich", ward_code="w-1")
    second = published("Cấp giấy chứng nhận quyền sử dụng đất chậm", category_code="giao-duc")
    records = {r.code: r for r in results.page(ResultFilters(q="giay chung nhan")).records}
    assert set(records) == {first.code, second.code}

    def codes(**filters) -> set[str]:
        return {r.code for r in results.page(ResultFilters(q="giay chung nhan", **filters)).records}

    assert codes(category="ho-tich") == {first.code}
    assert codes(category="giao-duc") == {second.code}
    assert codes(ward="w-1") == {first.code}
    for code, record in records.items():
        assert code in codes(unit=record.unit.code)
    assert codes(category="no-such-category") == set()


def test_postgresql_keeps_a_records_category_unit_and_ward_among_its_words():
    """So that the GIN index answers a search within one of them by itself: the
    planner guesses that common words together match few records, and so used
    to fetch every match to check its category (~80 ms at a million records,
    for none in that category; bench/README.md)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's search vector")
    case = published("Cấp giấy chứng nhận quyền sử dụng đất chậm", category_code="ho-tich", ward_code="w-1")
    record = db.session.scalars(select(PublicRecord).where(PublicRecord.case_id == case.id)).one()
    words = set(db.session.scalar(text("SELECT tsvector_to_array(search_vector) FROM public_records "
                                       "WHERE id = :id"), {"id": record.id}))
    assert {"giay", "chung", "nhan", f"=c{record.category_id}", f"=u{record.unit_id}",
            f"=w{record.ward_id}"} <= words
