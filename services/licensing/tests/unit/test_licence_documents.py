import io

import segno
from PIL import Image
from pypdf import PdfReader

from licensing.adapters.licence_documents import render_pdf, render_png, sheet

CONTENT = {
    "number": "DZ11010520260000101",
    "edition": 1,
    "name": "欧阳·明",
    "id_number_masked": "110105********1234",
    "certificate_number": "110105202600001",
    "category": "clinical",
    "category_name": "临床",
    "practice_scope": "内科专业",
    "main_institution": {"name": "北京市第一人民医院"},
    "multi_sites": [{"name": "朝阳区社区卫生服务中心", "starts_on": "2026-01-01", "ends_on": "2027-01-01"}],
    "photo_sha256": None,
    "issued_on": "2026-11-22",
    "expires_on": "2029-11-21",
    "issuer_name": "卫生健康行政部门",
}
QR_TEXT = "HTTPS://VERIFY.EXAMPLE/V/RL1:6BFOXN%25TS3DH0YOJ58S%20S-W5HDC*M0II5EJ"  # alphanumeric, as licences print


def test_the_png_carries_a_qr_code_of_the_verification_address():
    image = Image.open(io.BytesIO(render_png(sheet(CONTENT, status="valid", qr_text=QR_TEXT)))).convert("L")
    assert image.format is None or image.size == (1400, 900)
    expected = segno.make(QR_TEXT, error="m", micro=False)
    modules = expected.symbol_size(scale=1, border=0)[0]
    scale = 460 // (modules + 4)
    left, top = 1400 - 460 - 50 + 2 * scale, 130 + 2 * scale
    read = [
        [image.getpixel((left + x * scale + scale // 2, top + y * scale + scale // 2)) < 128 for x in range(modules)]
        for y in range(modules)
    ]
    assert read == [[bool(m) for m in row] for row in expected.matrix]


def test_the_pdf_sets_the_chinese_text_in_an_embedded_font():
    pdf = PdfReader(io.BytesIO(render_pdf(sheet(CONTENT, status="revoked", qr_text=QR_TEXT))))
    # pypdf reads fpdf2's two-byte codes with a NUL before each character; the ToUnicode map itself is right
    text = pdf.pages[0].extract_text().replace("\x00", "")
    for shown in ("医师执业电子证照", "欧阳·明", "北京市第一人民医院", "110105********1234", "已吊销", "内科专业"):
        assert shown in text, shown
    fonts = pdf.pages[0]["/Resources"]["/Font"]
    descriptors = [f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts.values()]
    assert any("/FontFile2" in d or "/FontFile3" in d for d in descriptors)
