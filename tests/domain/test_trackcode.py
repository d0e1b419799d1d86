import itertools

from stdnum import damm

from feedback.domain import trackcode


def test_generated_codes_are_twelve_random_digits_and_not_sequential():
    codes = [trackcode.generate() for _ in range(500)]
    assert all(len(c) == 12 == trackcode.LENGTH and c.isdigit() for c in codes)
    assert all(trackcode.normalise(c) == c for c in codes)
    assert len(set(codes)) == len(codes)
    bodies = sorted(int(c[:-1]) for c in codes)
    gaps = {b - a for a, b in zip(bodies, bodies[1:], strict=False)}
    assert gaps != {1}
    assert {c[0] for c in codes} == set("0123456789")   # every digit of the body is random


def test_a_random_guess_finds_one_of_a_million_cases_once_in_100000_tries():
    well_formed = 10 ** trackcode.BODY_LENGTH        # one check digit per body
    assert 1_000_000 / well_formed <= 1 / 100_000


def test_codes_issued_before_with_ten_digits_still_work():
    legacy = "123456789" + damm.calc_check_digit("123456789")
    assert trackcode.normalise(legacy) == legacy
    assert trackcode.display(legacy) == f"123 456 789{legacy[-1]}"
    assert trackcode.normalise("123 456 789-" + legacy[-1]) == legacy


def test_the_check_digit_is_python_stdnums_damm():
    code = trackcode.generate()
    assert damm.is_valid(code) and trackcode.check_digit(code[:-1]) == damm.calc_check_digit(code[:-1])


def test_twelve_digits_are_shown_in_three_groups_of_four():
    code = trackcode.generate()
    assert trackcode.display(code) == f"{code[:4]} {code[4:8]} {code[8:]}"
    assert trackcode.groups(code) == [code[:4], code[4:8], code[8:]]


def test_every_single_digit_typo_is_refused():
    code = trackcode.generate()
    for position, wrong in itertools.product(range(len(code)), "0123456789"):
        if code[position] == wrong:
            continue
        typo = code[:position] + wrong + code[position + 1:]
        assert trackcode.normalise(typo) is None, typo


def test_every_swap_of_neighbouring_digits_is_refused():
    for _ in range(200):
        code = trackcode.generate()
        for i in range(len(code) - 1):
            if code[i] == code[i + 1]:
                continue
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
            assert trackcode.normalise(swapped) is None, swapped


def test_spaces_hyphens_and_dots_are_accepted():
    code = trackcode.generate()
    assert trackcode.normalise(f" {code[:4]}-{code[4:8]} {code[8:]} ") == code
    assert trackcode.normalise(trackcode.display(code)) == code
    assert trackcode.normalise(f"{code[:3]}.{code[3:]}") == code


def test_wrong_lengths_and_non_digits_are_refused():
    code = trackcode.generate()
    assert trackcode.normalise(code[:-1]) is None
    assert trackcode.normalise(code + "0") is None
    assert trackcode.normalise(code[:11]) is None
    assert trackcode.normalise("") is None
    assert trackcode.normalise("abc" + code[3:]) is None
    # Arabic-Indic digits are digits to Python, but not to a phone keypad.
    assert trackcode.normalise("١٢٣٤٥٦٧٨٩٠") is None
    assert trackcode.normalise("١٢٣٤٥٦٧٨٩٠١٢") is None
