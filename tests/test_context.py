"""The lines a profile makes from data: date, number, căn cứ, nơi nhận, signature."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from mtcl_docs.kinds import find_kind
from mtcl_docs.load.model import Authority, Signer
from mtcl_docs.number.symbol import number_line, number_text
from mtcl_docs.profiles import pick_profile
from mtcl_docs.render.context import date_words
from mtcl_docs.render.flow import ended, recipient_lines, signer_lines

HD36 = pick_profile("party-hd36", dt.date(2022, 9, 12))
HD05 = pick_profile("party-hd05", dt.date(2026, 9, 1))
ND30 = pick_profile("nd30", dt.date(2022, 9, 12))


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (dt.date(2022, 9, 12), "ngày 12 tháng 9 năm 2022"),
        (dt.date(2020, 1, 5), "ngày 05 tháng 01 năm 2020"),
        (dt.date(2018, 2, 20), "ngày 20 tháng 02 năm 2018"),
        (dt.date(2019, 3, 9), "ngày 09 tháng 3 năm 2019"),
        (dt.date(2019, 12, 31), "ngày 31 tháng 12 năm 2019"),
    ],
)
def test_date_words_zero_pads_days_below_10_and_months_1_2(day, words):
    assert date_words(day) == words


def test_number_below_10_has_leading_zero_and_draft_is_blank():
    assert number_text(7, "   ") == "07"
    assert number_text(4275, "   ") == "4275"
    assert number_text(None, "     ") == "     "


def test_number_line_per_profile(jobs):
    party, nd30 = jobs["4275"], jobs["4275-truong-mau"]
    assert number_line(party) == "Số 4275-TB/HVBCTT"
    assert number_line(nd30) == "Số: 4275/TB-ĐHM"


def test_profile_follows_document_date():
    assert pick_profile("party", dt.date(2026, 5, 26)).name == "party-hd36"
    assert pick_profile("party", dt.date(2026, 5, 27)).name == "party-hd05"
    assert pick_profile("nd30", dt.date(2026, 11, 25)).name == "nd30"


def test_party_type_code_for_quy_dinh_changes_with_hd05(jobs):
    assert HD36.type_codes["quy-dinh"] == "QĐi"
    assert find_kind("quy-dinh", "party").code == "QĐ"
    assert find_kind("quy-dinh", "nd30").code == "QyĐ"


def _basis(profile, lines):
    b = profile.basis
    return ended(lines, b.prefix, b.end, b.last_end)


def test_basis_endings_per_profile_keep_what_the_clerk_typed():
    basis = ["Căn cứ A", "- Căn cứ B;", "Theo đề nghị C"]
    assert _basis(HD36, basis) == ["Căn cứ A;", "Căn cứ B;", "Theo đề nghị C,"]
    assert _basis(HD05, basis) == ["- Căn cứ A;", "- Căn cứ B;", "- Theo đề nghị C."]
    assert _basis(ND30, basis) == ["Căn cứ A;", "Căn cứ B;", "Theo đề nghị C."]
    assert _basis(ND30, ["Căn cứ A,", "Theo đề nghị C;"]) == ["Căn cứ A,", "Theo đề nghị C;"]


def _with(job, **changes):
    return replace(job, doc=job.doc.model_copy(update=changes))


def test_recipients_end_with_the_profiles_archive_line(jobs):
    nd30, hd36 = jobs["4275-truong-mau"], jobs["4275"]
    entries = ["Các đơn vị (để triển khai)", "- Ban Giám đốc;"]
    assert recipient_lines(_with(nd30, recipients=entries)) == [
        "- Các đơn vị (để triển khai);",
        "- Ban Giám đốc;",
        "- Lưu: VT, TTKT&ĐBCLĐT.",
    ]
    assert recipient_lines(_with(hd36, recipients=entries))[-1] == "- Lưu VT, TTKT&ĐBCLĐT."
    assert recipient_lines(_with(hd36, no_recipients=True)) == []


def test_archive_line_holds_units_copies_and_drafter(jobs):
    job = _with(jobs["4275-truong-mau"], filing_unit=["VT", "ĐT", "TTKT&ĐBCLĐT"],
                filing_copies=3, drafter="NVA")  # fmt: skip
    assert recipient_lines(job)[-1] == "- Lưu: VT, ĐT, TTKT&ĐBCLĐT (3)NVA."
    no_count = _with(job, filing_copies=None)
    assert recipient_lines(no_count)[-1] == "- Lưu: VT, ĐT, TTKT&ĐBCLĐT, NVA."


def test_kind_first_recipients_are_added_once(jobs):
    cv, qd = jobs["cong-van-215-truong-mau"], jobs["quyet-dinh-216-truong-mau"]
    assert recipient_lines(cv)[0] == "- Như trên;"
    assert recipient_lines(qd)[0] == "- Như Điều 4;"
    typed = _with(qd, recipients=["UBND tỉnh (để báo cáo)", "Như Điều 4"])
    assert [line for line in recipient_lines(typed) if "Như Điều" in line] == ["- Như Điều 4;"]


@pytest.mark.parametrize(
    ("authority", "profile", "expected"),
    [
        (Authority.DIRECT, HD36, ("GIÁM ĐỐC", "")),
        (Authority.KT, HD36, ("K/T GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
        (Authority.KT, ND30, ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
        (Authority.TL, HD05, ("T/L GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
        (Authority.TUQ, ND30, ("TUQ. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
        (Authority.TM, ND30, ("TM. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
    ],
)
def test_signature_block_per_authority(authority, profile, expected):
    signer = Signer(
        name="Nguyễn Văn A", title="Phó Giám đốc", authority=authority, on_behalf="Giám đốc"
    )
    if authority is Authority.DIRECT:
        signer = Signer(name="Nguyễn Văn A", title="Giám đốc")
    lines, title = signer_lines(profile, signer)
    assert (lines[0], title) == expected


def test_acting_signer_gets_q_prefix():
    signer = Signer(name="Trần B", title="Giám đốc", authority="Q.")
    assert signer_lines(ND30, signer) == (["Q. GIÁM ĐỐC"], "")


def test_stacked_authority_prints_two_prefixes():
    signer = Signer(
        name="Lê C", title="Phó Chánh Văn phòng", authority="TL.", on_behalf="Chủ tịch",
        stacked={"authority": "KT.", "on_behalf": "Chánh Văn phòng"},
    )  # fmt: skip
    assert signer_lines(ND30, signer) == (
        ["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG"],
        "PHÓ CHÁNH VĂN PHÒNG",
    )


def test_signer_spellings_from_both_formats_mean_the_same():
    for spelling in ("K/T", "KT.", "kt"):
        signer = Signer(name="A", title="Phó Giám đốc", authority=spelling, on_behalf="Giám đốc")
        assert signer.authority is Authority.KT


def test_deputy_without_on_behalf_is_refused():
    with pytest.raises(ValueError, match="on_behalf"):
        Signer(name="A", title="Phó Giám đốc", authority="K/T")


def test_organisation_overrides_change_a_profile_value():
    p = pick_profile("party", dt.date(2026, 9, 1), {"basis": {"last_end": ","}})
    assert p.name == "party-hd05"
    assert _basis(p, ["Căn cứ A", "Theo đề nghị B"]) == ["- Căn cứ A;", "- Theo đề nghị B,"]
    assert p.basis.prefix == "- "


def test_bad_override_is_refused():
    from mtcl_docs.profiles.profile import ProfileError

    with pytest.raises(ProfileError, match='page.margins_mm.top: "rộng" cần một số'):
        pick_profile("nd30", dt.date(2022, 1, 1), {"page": {"margins_mm": {"top": "rộng"}}})
