"""The seed's journey in three browsers at once: a physician, the institution's staff and the authority's officer.

No HTTP call by hand for what people do: the physician registers and applies in the personal area, the staff
send the activation code and approve in the institution area, the officer ticks the paper materials and approves
in the authority area, the physician claims the licence and a stranger verifies it. Then the staff reject a photo
update with a reason, which the physician reads. Only the operator's set-up (the institution, the staff and officer
accounts, the qualification record) goes through the admin API, as in the other browser tests.
"""

from __future__ import annotations

import random
import re
import uuid

from browser.checks import PHONE, Checked, until_shown
from browser.test_physician_journey import file_initial_registration, nav, register_in_browser, until_visible
from playwright.sync_api import Browser, expect

from devstack.stack import Stack
from e2e.applying import a_photo
from e2e.journeys import an_id_number, new_institution, new_staff, next_sms_code

# 北京市西城区: a district no other suite files in, so the officer's queue (oldest first, twenty a page) opens
# with this journey's task, not behind the open tasks other suites leave in their regions
REGION = "110102"


def context(browser: Browser, name: str) -> Checked:
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", accept_downloads=True)  # type: ignore[arg-type]
    ctx.set_default_timeout(15_000)
    return Checked(ctx, name)


def sign_in_as(who: Checked, gateway: str, login: str, password: str, heading: str) -> None:
    page = who.page
    page.goto(f"{gateway}/sign-in")
    page.get_by_label("登录名").fill(login)
    page.get_by_label("登录密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def decide(who: Checked, outcome: str, reason: str | None = None, *, look: bool = True) -> None:
    page = who.page
    page.get_by_role("radio", name=outcome, exact=True).check()
    if reason:
        page.get_by_label("原因", exact=True).fill(reason)
    if look:
        who.look("decision-filled")
    page.get_by_role("button", name="提交审核意见").click()
    expect(page.get_by_role("status").filter(has_text="审核意见已提交")).to_be_visible()


def tick_materials(officer: Checked) -> None:
    """The officer ticks every paper material of the task's checklist (if it has one) and saves."""
    o = officer.page
    materials = o.get_by_role("group", name="逐项勾选已收到的纸质材料，然后保存。")
    if materials.count():
        for box in materials.get_by_role("checkbox").all():
            box.check()
        o.get_by_role("button", name="保存材料核对结果").click()
        expect(o.get_by_role("status").filter(has_text="材料核对结果已保存")).to_be_visible()
        expect(o.get_by_text("材料齐全", exact=True)).to_be_visible()


def test_physician_staff_and_officer_do_the_whole_journey_in_three_browsers(browser, gateway, running_stack, admin,
                                                                            tmp_path):  # fmt: skip
    stack: Stack = running_stack
    name, id_number = "司马·青", an_id_number()
    login, password, phone = f"tri{uuid.uuid4().hex[:8]}", "Practice2026", f"139{random.randint(10**7, 10**8 - 1)}"
    admin.ok("POST", "identity", "/admin/qualifications", json={
        "real_name": name, "id_number": id_number, "certificate_code": f"Q{random.randint(10**9, 10**10)}",
        "category": "clinical", "qualified_on": "2020-08-01",
    })  # fmt: skip
    institution_id = new_institution(admin, REGION, auto_activation=False)
    staff_login = new_staff(admin, "institution_staff", institution_id=institution_id)
    officer_login = new_staff(admin, "officer", region_code=REGION)

    physician, staff, officer = context(browser, "physician"), context(browser, "staff"), context(browser, "officer")
    try:
        # the staff and the officer sign in and land in their own areas
        sign_in_as(staff, gateway, *staff_login, heading="激活申请")
        expect(staff.page.get_by_role("navigation", name="机构版导航")).to_be_visible()
        staff.look("institution-activations-empty")
        sign_in_as(officer, gateway, *officer_login, heading="待审批业务")
        expect(officer.page.get_by_role("navigation", name="卫生健康行政部门导航")).to_be_visible()
        officer.look("authority-queue-empty")

        # the physician registers, signs in, verifies the phone and asks the institution to activate them
        p = physician.page
        register_in_browser(physician, gateway, stack, name=name, id_number=id_number, phone=phone, login=login,
                            password=password)  # fmt: skip
        p.get_by_label("登录名").fill(login)
        p.get_by_label("登录密码").fill(password)
        p.get_by_role("button", name="登录", exact=True).click()
        expect(p.get_by_role("heading", level=1)).to_have_text("我的账户")
        expect(p.get_by_text("医师资格信息校验通过")).to_be_visible()
        p.get_by_role("link", name="点击此处验证手机").click()
        seen = len(stack.sms_messages(phone))
        p.get_by_role("button", name="向手机发送校验码").click()
        p.get_by_label("校验码").fill(next_sms_code(stack, phone, seen))
        p.get_by_role("button", name="确定", exact=True).click()
        expect(p.get_by_role("heading", level=1)).to_have_text("账户激活")
        p.get_by_label("主要执业机构").select_option(value=institution_id)
        p.get_by_role("button", name="申请激活").click()
        expect(p.get_by_text("已向机构提出激活申请")).to_be_visible()

        # the staff send the activation code by SMS from the institution area
        s = staff.page
        send = s.get_by_role("button", name=f"通过短信发送激活码：{name}")
        until_shown(s, send)
        staff.look("institution-activation-request")
        seen = len(stack.sms_messages(phone))
        send.click()
        expect(s.get_by_role("status").filter(has_text=f"已向 {name} 发送激活码")).to_be_visible()
        staff.look("institution-code-sent")
        s.get_by_label("按状态筛选").select_option(value="all")
        expect(s.get_by_role("definition").filter(has_text="已发送激活码")).to_be_visible()

        # the physician activates with the code from the SMS, then files an initial registration
        p.get_by_label("激活码").fill(next_sms_code(stack, phone, seen))
        p.get_by_role("button", name="激活我的账户").click()
        expect(p.get_by_text("账户激活成功")).to_be_visible()
        photo = tmp_path / "photo.jpg"
        photo.write_bytes(a_photo())
        application_id = file_initial_registration(physician, institution_id, photo)

        # the staff review it in the queue: details, photo, printable form, approve
        s.get_by_role("navigation").get_by_role("link", name="业务审核").click()
        expect(s.get_by_role("heading", level=1)).to_have_text("业务审核")
        task_link = s.get_by_role("link", name=f"{name} · 执业注册")
        until_shown(s, task_link)
        s.get_by_label("业务类型").select_option(value="initial_registration")
        s.get_by_role("button", name="筛选").click()
        expect(task_link).to_be_visible()
        staff.look("institution-review-queue")
        task_link.click()
        expect(s.get_by_role("heading", level=1)).to_have_text("审核业务：执业注册")
        expect(s.get_by_role("img", name="医师提交的个人照片")).to_be_visible()
        expect(s.get_by_text(application_id)).to_be_visible()
        with s.expect_download() as download:
            s.get_by_role("button", name="下载业务打印表单（PDF）").click()
        assert download.value.path().read_bytes().startswith(b"%PDF")
        staff.look("institution-review-task")
        s.get_by_role("button", name="提交审核意见").click()  # no outcome chosen: the error beside the field
        expect(s.get_by_role("alert")).to_contain_text("请选择审核结论")
        staff.look("institution-decision-error")
        decide(staff, "通过")
        staff.look("institution-approved")

        # the officer: the regional queue, the task, the paper materials ticked, approve
        o = officer.page
        officer_link = o.get_by_role("link", name=f"{name} · 执业注册")
        until_shown(o, officer_link)
        expect(o.get_by_text("办理期限").first).to_be_visible()
        officer.look("authority-queue")
        officer_link.click()
        expect(o.get_by_role("heading", level=1)).to_have_text("审批业务：执业注册")
        expect(o.get_by_role("img", name="医师提交的个人照片")).to_be_visible()
        tick_materials(officer)
        officer.look("authority-task-materials")
        decide(officer, "通过")
        officer.look("authority-approved")
        o.get_by_role("link", name="查询该医师的注册历史").click()
        expect(o.get_by_role("heading", level=1)).to_have_text("医师查询")
        expect(o.get_by_role("heading", name="注册历史")).to_be_visible()
        officer.look("authority-physician-lookup")

        # the physician sees the approval, claims the licence; a stranger verifies it
        until_visible(p, "已批准")
        nav(p, "电子证照")
        p.get_by_role("button", name="申领|亮照").click()
        expect(p.get_by_role("img", name=re.compile("电子证照 .*含核验二维码"))).to_be_visible()
        physician.look("licence")
        qr_url = p.get_by_role("link", name="打开核验页面").get_attribute("href")
        # the QR code's address: the gateway in capitals (the QR code's alphanumeric mode), the credential in it
        assert qr_url and qr_url.startswith(f"{gateway.upper()}/V/RL1:")
        stranger = context(browser, "stranger")
        try:
            stranger.page.goto(qr_url)
            expect(stranger.page.get_by_role("status").get_by_text("有效", exact=True)).to_be_visible()
            expect(stranger.page.get_by_text(name).first).to_be_visible()
            stranger.look("verify-valid")
        finally:
            stranger.context.close()

        # the roster now lists the physician at the institution
        s.get_by_role("navigation").get_by_role("link", name="本机构医师").click()
        expect(s.get_by_role("heading", name=name)).to_be_visible()
        staff.look("institution-roster")

        # a photo update, rejected by the staff with a reason the physician reads
        nav(p, "业务申请")
        p.get_by_role("link", name="点击进入：信息维护·更新照片").click()
        second = tmp_path / "photo2.jpg"
        second.write_bytes(a_photo())
        p.get_by_label("个人照片").set_input_files(str(second))
        expect(p.get_by_role("img", name="所选照片预览")).to_be_visible()
        while not p.get_by_role("button", name="提交此业务").is_visible():
            p.get_by_role("button", name="确认，下一步").click()
            p.wait_for_timeout(300)
        p.get_by_role("button", name="提交此业务").click()
        expect(p.get_by_text("业务已提交")).to_be_visible()

        s.get_by_role("navigation").get_by_role("link", name="业务审核").click()
        update_link = s.get_by_role("link", name=f"{name} · 信息维护·更新照片")
        until_shown(s, update_link)
        update_link.click()
        s.get_by_role("radio", name="不通过", exact=True).check()
        s.get_by_role("button", name="提交审核意见").click()  # no reason: refused beside the field
        expect(s.get_by_text("请填写不通过的原因").first).to_be_visible()
        staff.look("institution-reject-needs-reason")
        reason = "照片背景不是白色，请重新拍摄。"
        decide(staff, "不通过", reason)

        until_visible(p, "未通过")
        expect(p.get_by_text(reason)).to_be_visible()
        physician.look("photo-update-rejected")
    finally:
        for who in (physician, staff, officer):
            who.context.close()
