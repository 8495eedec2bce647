from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from xunshi.lib.ids import (
    IdError,
    id_birth_date,
    id_gender,
    make_id_number,
    make_uscc,
    mask_id_number,
    normalize_id_number,
    normalize_uscc,
)

EXCEL_MESSAGE = "被Excel存成了数字，末几位可能已丢失，请将该列设为文本格式后重新填写"


def id_error(value: object) -> str:
    with pytest.raises(IdError) as info:
        normalize_id_number(value)
    return str(info.value)


def uscc_error(value: object) -> str:
    with pytest.raises(IdError) as info:
        normalize_uscc(value)
    return str(info.value)


# --- ID numbers ---------------------------------------------------------------


def test_it_accepts_the_standard_example_id() -> None:
    assert normalize_id_number("11010519491231002X") == "11010519491231002X"


def test_it_accepts_ids_built_by_make_id_number() -> None:
    for region, born, seq in [
        ("410225", date(1985, 2, 28), 123),
        ("440305", date(2000, 2, 29), 8),
        ("650102", date(1962, 10, 1), 999),
    ]:
        number = make_id_number(region, born, seq)
        assert normalize_id_number(number) == number
        assert stdnum_ric.calc_check_digit(number) == number[-1]


def test_it_cleans_what_people_paste() -> None:
    assert normalize_id_number(" 110105 19491231 002x ") == "11010519491231002X"
    # Full-width digits and letter, an ideographic space and a zero-width space.
    assert normalize_id_number("１１０１０５１９４９１２３１００２ｘ\u3000\u200b") == (
        "11010519491231002X"
    )


def test_it_does_not_check_the_birthplace() -> None:
    # 419001 (济源市) is a real county-level code that stdnum's table does not accept.
    number = make_id_number("419001", date(1990, 5, 17), 123)
    assert not stdnum_ric.is_valid(number)
    assert normalize_id_number(number) == number


@pytest.mark.parametrize(
    "value",
    [1.1010519491231e17, 110105194912310000, Decimal(110105194912310000)],
)
def test_it_refuses_ids_that_excel_stored_as_numbers(value: object) -> None:
    assert id_error(value) == "身份证号码" + EXCEL_MESSAGE


@pytest.mark.parametrize("value", ["1.1010519491231E+17", "110105194912310000.0"])
def test_it_refuses_numbers_that_became_text(value: str) -> None:
    assert id_error(value) == "身份证号码" + EXCEL_MESSAGE


def test_it_reports_the_wrong_length() -> None:
    assert id_error("11010519491231002") == "身份证号码应为18位，实际为17位"
    assert id_error("110105491231002").startswith("身份证号码应为18位，实际为15位")


def test_it_reports_bad_characters() -> None:
    message = id_error("1101051949123100AX")
    assert "不允许的字符" in message
    assert "“A”" in message


def test_it_reports_an_impossible_birth_date() -> None:
    # Feb 30 with a correct check digit, so only the date can be blamed.
    first17 = "11010519490230002"
    number = first17 + stdnum_ric.calc_check_digit(first17 + "0")
    assert id_error(number) == "身份证号码中的出生日期19490230无效"


def test_it_reports_a_birth_date_in_the_future() -> None:
    tomorrow = date.today() + timedelta(days=1)
    message = id_error(make_id_number("110105", tomorrow, 1))
    assert "出生日期" in message
    assert "无效" in message


def test_it_reports_a_wrong_check_digit_without_revealing_it() -> None:
    message = id_error("110105194912310021")
    assert message == "身份证号码校验码不正确，请核对"
    assert "X" not in message


@pytest.mark.parametrize("value", [None, "", "   ", True])
def test_it_reports_an_empty_id(value: object) -> None:
    assert id_error(value) == "身份证号码不能为空"


def test_it_is_a_value_error_with_a_chinese_message() -> None:
    with pytest.raises(ValueError, match="校验码不正确"):
        normalize_id_number("110105194912310021")


def test_it_reads_birth_date_and_gender() -> None:
    assert id_birth_date("11010519491231002X") == date(1949, 12, 31)
    assert id_gender("11010519491231002X") == "女"
    man = make_id_number("410225", date(1985, 2, 28), 123)
    assert id_gender(man) == "男"
    assert id_birth_date(man) == date(1985, 2, 28)


def test_it_masks_the_middle_eight_characters() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
    number = make_id_number("410225", date(1985, 2, 28), 123)
    assert mask_id_number(number) == "410225********" + number[-4:]
    assert mask_id_number("41022519850228123x") == "410225********123X"


def test_it_refuses_to_mask_a_value_of_the_wrong_length() -> None:
    with pytest.raises(IdError):
        mask_id_number("410225")


def test_it_refuses_bad_arguments_to_make_id_number() -> None:
    with pytest.raises(ValueError, match="six ASCII digits"):
        make_id_number("41022", date(1985, 2, 28), 1)
    with pytest.raises(ValueError, match="seq3"):
        make_id_number("410225", date(1985, 2, 28), 1000)


# --- Unified social credit codes ----------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "914403001922038216",  # 华为技术有限公司, as published (zh.wikipedia infobox)
        "91110000600037341L",  # python-stdnum's documented example
    ],
)
def test_it_accepts_published_credit_codes(code: str) -> None:
    assert normalize_uscc(code) == code


def test_it_accepts_codes_built_by_make_uscc() -> None:
    for prefix in ["91440300MA5FXXXX1", "12100000400000000", "51110000MJ0000001"]:
        code = make_uscc(prefix)
        assert normalize_uscc(code) == code


@pytest.mark.parametrize("prefix", ["N2410225MA1234567", "Y1110000MA0000000", "A1110000MA0000000"])
def test_it_accepts_codes_that_start_with_a_letter(prefix: str) -> None:
    code = make_uscc(prefix)
    assert not stdnum_uscc.is_valid(code)  # the reason this module exists
    assert normalize_uscc(code) == code


def test_it_cleans_credit_codes() -> None:
    assert normalize_uscc(" 9144 0300 1922 0382 16 ") == "914403001922038216"
    assert normalize_uscc("91110000600037341l") == "91110000600037341L"


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_it_refuses_letters_outside_the_alphabet(letter: str) -> None:
    message = uscc_error("91440300MA5F" + letter + "XXX16")
    assert f"“{letter}”" in message
    assert "不允许的字符" in message


def test_it_reports_a_wrong_credit_code_check_character() -> None:
    assert uscc_error("914403001922038217") == "统一社会信用代码校验码不正确，请核对"


def test_it_reports_the_wrong_credit_code_length() -> None:
    assert uscc_error("91440300192203821") == "统一社会信用代码应为18位，实际为17位"


@pytest.mark.parametrize("value", [9.14403001922038e17, 914403001922038200])
def test_it_refuses_credit_codes_that_excel_stored_as_numbers(value: object) -> None:
    assert uscc_error(value) == "统一社会信用代码" + EXCEL_MESSAGE


def test_it_rejects_the_example_from_the_brief() -> None:
    # 91110000100000589B circulates as an example but its check character would be A.
    assert uscc_error("91110000100000589B") == "统一社会信用代码校验码不正确，请核对"
    assert make_uscc("91110000100000589") == "91110000100000589A"


def test_it_refuses_bad_prefixes_to_make_uscc() -> None:
    with pytest.raises(ValueError, match="17 characters"):
        make_uscc("9144030019220382")
    with pytest.raises(ValueError, match="17 characters"):
        make_uscc("9144030019220382O")


def test_it_imports_without_django() -> None:
    code = "import sys, xunshi.lib.ids; assert 'django' not in sys.modules"
    project_root = Path(__file__).resolve().parents[3]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=project_root)
