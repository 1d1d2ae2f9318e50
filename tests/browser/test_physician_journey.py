"""A new physician, in a real browser at phone size, from registration to the e-licence a stranger verifies."""

from __future__ import annotations

import random
import re
import uuid
from pathlib import Path

from browser.checks import Checked, until_shown
from playwright.sync_api import Page, expect

from devstack.stack import Stack
from e2e.applying import a_photo, authority_decides, institution_decides
from e2e.journeys import an_id_number, new_institution, new_staff, next_sms_code, sign_in

REGION = "110105"


def nav(page: Page, name: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=name).click()


def until_visible(page: Page, text: str) -> None:
    until_shown(page, page.get_by_text(text, exact=True))


def register_in_browser(visitor: Checked, gateway: str, stack: Stack, *, name: str, id_number: str, phone: str,
                        login: str, password: str) -> None:  # fmt: skip
    page = visitor.page
    page.goto(gateway)
    visitor.look("home")
    page.get_by_role("link", name="注册新账号").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("注册新账号")
    visitor.look("register-step-1")
    page.get_by_label("您的姓名").fill(name)
    page.get_by_label("身份证号").fill(id_number)
    page.get_by_label("验证码", exact=False).last.fill(stack.settings["IDENTITY_CAPTCHA_TEST_ANSWER"])
    page.get_by_label("我已阅读并同意隐私政策").check()
    page.get_by_role("button", name="确定，继续").click()
    expect(page.get_by_label("手机号")).to_be_visible()
    visitor.look("register-step-2")
    page.get_by_label("手机号").fill(phone)
    page.get_by_label("电子邮箱").fill(f"{login}@example.cn")
    page.get_by_label("登录名").fill(login)
    page.get_by_label("登录密码").fill(password)
    page.get_by_label("确认密码").fill(password)
    page.get_by_role("button", name="确定", exact=True).click()
    expect(page.get_by_role("heading", name="电子化账户注册成功")).to_be_visible()
    visitor.look("register-done")
    page.get_by_role("link", name="点击下一步（登录）").click()


def sign_in_browser(visitor: Checked, login: str, password: str) -> None:
    page = visitor.page
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
    visitor.look("sign-in")
    page.get_by_label("登录名").fill(login)
    page.get_by_label("登录密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的账户")


def fill_business_form(page: Page) -> None:
    """The printable business form's required fields (业务打印表单)."""
    for label, value in (("学历", "本科"), ("毕业院校", "北京大学医学部"), ("所学专业", "临床医学"),
                         ("联系电话", "13912345678"), ("通讯地址", "北京市朝阳区建国路1号")):  # fmt: skip
        page.get_by_label(label).fill(value)


def file_initial_registration(visitor: Checked, institution_id: str, photo: Path) -> str:
    page = visitor.page
    nav(page, "业务申请")
    expect(page.get_by_role("link", name="点击进入：执业注册")).to_be_visible()
    visitor.look("apply")
    page.get_by_role("link", name="点击进入：执业注册").click()
    page.get_by_label("个人照片").set_input_files(str(photo))
    expect(page.get_by_role("img", name="所选照片预览")).to_be_visible()
    page.get_by_label("拟执业机构").select_option(value=institution_id)
    page.get_by_label("执业范围").fill("内科专业")
    visitor.look("apply-initial-details")
    page.get_by_role("button", name="确认，下一步").click()
    fill_business_form(page)
    visitor.look("apply-initial-form")
    page.get_by_role("button", name="确认，下一步").click()
    expect(page.get_by_role("heading", name="核对业务信息")).to_be_visible()
    visitor.look("apply-initial-check")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载业务打印表单（PDF）").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    page.get_by_role("button", name="提交此业务").click()
    expect(page.get_by_text("业务已提交")).to_be_visible()
    visitor.look("application-submitted")
    return page.url.rsplit("/", 1)[-1].split("?")[0]


def test_a_new_physician_gets_an_e_licence_that_a_stranger_verifies(visitor, browser, gateway, running_stack, admin,
                                                                      tmp_path):  # fmt: skip
    stack = running_stack
    name, id_number = "欧阳·明", an_id_number()
    login, password, phone = f"web{uuid.uuid4().hex[:8]}", "Practice2026", f"138{random.randint(10**7, 10**8 - 1)}"
    admin.ok("POST", "identity", "/admin/qualifications", json={
        "real_name": name, "id_number": id_number, "certificate_code": f"Q{random.randint(10**9, 10**10)}",
        "category": "clinical", "qualified_on": "2020-08-01",
    })  # fmt: skip
    institution_id = new_institution(admin, REGION, auto_activation=True)
    staff = sign_in(stack, *new_staff(admin, "institution_staff", institution_id=institution_id))
    officer = sign_in(stack, *new_staff(admin, "officer", region_code=REGION))
    page = visitor.page

    register_in_browser(visitor, gateway, stack, name=name, id_number=id_number, phone=phone, login=login,
                        password=password)  # fmt: skip
    sign_in_browser(visitor, login, password)
    expect(page.get_by_text("医师资格信息校验通过")).to_be_visible()
    visitor.look("account-verified")
    page.reload()  # the session survives a reload: its refresh token is an HttpOnly cookie, not page memory
    expect(page.get_by_role("heading", level=1)).to_have_text("我的账户")
    assert page.evaluate("document.cookie") == "", "script on the page reads no cookie"

    page.get_by_role("link", name="点击此处验证手机").click()
    seen = len(stack.sms_messages(phone))
    page.get_by_role("button", name="向手机发送校验码").click()
    expect(page.get_by_role("button", name=re.compile("秒后可重新发送"))).to_be_disabled()
    page.get_by_label("校验码").fill(next_sms_code(stack, phone, seen))
    visitor.look("verify-phone")
    page.get_by_role("button", name="确定", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("账户激活")
    page.get_by_label("主要执业机构").select_option(value=institution_id)
    page.get_by_role("button", name="申请激活").click()
    expect(page.get_by_text("已向机构提出激活申请")).to_be_visible()
    visitor.look("activation")
    until_visible(page, "账户激活成功")  # the institution activates automatically: refresh shows it

    photo = tmp_path / "photo.jpg"
    photo.write_bytes(a_photo())
    application_id = file_initial_registration(visitor, institution_id, photo)

    institution_decides(staff, application_id, "approved")
    authority_decides(officer, application_id, "approved")
    until_visible(page, "已批准")
    visitor.look("application-approved")

    nav(page, "我的业务")
    expect(page.get_by_role("link", name="执业注册")).to_be_visible()
    visitor.look("my-applications")

    nav(page, "电子证照")
    page.get_by_role("button", name="申领|亮照").click()
    expect(page.get_by_role("img", name=re.compile("电子证照 .*含核验二维码"))).to_be_visible()
    visitor.look("licence")
    qr_url = page.get_by_role("link", name="打开核验页面").get_attribute("href")
    # the QR code's address: the gateway in capitals (the QR code's alphanumeric mode), the credential in it
    assert qr_url and qr_url.startswith(f"{gateway.upper()}/V/RL1:")

    nav(page, "消息")
    expect(page.get_by_role("heading", level=1)).to_have_text("消息")
    visitor.look("inbox")
    nav(page, "安全设置")
    visitor.look("security")

    stranger = Checked(browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN"), "stranger")
    try:
        stranger.page.goto(qr_url)
        expect(stranger.page.get_by_role("status").get_by_text("有效", exact=True)).to_be_visible()
        expect(stranger.page.get_by_text("欧阳·明").first).to_be_visible()
        stranger.look("verify-qr-valid")
    finally:
        stranger.context.close()

    # the physician signs out on every device: back at sign-in, and a reload finds no session to restore
    page.get_by_role("button", name="在所有设备上退出登录").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
    page.goto(f"{gateway}/me")
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
