import itertools

from feedback.domain import trackcode


def test_generated_codes_are_valid_digits_and_not_sequential():
    codes = [trackcode.generate() for _ in range(500)]
    assert all(len(c) == trackcode.LENGTH and c.isdigit() and c[0] != "0" for c in codes)
    assert all(trackcode.normalise(c) == c for c in codes)
    assert len(set(codes)) == len(codes)
    bodies = sorted(int(c[:-1]) for c in codes)
    gaps = {b - a for a, b in zip(bodies, bodies[1:])}
    assert gaps != {1}


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
    assert trackcode.normalise(f" {code[:3]}-{code[3:6]} {code[6:]} ") == code
    assert trackcode.normalise(trackcode.display(code)) == code
    assert trackcode.normalise(f"{code[:3]}.{code[3:]}") == code


def test_wrong_lengths_and_non_digits_are_refused():
    code = trackcode.generate()
    assert trackcode.normalise(code[:-1]) is None
    assert trackcode.normalise(code + "0") is None
    assert trackcode.normalise("") is None
    assert trackcode.normalise("abc" + code[3:]) is None
    # Arabic-Indic digits are digits to Python, but not to a phone keypad.
    assert trackcode.normalise("١٢٣٤٥٦٧٨٩٠") is None
