"""Personal data found in a text before it is published."""
from feedback.domain import redaction


def kinds(text, names=()):
    return [(text[s.start:s.end], s.kind) for s in redaction.find(text, names)]


def test_phones_emails_ids_tax_codes_and_names_are_found():
    text = ("Ông Nguyễn Văn An (0912 345 678, an.nguyen@example.vn), CCCD 079201001234, "
            "MST 0100109106, đã được trả lời ngày 12/03/2021, mã 1234567890.")
    assert kinds(text, ["Nguyễn Văn An"]) == [
        ("Nguyễn Văn An", "name"), ("0912 345 678", "phone"), ("an.nguyen@example.vn", "email"),
        ("079201001234", "id_number"), ("0100109106", "tax_code"),
    ]


def test_international_and_dotted_phones():
    assert kinds("gọi +84 912.345.678 hoặc 028 3829 1234") == [
        ("+84 912.345.678", "phone"), ("028 3829 1234", "phone")]


def test_a_clean_answer_has_nothing():
    assert redaction.find("Đơn vị đã giải quyết hồ sơ trong 3 ngày làm việc, theo Nghị định 20/2008.") == []


def test_names_match_whatever_the_case():
    assert kinds("gửi ông nguyễn văn an", ["Nguyễn Văn An"]) == [("nguyễn văn an", "name")]


def test_segments_cover_the_whole_text_in_order():
    text = "SĐT 0912345678 nhé"
    pieces = redaction.segments(text)
    assert "".join(piece for piece, _ in pieces) == text
    assert pieces == [("SĐT ", None), ("0912345678", "phone"), (" nhé", None)]
