"""The checker knows the kinds: every example kind passes, each kind's own rule fails (or warns)
on a document broken for it, and auto picks the Party guide in force on the document's date."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from mtcl_docs.build import Paths, build
from mtcl_docs.check.run import check_document, check_file
from mtcl_docs.kinds import find_kind

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def kinds_build(tmp_path_factory):
    """All of data/ built once without PDFs: the build checks every DOCX and must find no FAIL."""
    out = tmp_path_factory.mktemp("kinds")
    report = build(
        Paths(ROOT / "data", ROOT / "templates", out, out.parent / "kinds-register.sqlite"),
        pdf=False,
    )
    assert report.problems == [], [str(p) for p in report.problems]
    return {b.job.doc.id: b for b in report.built}


def _status(report) -> dict[str, str]:
    return {r.rule.split(".", 1)[1]: r.status for r in report.results}


def _paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for cell in table._cells:
            yield from cell.paragraphs


def _find(document, test):
    return next(p for p in _paragraphs(document) if p.text.strip() and test(p.text.strip()))


def _remove(test):
    def change(document):
        p = _find(document, test)._p
        p.getparent().remove(p)

    return change


def _remove_all(test):
    def change(document):
        for p in [p for p in _paragraphs(document) if p.text.strip() and test(p.text.strip())]:
            p._p.getparent().remove(p._p)

    return change


def _retext(test, text):
    def change(document):
        runs = [r for r in _find(document, test).runs if r.text]
        runs[0].text = text
        for run in runs[1:]:
            run.text = ""

    return change


def _checked(kinds_build, doc_id, tmp_path, *changes, profile="auto"):
    """Check a built document in auto mode (as `mtcl-docs check` does), after `changes`."""
    document = Document(str(kinds_build[doc_id].docx))
    for change in changes:
        change(document)
    target = tmp_path / f"{doc_id}.docx"
    document.save(str(target))
    return check_file(target, profile)


def test_every_example_passes_in_auto_mode_and_its_kind_is_read_from_the_text(kinds_build):
    assert len(kinds_build) >= 10
    for doc_id, built in kinds_build.items():
        report = check_file(built.docx)
        assert not report.failed, report.lines()
        assert report.kind == built.job.kind.name, (doc_id, report.kind)
        assert report.profile.startswith(built.job.profile.family)


def test_build_and_auto_mode_agree(kinds_build):
    """The build passes its job's kind; reading it from the text gives the same results."""
    for built in kinds_build.values():
        document = Document(str(built.docx))
        given = check_document(document, "x", built.job.profile.name, built.job.kind)
        read = check_document(document, "x")
        assert _status(given) == _status(read), built.job.doc.id


# -- quyết định, nghị quyết: enacting line and articles ----------------------------------------


def _enacting(text: str) -> bool:
    return text.endswith("QUYẾT ĐỊNH") or text in ("QUYẾT ĐỊNH:", "QUYẾT NGHỊ:")


@pytest.mark.parametrize(
    "doc_id", ["quyet-dinh-216-truong-mau", "quyet-dinh-216", "nghi-quyet-225"]
)
def test_decision_without_its_enacting_line_fails(kinds_build, tmp_path, doc_id):
    assert _status(_checked(kinds_build, doc_id, tmp_path))["ENACTING"] == "PASS"
    # the title line QUYẾT ĐỊNH stays; only the line after the căn cứ goes
    document = Document(str(kinds_build[doc_id].docx))
    title = next(p for p in document.paragraphs if p.text.strip())
    report = _checked(
        kinds_build,
        doc_id,
        tmp_path,
        _remove(lambda t: _enacting(t) and t != title.text.strip()),
    )
    assert _status(report)["ENACTING"] == "FAIL", report.lines()
    assert report.failed


def test_enacting_line_not_centred_or_without_colon_fails(kinds_build, tmp_path):
    def off_centre(document):
        _find(document, lambda t: t == "QUYẾT ĐỊNH:").alignment = 0

    report = _checked(kinds_build, "quyet-dinh-216-truong-mau", tmp_path, off_centre)
    assert _status(report)["ENACTING"] == "FAIL"
    report = _checked(
        kinds_build,
        "quyet-dinh-216-truong-mau",
        tmp_path,
        _retext(lambda t: t == "QUYẾT ĐỊNH:", "QUYẾT ĐỊNH"),
    )
    assert _status(report)["ENACTING"] == "FAIL"
    assert "thiếu dấu hai chấm" in next(
        r.found for r in report.results if r.rule.endswith("ENACTING")
    )


@pytest.mark.parametrize("doc_id", ["quyet-dinh-216-truong-mau", "quyet-dinh-216"])
def test_decision_without_article_one_fails(kinds_build, tmp_path, doc_id):
    report = _checked(kinds_build, doc_id, tmp_path, _remove(lambda t: t.startswith("Điều 1.")))
    assert _status(report)["ARTICLES"] == "FAIL", report.lines()
    report = _checked(kinds_build, doc_id, tmp_path, _remove_all(lambda t: t.startswith("Điều ")))
    assert _status(report)["ARTICLES"] == "FAIL"


def test_kind_given_by_the_build_is_used(kinds_build):
    """A thông báo checked as a quyết định (what the build would say) misses QĐ's parts."""
    document = Document(str(kinds_build["4275-truong-mau"].docx))
    report = check_document(document, "x", "nd30", find_kind("quyet-dinh", "nd30"))
    statuses = _status(report)
    assert statuses["ENACTING"] == statuses["ARTICLES"] == "FAIL"
    assert "ENACTING" not in _status(check_document(document, "x", "nd30"))


# -- công văn ------------------------------------------------------------------------------------


@pytest.mark.parametrize("doc_id", ["cong-van-215-truong-mau", "cong-van-215"])
def test_cong_van_has_no_title_and_its_trich_yeu_is_under_the_number(kinds_build, tmp_path, doc_id):
    report = _checked(kinds_build, doc_id, tmp_path)
    statuses = _status(report)
    assert report.kind == "Công văn"
    assert statuses["DOC_TYPE"] == statuses["SUBJECT"] == "SKIP"
    assert statuses["SUBJECT_HEADER"] == statuses["ADDRESSEES"] == "PASS"
    assert statuses["BASIS"] == "SKIP"  # `Thực hiện …, đề nghị … sau:` opens the body


@pytest.mark.parametrize("doc_id", ["cong-van-215-truong-mau", "cong-van-215"])
def test_cong_van_without_kinh_gui_warns(kinds_build, tmp_path, doc_id):
    report = _checked(
        kinds_build, doc_id, tmp_path, _remove_all(lambda t: t.startswith(("Kính gửi", "- Khoa")))
    )
    assert _status(report)["ADDRESSEES"] == "WARN", report.lines()
    assert not report.failed, report.lines()
    assert report.kind == "Công văn"  # still known by its trích yếu under the number


@pytest.mark.parametrize("doc_id", ["cong-van-215-truong-mau", "cong-van-215"])
def test_cong_van_without_its_v_v_line_warns(kinds_build, tmp_path, doc_id):
    report = _checked(
        kinds_build, doc_id, tmp_path, _remove(lambda t: t.startswith(("V/v", "về việc")))
    )
    assert _status(report)["SUBJECT_HEADER"] == "WARN", report.lines()
    assert not report.failed, report.lines()
    assert report.kind == "Công văn"  # still known by its Kính gửi


def test_cong_van_trich_yeu_too_large_warns(kinds_build, tmp_path):
    from docx.shared import Pt

    def bigger(document):
        for run in _find(document, lambda t: t.startswith("V/v")).runs:
            run.font.size = Pt(14)

    report = _checked(kinds_build, "cong-van-215-truong-mau", tmp_path, bigger)
    assert _status(report)["SUBJECT_HEADER"] == "WARN"


# -- thông báo: V/v is a công văn's ------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc_id", "profile"), [("4275", "party-hd36"), ("4275-truong-mau", "nd30")]
)
def test_thong_bao_with_v_v_warns_and_nothing_else_changes(kinds_build, tmp_path, doc_id, profile):
    report = _checked(kinds_build, doc_id, tmp_path)
    statuses = _status(report)
    assert report.profile == profile and report.kind == "Thông báo"
    assert statuses.pop("SUBJECT_VV") == "WARN"
    assert set(statuses.values()) == {"PASS"}, report.lines()
    fixed = _checked(
        kinds_build,
        doc_id,
        tmp_path,
        _retext(lambda t: t.startswith("V/v xây dựng"), "Về việc xây dựng mục tiêu chất lượng"),
    )
    assert _status(fixed)["SUBJECT_VV"] == "PASS"


# -- biên bản -------------------------------------------------------------------------------------


def test_bien_ban_nd30_passes_without_a_date_line(kinds_build, tmp_path):
    report = _checked(kinds_build, "bien-ban-218-truong-mau", tmp_path)
    statuses = _status(report)
    assert not report.failed, report.lines()
    assert statuses["DATE"] == "SKIP"  # `Thời gian bắt đầu: …, ngày …` is not the date line
    assert statuses["DOC_TYPE"] == statuses["SUBJECT"] == "PASS"
    assert statuses["SIGNERS"] == statuses["SIGNER_LABELS"] == statuses["SIGNATURE"] == "PASS"
    assert statuses["RECIPIENTS"] == "PASS"  # Nơi nhận under THƯ KÝ


def test_party_bien_ban_date_is_read_from_the_header_only(kinds_build, tmp_path):
    report = _checked(
        kinds_build, "bien-ban-218", tmp_path, _remove(lambda t: t.startswith("Hà Nội, ngày"))
    )
    date = next(r for r in report.results if r.rule.endswith(".DATE"))
    assert date.status == "FAIL" and date.found == "không thấy", report.lines()


def test_bien_ban_without_nơi_nhan_finds_its_signers(kinds_build, tmp_path):
    report = _checked(kinds_build, "bien-ban-218", tmp_path)
    statuses = _status(report)
    assert not report.failed, report.lines()
    assert statuses["RECIPIENTS_LABEL"] == statuses["RECIPIENTS"] == "SKIP"
    assert statuses["SIGNATURE"] == statuses["SIGNERS"] == statuses["SIGNER_LABELS"] == "PASS"


def test_bien_ban_with_one_signer_fails_and_a_wrong_label_warns(kinds_build, tmp_path):
    def no_secretary(document):
        cell = document.tables[-1].cell(0, 0)
        for p in cell.paragraphs:
            for run in p.runs:
                run.text = ""

    report = _checked(kinds_build, "bien-ban-218", tmp_path, no_secretary)
    assert _status(report)["SIGNERS"] == "FAIL", report.lines()
    report = _checked(
        kinds_build,
        "bien-ban-218-truong-mau",
        tmp_path,
        _retext(lambda t: t == "CHỦ TỌA", "CHỦ TRÌ"),
    )
    assert _status(report)["SIGNER_LABELS"] == "WARN"
    assert not report.failed


def test_bien_ban_signer_label_with_old_tone_mark_is_the_same(kinds_build, tmp_path):
    report = _checked(
        kinds_build,
        "bien-ban-218-truong-mau",
        tmp_path,
        _retext(lambda t: t == "CHỦ TỌA", "CHỦ TOẠ"),
    )
    assert _status(report)["SIGNER_LABELS"] == "PASS"


# -- body layout, attached text, qualified titles ----------------------------------------------


def test_centred_lines_are_not_body_paragraphs(kinds_build, tmp_path):
    long_line = (
        "Trường Đại học Mẫu, cơ sở đào tạo thuộc Bộ Giáo dục và Đào tạo, trân trọng giới thiệu:"
    )
    change = _retext(lambda t: t.endswith("trân trọng giới thiệu:"), long_line)
    report = _checked(kinds_build, "giay-gioi-thieu-222", tmp_path, change)
    assert _status(report)["BODY_LAYOUT"] == "PASS", report.lines()

    def justified(document):
        _find(document, lambda t: t == long_line).alignment = 3  # justify, no first-line indent

    report = _checked(kinds_build, "giay-gioi-thieu-222", tmp_path, change, justified)
    assert _status(report)["BODY_LAYOUT"] == "WARN"


def test_attached_quy_che_is_not_an_appendix(kinds_build, tmp_path):
    report = _checked(kinds_build, "quyet-dinh-226-quy-che", tmp_path)
    statuses = _status(report)
    assert statuses["APPENDIX"] == "SKIP", report.lines()
    assert "ATTACHED" in statuses
    assert not report.failed
    report = _checked(
        kinds_build,
        "quyet-dinh-226-quy-che",
        tmp_path,
        _remove(lambda t: t.startswith("(Kèm theo Quyết định")),
    )
    assert _status(report)["ATTACHED"] == "WARN"


def test_qualified_title_is_the_kind(kinds_build, tmp_path):
    report = _checked(
        kinds_build,
        "giay-moi-217-truong-mau",
        tmp_path,
        _retext(lambda t: t == "GIẤY MỜI", "GIẤY MỜI HỌP"),
    )
    assert report.kind == "Giấy mời" and _status(report)["DOC_TYPE"] == "PASS"


# -- auto: HD 36 or HD 05 by the document's own date --------------------------------------------


@pytest.mark.parametrize(
    ("date", "profile"),
    [
        ("Hà Nội, ngày 05 tháng 10 năm 2026", "party-hd05"),
        ("Hà Nội, ngày 27 tháng 5 năm 2026", "party-hd05"),
        ("Hà Nội, ngày 26 tháng 5 năm 2026", "party-hd36"),
        ("Hà Nội, ngày 12 tháng 9 năm 2022", "party-hd36"),
        ("Hà Nội, ngày      tháng 6 năm 2026", "party-hd05"),  # day left blank for the signing
    ],
)
def test_auto_picks_the_party_guide_by_the_document_date(kinds_build, tmp_path, date, profile):
    report = _checked(
        kinds_build, "cong-van-215", tmp_path, _retext(lambda t: t.startswith("Hà Nội, ngày"), date)
    )
    assert report.profile == profile
    assert _checked(kinds_build, "4275", tmp_path).profile == "party-hd36"
    assert _checked(kinds_build, "cong-van-215", tmp_path, profile="party").profile == "party-hd05"
