import io
import zipfile

from feedback.domain import files

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_accepted_types_are_recognised_by_content():
    assert files.sniff(PNG) == "image/png"
    assert files.sniff(JPG) == "image/jpeg"
    assert files.sniff(PDF) == "application/pdf"
    assert files.sniff(DOC) == "application/msword"
    assert files.sniff(docx_bytes()).endswith("wordprocessingml.document")


def test_other_content_is_refused_whatever_its_name():
    assert files.sniff(b"MZ\x90\x00 windows program") is None
    assert files.sniff(b"<html><script>alert(1)</script>") is None
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("evil.exe", "x")
    assert files.sniff(plain_zip.getvalue()) is None


def test_name_must_agree_with_content():
    assert files.matches_name("anh.JPG", "image/jpeg")
    assert files.matches_name("anh.jpeg", "image/jpeg")
    assert not files.matches_name("anh.jpg", "application/pdf")
    assert not files.matches_name("noname", "image/png")
