"""The printable form opens as a PDF whose text, Chinese included, reads back; photos are judged by content."""

import io
import uuid
from datetime import UTC, date, datetime

import pytest
from PIL import Image
from pypdf import PdfReader

from applications.adapters import images, pdf_form
from applications.domain.form import Applicant, printable_form
from applications.domain.photos import MAX_BYTES, Picture, photo_problem, size_problem
from contracts.applications.v1 import ApplicationDetails, BusinessForm
from contracts.enums import ApplicationStatus, ApplicationType, PracticeCategory

MAIN, NEW = uuid.uuid4(), uuid.uuid4()
FORM = BusinessForm(
    education="硕士研究生",
    graduated_from="北京中医药大学",
    major="中医学",
    contact_phone="13912345678",
    mailing_address="北京市东城区东直门内南小街16号",
    work_history="2016–2024 中医科医师",
)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_change_registration_form_prints_in_chinese():
    form = printable_form(
        application_id=uuid.uuid4(),
        kind=ApplicationType.CHANGE_REGISTRATION,
        status=ApplicationStatus.INSTITUTION_REVIEW,
        applicant=Applicant("欧阳·明", "110105********1234", PracticeCategory.TCM_SPECIALTY),
        details=ApplicationDetails(target_institution_id=NEW, reason="工作调动", form=FORM),
        institution_names={MAIN: "北京市第一人民医院", NEW: "北京协和医院"},
        reviewing_institution_id=NEW,
        current_institution_id=MAIN,
        submitted_at=datetime(2026, 6, 1, 8, 30, tzinfo=UTC),
    )
    pdf = pdf_form.render(form)
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    for expected in (
        "医师变更注册申请表",
        "欧阳·明",
        "110105********1234",
        "中医(专长)",
        "北京市第一人民医院",
        "拟变更执业机构",
        "北京协和医院",
        "工作调动",
        "北京中医药大学",
        "机构审核中",
        "卫生健康行政部门审批意见",
    ):
        assert expected in text, expected
    fonts = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    assert any("NotoSansSC" in str(f.get_object()["/BaseFont"]) for f in fonts.values())  # embedded, not assumed


def test_list_reasons_print_as_their_chinese_names():
    form = printable_form(
        application_id=uuid.uuid4(),
        kind=ApplicationType.DEREGISTRATION,
        status=ApplicationStatus.DRAFT,
        applicant=Applicant("李四", "440305********5678", PracticeCategory.CLINICAL),
        details=ApplicationDetails(reason="health", remark="长期病假"),
        institution_names={MAIN: "深圳市人民医院"},
        reviewing_institution_id=MAIN,
        current_institution_id=MAIN,
        submitted_at=None,
    )
    text = text_of(pdf_form.render(form))
    assert "身体健康原因不宜继续执业" in text
    assert "长期病假" in text
    assert "未提交" in text


def test_a_multi_site_form_shows_the_period():
    form = printable_form(
        application_id=uuid.uuid4(),
        kind=ApplicationType.MULTI_SITE_FILING,
        status=ApplicationStatus.APPROVED,
        applicant=Applicant("王五", "110105********0000", PracticeCategory.CLINICAL),
        details=ApplicationDetails(
            target_institution_id=NEW, multi_site_starts_on=date(2026, 7, 1), multi_site_ends_on=date(2027, 6, 30)
        ),
        institution_names={MAIN: "甲医院", NEW: "乙医院"},
        reviewing_institution_id=NEW,
        current_institution_id=MAIN,
        submitted_at=None,
    )
    text = text_of(pdf_form.render(form))
    assert "2026-07-01 至 2027-06-30" in text
    assert "多点执业机构" in text


def image_bytes(width: int, height: int, kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


@pytest.mark.parametrize(("kind", "media"), [("JPEG", "JPEG"), ("PNG", "PNG")])
def test_jpeg_and_png_photos_are_accepted(kind, media):
    content = image_bytes(413, 579, kind)
    picture = images.inspect(content)
    assert picture == Picture(media, 413, 579)
    assert photo_problem(len(content), picture) is None


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (image_bytes(413, 579, "GIF"), "Only JPEG or PNG"),
        (image_bytes(413, 579, "BMP"), "Only JPEG or PNG"),
        (b"%PDF-1.7 pretending to be a .jpg", "Only JPEG or PNG"),
        (image_bytes(413, 579, "JPEG")[:200], "Only JPEG or PNG"),  # cut off: the decoder notices
        (image_bytes(100, 579, "PNG"), "at least"),
        (image_bytes(413, 120, "JPEG"), "at least"),
        (image_bytes(4100, 600, "PNG"), "at most"),
    ],
)
def test_photos_judged_by_their_content(content, why):
    problem = photo_problem(len(content), images.inspect(content))
    assert problem is not None
    assert why in problem


def test_photo_sizes():
    assert size_problem(0) == "The photo is empty."
    assert "at most" in (size_problem(MAX_BYTES + 1) or "")
    assert size_problem(MAX_BYTES) is None
