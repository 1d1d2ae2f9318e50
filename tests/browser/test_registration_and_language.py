"""Registration's field errors beside their fields (and summarised at the top); the language switch."""

from __future__ import annotations

import random
import uuid

from playwright.sync_api import Page, expect

from devstack.stack import Stack
from e2e.journeys import an_id_number


def error_beside(page: Page, label: str) -> str:
    """The error message the field labelled `label` points to with aria-describedby ('' if none)."""
    field = page.get_by_label(label).first
    described = (field.get_attribute("aria-describedby") or "").split()
    error_ids = [i for i in described if i.endswith("-error")]
    return page.locator(f"[id='{error_ids[0]}']").inner_text() if error_ids else ""


def summary(page: Page) -> str:
    return page.get_by_role("alert").filter(has=page.get_by_role("heading", name="请更正以下问题")).inner_text()


def step_one(page: Page, stack: Stack, *, name: str, id_number: str, captcha: str | None = None) -> None:
    page.get_by_label("您的姓名").fill(name)
    page.get_by_label("身份证号").fill(id_number)
    page.get_by_label("验证码").last.fill(captcha or stack.settings["IDENTITY_CAPTCHA_TEST_ANSWER"])
    page.get_by_label("我已阅读并同意隐私政策").check()
    page.get_by_role("button", name="确定，继续").click()


def test_every_registration_field_error_shows_beside_its_field(visitor, gateway, running_stack):
    stack, page = running_stack, visitor.page
    page.goto(f"{gateway}/register")
    page.get_by_role("button", name="确定，继续").click()  # nothing filled in
    for label in ("您的姓名", "身份证号", "验证码"):
        assert error_beside(page, label), f"no error beside {label}"
    assert error_beside(page, "我已阅读并同意隐私政策").endswith("请阅读并勾选同意隐私政策")
    assert "请更正以下问题" in summary(page)
    visitor.look("step-1-empty")

    step_one(page, stack, name="Zhang3", id_number="110105199001011230")  # letters in a name, a wrong check digit
    expect(page.get_by_label("您的姓名")).to_have_attribute("aria-invalid", "true")
    assert error_beside(page, "您的姓名")
    assert error_beside(page, "身份证号")
    visitor.look("step-1-invalid")

    step_one(page, stack, name="欧阳·明", id_number=an_id_number(), captcha="WRONG")
    expect(page.get_by_label("验证码").last).to_have_attribute("aria-invalid", "true")
    assert error_beside(page, "验证码")
    visitor.look("step-1-captcha")

    step_one(page, stack, name="欧阳·明", id_number=an_id_number())
    expect(page.get_by_label("手机号")).to_be_visible()
    page.get_by_role("button", name="确定", exact=True).click()  # nothing filled in
    for label in ("手机号", "电子邮箱", "登录名", "登录密码", "确认密码"):
        assert error_beside(page, label), f"no error beside {label}"

    # the service checks the request's shape first, then the rules: each bad field is named in one round or the next
    bad = {"手机号": "12345", "电子邮箱": "not-an-address", "登录名": "a!", "登录密码": "onlyletters"}
    good = {"手机号": "13912345678", "电子邮箱": "good@example.cn", "登录名": f"ok{uuid.uuid4().hex[:6]}",
            "登录密码": "Practice2026"}  # fmt: skip
    for label, value in bad.items():
        page.get_by_label(label).fill(value)
    page.get_by_label("确认密码").fill("onlyletters")
    named: set[str] = set()
    for round_ in range(3):
        page.get_by_role("button", name="确定", exact=True).click()
        expect(page.get_by_role("alert").first).to_be_visible()
        page.wait_for_load_state("networkidle")
        now = {label for label in bad if error_beside(page, label)}
        assert now, "the service named no field"
        visitor.look(f"step-2-invalid-{round_}")
        named |= now
        if named == set(bad):
            break
        for label in now:
            page.get_by_label(label).fill(good[label])
            if label == "登录密码":
                page.get_by_label("确认密码").fill(good[label])
    assert named == set(bad)

    page.get_by_label("手机号").fill(f"139{random.randint(10**7, 10**8 - 1)}")
    page.get_by_label("电子邮箱").fill(f"x{uuid.uuid4().hex[:6]}@example.cn")
    page.get_by_label("登录名").fill("admin")  # taken
    page.get_by_label("登录密码").fill("Practice2026")
    page.get_by_label("确认密码").fill("Practice2027")
    page.get_by_role("button", name="确定", exact=True).click()
    expect(page.get_by_label("确认密码")).to_have_attribute("aria-invalid", "true")
    assert error_beside(page, "确认密码")
    visitor.look("step-2-mismatch")

    page.get_by_label("确认密码").fill("Practice2026")
    page.get_by_role("button", name="确定", exact=True).click()
    expect(page.get_by_label("登录名")).to_have_attribute("aria-invalid", "true")
    assert error_beside(page, "登录名")
    visitor.look("step-2-login-taken")


def test_the_language_switch_turns_every_text_to_english_and_back(visitor, gateway):
    page = visitor.page
    page.goto(gateway)
    expect(page.get_by_role("heading", level=1)).to_have_text("医师电子化注册")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Physician electronic registration")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Sign in").first.click()
    expect(page.get_by_label("Login name")).to_be_visible()
    visitor.look("sign-in-english")
    page.get_by_role("link", name="Verify an e-licence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify an e-licence")
    visitor.look("verify-english")
    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("电子证照核验")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
