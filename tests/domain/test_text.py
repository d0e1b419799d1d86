import unicodedata

from feedback.domain.text import clean, clean_line, fold


def test_clean_gives_nfc():
    decomposed = unicodedata.normalize("NFD", "Đăng ký khai sinh ở Phường Thắng Nhì")
    assert decomposed != "Đăng ký khai sinh ở Phường Thắng Nhì"
    assert clean(decomposed) == "Đăng ký khai sinh ở Phường Thắng Nhì"


def test_clean_removes_controls_and_extra_spaces_but_keeps_lines():
    assert clean("  a\x00b \t c\r\n\r\nd  ") == "ab c\n\nd"
    assert clean_line(" Nguyễn \n Văn   An ") == "Nguyễn Văn An"


def test_fold_strips_accents_and_d_stroke():
    assert fold("Đăng ký") == "dang ky"
    assert fold("đường dây nóng") == "duong day nong"
    assert fold(unicodedata.normalize("NFD", "Cửa quyền")) == "cua quyen"
    assert fold("dang ky") == fold("ĐĂNG KÝ")
