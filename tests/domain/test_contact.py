from feedback.domain.contact import email_normalised, phone_display, phone_e164


def test_vietnamese_numbers_become_e164():
    assert phone_e164("0912 345 678") == "+84912345678"
    assert phone_e164("+84 912.345.678") == "+84912345678"
    assert phone_e164("088 8801 247") == "+84888801247"
    assert phone_e164("028 3829 6052") == "+842838296052"


def test_invalid_numbers_are_refused():
    assert phone_e164("12345") is None
    assert phone_e164("không có") is None
    assert phone_e164("") is None


def test_display_is_national_for_vietnam():
    assert phone_display("+84888801247") == "0888 801 247"


def test_email():
    assert email_normalised("An.Nguyen@Example.VN") == "An.Nguyen@example.vn"
    assert email_normalised("not-an-email") is None


def test_display_keeps_what_is_not_a_number():
    assert phone_display("anonymous") == "anonymous"
    assert phone_display(None) == ""
