"""Every application type of DOMAIN.md §2 through the three portals, in four browsers at once: a physician, the staff
of two institutions (A, where the physician first registers, and B, where they move) and a provincial officer.

No HTTP call by hand for what people do. The staff reject an initial registration with a reason the physician reads;
the physician submits it again and it goes through. A change of institution is withdrawn, then submitted again. Then
a multi-site filing, its cancellation, a photo update, a practice filing, its cancellation and a deregistration,
each reviewed by the institution the domain names and, where the type has an authority step, by the officer.
The officer is of the province (210000) and the institutions are in one of its districts (210102): regions nest.
On the way: the review queue's search and status filter, the roster's search and CSV export, how the physician was
activated, and the officer's look-up by ID number with the registration history.

Only the operator's set-up (the institutions, the staff and officer accounts) and the physician's account up to
activation go through the APIs, with the e2e helpers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from browser.checks import Checked, until_shown
from browser.test_physician_journey import file_initial_registration, fill_business_form, nav, until_visible
from browser.test_three_roles import context, decide, sign_in_as, tick_materials
from playwright.sync_api import Browser, Page, expect

from devstack.stack import Stack
from e2e.applying import a_photo
from e2e.journeys import Physician, active_physician, new_institution, new_staff

# 辽宁省 and 沈阳市和平区: a province no other suite files in, so the officer's queue (soonest due first, twenty a
# page) opens with this journey's tasks
PROVINCE, DISTRICT = "210000", "210102"
STRANGER = "诸葛·亮"  # a name that finds nobody at these institutions


def today_in_beijing() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def start(physician: Checked, kind: str) -> Page:
    page = physician.page
    nav(page, "业务申请")
    page.get_by_role("link", name=f"点击进入：{kind}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(kind)
    return page


def submit(physician: Checked, label: str, *, with_form: bool) -> None:
    """From the filled-in first step: the business form (where the type has one), the check page, submit."""
    page = physician.page
    page.get_by_role("button", name="确认，下一步").click()
    if with_form:
        expect(page.get_by_label("学历")).to_be_visible()
        if not page.get_by_label("学历").input_value():
            fill_business_form(page)
        page.get_by_role("button", name="确认，下一步").click()
    expect(page.get_by_role("heading", name="核对业务信息")).to_be_visible()
    physician.look(f"{label}-check")
    page.get_by_role("button", name="提交此业务").click()
    expect(page.get_by_text("业务已提交")).to_be_visible()


def apply_for(physician: Checked, kind: str, label: str, fill: Callable[[Page], None], *, with_form: bool) -> None:
    fill(start(physician, kind))
    physician.look(f"{label}-details")
    submit(physician, label, with_form=with_form)


def staff_review(staff: Checked, name: str, kind: str, outcome: str = "通过", reason: str | None = None) -> None:
    s = staff.page
    nav(s, "业务审核")
    task = s.get_by_role("link", name=f"{name} · {kind}")
    until_shown(s, task)
    task.click()
    expect(s.get_by_role("heading", level=1)).to_have_text(f"审核业务：{kind}")
    staff.look(f"review-{kind}")
    decide(staff, outcome, reason, look=False)


def officer_approves(officer: Checked, name: str, kind: str) -> None:
    o = officer.page
    nav(o, "待审批业务")
    task = o.get_by_role("link", name=f"{name} · {kind}")
    until_shown(o, task)
    task.click()
    expect(o.get_by_role("heading", level=1)).to_have_text(f"审批业务：{kind}")
    tick_materials(officer)
    officer.look(f"authority-{kind}")
    decide(officer, "通过", look=False)


def approved(physician: Checked, staff: Checked, officer: Checked | None, name: str, kind: str) -> None:
    """The institution approves, then the officer (unless the type has no authority step); the physician sees it."""
    staff_review(staff, name, kind)
    if officer is not None:
        officer_approves(officer, name, kind)
    until_visible(physician.page, "已批准")


def rejected_then_resubmitted(doctor: Physician, physician: Checked, staff: Checked, institution_id: str,
                              photo: Path) -> None:  # fmt: skip
    """The staff find the application by the physician's ID number, reject it with a reason; the physician reads
    the reason and submits it again from the rejected one (its answers filled in)."""
    file_initial_registration(physician, institution_id, photo)
    s = staff.page
    nav(s, "业务审核")
    s.get_by_label("医师姓名").fill(STRANGER)
    s.get_by_role("button", name="筛选").click()
    expect(s.get_by_text("没有符合条件的业务。")).to_be_visible()
    staff.look("review-queue-nobody-found")
    s.get_by_label("医师姓名").fill("")
    s.get_by_label("身份证号").fill(doctor.id_number)  # a whole number: the service masks it before comparing
    s.get_by_role("button", name="筛选").click()
    until_shown(s, s.get_by_role("link", name=f"{doctor.real_name} · 执业注册"))
    staff.look("review-queue-found-by-id-number")
    reason = "执业范围须写明具体专业，例如“内科专业”，请补充后重新提交。"
    staff_review(staff, doctor.real_name, "执业注册", "不通过", reason)

    p = physician.page
    until_visible(p, "未通过")
    expect(p.get_by_text(reason)).to_be_visible()
    physician.look("initial-rejected")
    p.get_by_role("link", name="再次提交").click()
    expect(p.get_by_label("执业范围")).to_have_value("内科专业")  # filled in from the rejected application
    expect(p.get_by_label("拟执业机构")).to_have_value(institution_id)
    p.get_by_label("个人照片").set_input_files(str(photo))
    expect(p.get_by_role("img", name="所选照片预览")).to_be_visible()
    p.get_by_label("执业范围").fill("内科专业、急诊医学专业")
    physician.look("initial-resubmit")
    submit(physician, "initial-resubmit", with_form=True)


def withdrawn_then_changed(doctor: Physician, physician: Checked, staff_b: Checked, officer: Checked,
                           new_institution_id: str) -> None:  # fmt: skip
    """A change of institution withdrawn before B decides (B's queue shows it withdrawn), then filed again."""

    def fill(page: Page) -> None:
        page.get_by_label("拟执业机构名称（新机构）").select_option(value=new_institution_id)
        page.get_by_label("理由").fill("工作调动，到新机构执业。")

    apply_for(physician, "变更注册", "change", fill, with_form=True)
    p = physician.page
    p.get_by_role("button", name="撤回申请").click()
    p.get_by_label("撤回原因（选填）").fill("新机构的名称选错了")
    physician.look("withdraw-confirm")
    p.get_by_role("button", name="确认撤回").click()
    expect(p.get_by_role("status").filter(has_text="已申请撤回")).to_be_visible()  # the institution settles it
    physician.look("withdrawal-requested")
    until_shown(p, p.get_by_text("已撤回", exact=True))
    physician.look("withdrawn")

    s = staff_b.page
    nav(s, "业务审核")
    s.get_by_label("状态", exact=True).select_option(value="withdrawn")
    s.get_by_role("button", name="筛选").click()
    until_shown(s, s.get_by_role("link", name=f"{doctor.real_name} · 变更注册"))
    staff_b.look("review-queue-withdrawn")
    s.get_by_label("状态", exact=True).select_option(value="open")
    s.get_by_role("button", name="筛选").click()

    p.get_by_role("link", name="再次提交").click()
    expect(p.get_by_label("拟执业机构名称（新机构）")).to_have_value(new_institution_id)
    submit(physician, "change-again", with_form=True)
    approved(physician, staff_b, officer, doctor.real_name, "变更注册")


def multi_site_then_cancelled(doctor: Physician, physician: Checked, staff_a: Checked, officer: Checked,
                              institution_id: str) -> None:  # fmt: skip
    """A multi-site filing at A (no longer the main institution), A's roster with its period, searched and
    exported as CSV; then the filing is cancelled."""
    starts, ends = today_in_beijing(), today_in_beijing() + timedelta(days=365)

    def fill(page: Page) -> None:
        page.get_by_label("拟执业机构").select_option(value=institution_id)
        page.get_by_label("有效期开始时间").fill(starts.isoformat())
        page.get_by_label("有效期结束时间").fill(ends.isoformat())

    apply_for(physician, "多点执业备案", "multi-site", fill, with_form=True)
    approved(physician, staff_a, officer, doctor.real_name, "多点执业备案")
    roster_found_and_exported(doctor, staff_a, ends)

    def cancel(page: Page) -> None:
        page.get_by_label("要取消的多点执业备案").select_option(index=1)
        page.get_by_label("理由").fill("合作项目已结束。")

    apply_for(physician, "取消多点执业备案", "cancel-multi-site", cancel, with_form=False)
    approved(physician, staff_a, officer, doctor.real_name, "取消多点执业备案")


def roster_found_and_exported(doctor: Physician, staff: Checked, ends: date) -> None:
    s = staff.page
    nav(s, "本机构医师")
    s.get_by_label("医师姓名").fill(STRANGER)
    s.get_by_role("button", name="筛选").click()
    expect(s.get_by_text("暂无医师。")).to_be_visible()
    s.get_by_label("医师姓名").fill("")
    s.get_by_label("身份证号").fill(doctor.id_number)
    s.get_by_label("执业方式").select_option(value="multi_site")
    s.get_by_role("button", name="筛选").click()
    card = s.get_by_role("listitem").filter(has=s.get_by_role("heading", name=doctor.real_name))
    expect(card).to_have_count(1)
    expect(card.get_by_text("多机构备案")).to_be_visible()
    expect(card.get_by_text(f"{ends.year}年{ends.month:02d}月{ends.day:02d}日")).to_be_visible()
    staff.look("roster-multi-site")
    with s.expect_download() as download:
        s.get_by_role("button", name="导出为 CSV 文件").click()
    rows = Path(download.value.path()).read_bytes().decode("utf-8-sig").splitlines()
    assert rows[0].startswith("姓名,身份证号（脱敏）,执业证书编码"), rows[0]
    assert len(rows) == 2 and rows[1].startswith(f"{doctor.real_name},") and "多点执业" in rows[1], rows


def photo_update(doctor: Physician, physician: Checked, staff_b: Checked, tmp_path: Path) -> None:
    new_photo = tmp_path / "new-photo.jpg"
    new_photo.write_bytes(a_photo())

    def fill(page: Page) -> None:
        page.get_by_label("个人照片").set_input_files(str(new_photo))
        expect(page.get_by_role("img", name="所选照片预览")).to_be_visible()

    apply_for(physician, "信息维护·更新照片", "photo-update", fill, with_form=False)
    approved(physician, staff_b, None, doctor.real_name, "信息维护·更新照片")  # no authority step


def filed_resumed_and_deregistered(doctor: Physician, physician: Checked, staff_b: Checked, officer: Checked) -> None:
    def filing(page: Page) -> None:
        page.get_by_label("理由").select_option(value="full_time_study")
        page.get_by_label("备注（选填）").fill("脱产攻读博士学位。")

    apply_for(physician, "执业备案", "practice-filing", filing, with_form=False)
    approved(physician, staff_b, officer, doctor.real_name, "执业备案")

    def resume(page: Page) -> None:
        page.get_by_label("理由").fill("学业完成，回到本机构执业。")

    apply_for(physician, "取消备案", "cancel-filing", resume, with_form=False)
    approved(physician, staff_b, officer, doctor.real_name, "取消备案")

    def deregister(page: Page) -> None:
        page.get_by_label("理由").select_option(value="stopped_practising")

    apply_for(physician, "注销", "deregistration", deregister, with_form=False)
    approved(physician, staff_b, officer, doctor.real_name, "注销")


def officer_looks_up(doctor: Physician, officer: Checked) -> None:
    o = officer.page
    nav(o, "医师查询")
    o.get_by_role("button", name="查询", exact=True).click()  # nothing entered: the error at the top and beside
    expect(o.get_by_role("alert")).to_contain_text("请至少填写姓名、医师执业证书编码或身份证号中的一项")
    officer.look("lookup-empty")
    o.get_by_label("身份证号").fill(doctor.id_number)
    o.get_by_role("button", name="查询", exact=True).click()
    expect(o.get_by_role("heading", name="查询结果（1 名医师）")).to_be_visible()
    officer.look("lookup-found")
    o.get_by_role("button", name=f"查看注册信息和注册历史：{doctor.real_name}").click()
    current = o.get_by_role("region", name=f"当前注册信息：{doctor.real_name}")
    expect(current.get_by_text("已注销", exact=True)).to_be_visible()
    history = o.get_by_role("region", name="注册历史")
    for cause in ("执业注册", "变更注册", "多点执业备案", "取消多点执业备案", "信息维护·更新照片", "执业备案",
                  "取消备案", "注销"):  # fmt: skip
        expect(history.get_by_text(cause, exact=True).first).to_be_visible()
    officer.look("lookup-history")


@pytest.mark.timeout(900)  # eleven applications through four browsers: minutes on a loaded machine; fixtures count
def test_every_application_type_through_the_three_portals(browser: Browser, gateway: str, running_stack: Stack,
                                                          admin, tmp_path: Path) -> None:  # fmt: skip
    institution_a = new_institution(admin, DISTRICT, auto_activation=True)
    institution_b = new_institution(admin, DISTRICT, auto_activation=True)
    staff_a_login = new_staff(admin, "institution_staff", institution_id=institution_a)
    staff_b_login = new_staff(admin, "institution_staff", institution_id=institution_b)
    officer_login = new_staff(admin, "officer", region_code=PROVINCE)
    doctor = active_physician(running_stack, admin, institution_a)  # activated automatically by A

    physician, staff_a = context(browser, "physician"), context(browser, "staff-a")
    staff_b, officer = context(browser, "staff-b"), context(browser, "officer")
    try:
        sign_in_as(physician, gateway, doctor.login, doctor.password, heading="我的账户")
        sign_in_as(staff_a, gateway, *staff_a_login, heading="激活申请")
        sign_in_as(staff_b, gateway, *staff_b_login, heading="激活申请")
        sign_in_as(officer, gateway, *officer_login, heading="待审批业务")

        # A's staff see how the physician was activated
        staff_a.page.get_by_label("按状态筛选").select_option(value="all")
        granted = staff_a.page.get_by_role("listitem").filter(has_text=doctor.real_name)
        expect(granted.get_by_text("自动激活", exact=True)).to_be_visible()
        staff_a.look("activations-granted")

        photo = tmp_path / "photo.jpg"
        photo.write_bytes(a_photo())
        rejected_then_resubmitted(doctor, physician, staff_a, institution_a, photo)
        approved(physician, staff_a, officer, doctor.real_name, "执业注册")  # the province decides for its district

        withdrawn_then_changed(doctor, physician, staff_b, officer, institution_b)
        multi_site_then_cancelled(doctor, physician, staff_a, officer, institution_a)
        photo_update(doctor, physician, staff_b, tmp_path)
        filed_resumed_and_deregistered(doctor, physician, staff_b, officer)
        officer_looks_up(doctor, officer)
    finally:
        for who in (physician, staff_a, staff_b, officer):
            who.context.close()
