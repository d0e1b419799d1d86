from feedback.domain import taxcode


def test_valid_codes():
    assert taxcode.normalise("0100109106") == "0100109106"
    assert taxcode.normalise("0300588569") == "0300588569"
    assert taxcode.normalise(" 0100109106-001 ") == "0100109106-001"
    assert taxcode.normalise("0100109106001") == "0100109106-001"


def test_wrong_check_digit_or_shape_is_refused():
    assert taxcode.normalise("0100109107") is None
    assert taxcode.normalise("010010910") is None
    assert taxcode.normalise("0100109106-000") is None
    assert taxcode.normalise("01001O9106") is None
    assert taxcode.normalise("") is None
