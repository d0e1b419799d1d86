from stdnum.vn import mst

from feedback.domain import taxcode


def test_valid_codes():
    assert taxcode.normalise("0100109106") == "0100109106"
    assert taxcode.normalise("0300588569") == "0300588569"
    assert taxcode.normalise(" 0100109106-001 ") == "0100109106-001"
    assert taxcode.normalise("0100109106001") == "0100109106-001"
    assert taxcode.normalise("01.00.109.106") == "0100109106"


def test_wrong_check_digit_or_shape_is_refused():
    assert taxcode.normalise("0100109107") is None
    assert taxcode.normalise("010010910") is None
    assert taxcode.normalise("0100109106-000") is None
    assert taxcode.normalise("01001O9106") is None
    assert taxcode.normalise("") is None
    assert taxcode.normalise("٠١٠٠١٠٩١٠٦") is None


def test_province_00_and_sequence_0000000_are_refused_though_their_check_digit_holds():
    for number in ("0000000017", "0100000003"):
        assert mst.calc_check_digit(number[:9]) == number[9]
        assert taxcode.normalise(number) is None, number
