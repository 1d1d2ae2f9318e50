"""The operator portal in a browser: institutions added and edited, a CSV import with bad rows (dry run first, the
progress, the rejected rows with their lines and reasons, the rejects as a file), accounts created, found,
locked and unlocked, disabled and enabled, both signing keys rotated, and the audit view showing all of it.

A real operator account signs in through the portal; only that account is made through the admin API (by the
bootstrap administrator, as the other browser tests make their staff). The staff account the operator creates
signs in, in a browser of its own, to show what disabling and enabling do.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from browser.checks import Checked
from browser.test_physician_journey import nav
from browser.test_three_roles import context, sign_in_as
from playwright.sync_api import Browser, Locator, Page, expect
from stdnum.cn import uscc

from devstack.stack import Stack
from e2e.journeys import a_credit_code, new_staff

# 河北省石家庄市长安区: a district no other suite loads institutions in, so the region filter shows only this test's
REGION = "130102"
LOGIN_MAX_FAILURES = 5  # identity's login_max_failures, which the test stack leaves as it is
HEADER = "机构名称,统一社会信用代码,执业许可证登记号,行政区划代码,机构级别,地址"


def row(page: Page, name: str) -> Locator:
    return page.get_by_role("row").filter(has=page.get_by_role("cell", name=name, exact=True))


def institutions_added_and_edited(operator: Checked, tag: str) -> str:
    """A new institution (after the empty form is refused), found by region, then renamed; its new name."""
    p = operator.page
    nav(p, "机构管理")
    expect(p.get_by_role("heading", level=1)).to_have_text("机构管理")
    p.get_by_role("button", name="新增机构").click()  # nothing filled in: the errors at the top and beside
    expect(p.get_by_role("alert")).to_be_visible()
    operator.look("institution-form-errors")
    name = f"长安区第{tag}社区卫生服务中心"
    for label, value in (("机构名称", name), ("统一社会信用代码", a_credit_code()), ("执业许可证号", "PDY-130102"),
                         ("地区代码（6位）", REGION), ("机构级别", "一级"), ("地址", "中山东路1号")):  # fmt: skip
        p.get_by_label(label).fill(value)
    p.get_by_role("button", name="新增机构").click()
    expect(p.get_by_role("status")).to_have_text(f"已新增机构：{name}")
    p.get_by_label("按地区代码筛选（可输入前几位）").fill(REGION)
    expect(p.get_by_role("table").get_by_role("caption")).to_have_text("共 1 家机构")
    expect(row(p, name)).to_be_visible()
    operator.look("institution-created")

    p.get_by_role("button", name=f"修改 {name}").click()
    expect(p.get_by_role("heading", name=f"修改机构：{name}")).to_be_visible()
    expect(p.get_by_label("统一社会信用代码")).to_have_count(0)  # the credit code stays as loaded
    renamed = f"{name}（东院）"
    p.get_by_label("机构名称").fill(renamed)
    p.get_by_label("地址").fill("石家庄市长安区中山东路9号")
    operator.look("institution-edit")
    p.get_by_role("button", name="保存修改").click()
    expect(p.get_by_role("status")).to_have_text(f"已保存机构：{renamed}")
    expect(row(p, renamed)).to_be_visible()
    expect(row(p, name)).to_have_count(0)
    return renamed


def a_credit_code_spoiled() -> str:
    """A credit code whose check character is wrong."""
    good = a_credit_code()
    wrong = next(c for c in "0123456789" if c != uscc.calc_check_digit(good[:-1]))
    return good[:-1] + wrong


def import_file(path: Path, tag: str) -> tuple[list[str], dict[int, str]]:
    """Three good rows and two bad ones (lines 3 and 5): the good rows' names, and each bad line's reason's start."""
    good = [f"长安区第{tag}-{n}诊所" for n in (1, 2, 3)]
    lines = [
        HEADER,
        f"{good[0]},{a_credit_code()},PDY-1,{REGION},一级,长安区建设北大街1号",
        f"长安区坏校验位诊所,{a_credit_code_spoiled()},PDY-2,{REGION},一级,",
        f"{good[1]},{a_credit_code()},PDY-3,{REGION},,",
        f",{a_credit_code()},PDY-4,{REGION},一级,",
        f'"{good[2]}",{a_credit_code()},PDY-5,{REGION},二级,"长安区广安街5号, 二楼"',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return good, {3: "统一社会信用代码：校验位", 5: "机构名称：请输入机构的登记名称"}


def imported_with_bad_rows(operator: Checked, tmp_path: Path, tag: str) -> None:
    p = operator.page
    csv_file = tmp_path / "institutions.csv"
    good, bad = import_file(csv_file, tag)
    nav(p, "批量导入")
    expect(p.get_by_role("heading", level=1)).to_have_text("批量导入")
    p.get_by_role("button", name="开始导入").click()  # no file chosen
    expect(p.get_by_text("请选择要导入的 CSV 文件").first).to_be_visible()
    operator.look("import-no-file")

    p.get_by_label("CSV 文件").set_input_files(str(csv_file))
    p.get_by_label("仅检查，不导入（试运行）").check()
    p.get_by_role("button", name="开始导入").click()
    report = p.get_by_role("region", name="导入结果")
    expect(report.get_by_role("status")).to_have_text("试运行：3 行可以导入，2 行未通过。")
    expect(report.get_by_text("已处理 5 / 5 行")).to_be_visible()
    progress = report.locator("progress")
    expect(progress).to_have_attribute("value", "5")
    expect(progress).to_have_attribute("max", "5")
    rejected = report.get_by_role("table", name="未通过的行").get_by_role("row")
    expect(rejected).to_have_count(1 + len(bad))
    for n, (line, reason) in enumerate(sorted(bad.items()), start=1):
        expect(rejected.nth(n).get_by_role("cell").first).to_have_text(str(line))
        expect(rejected.nth(n).get_by_role("cell").nth(1)).to_contain_text(reason)
    operator.look("import-dry-run")

    nav(p, "机构管理")  # the dry run loaded nothing
    p.get_by_label("按地区代码筛选（可输入前几位）").fill(REGION)
    expect(p.get_by_role("table").get_by_role("caption")).to_have_text("共 1 家机构")

    nav(p, "批量导入")
    p.get_by_label("CSV 文件").set_input_files(str(csv_file))
    p.get_by_role("button", name="开始导入").click()
    report = p.get_by_role("region", name="导入结果")
    expect(report.get_by_role("status")).to_have_text("已导入 3 行，未通过 2 行。")
    expect(report.get_by_role("table", name="未通过的行").get_by_role("row")).to_have_count(1 + len(bad))
    operator.look("import-done")
    with p.expect_download() as download:
        report.get_by_role("button", name="下载未通过的行（CSV）").click()
    rows = Path(download.value.path()).read_bytes().decode("utf-8-sig").splitlines()
    assert rows[0] == "行号,原因", rows
    assert [r.split(",", 1)[0] for r in rows[1:]] == [str(line) for line in sorted(bad)], rows
    for r, (_, reason) in zip(rows[1:], sorted(bad.items()), strict=True):
        assert reason in r, (r, reason)

    nav(p, "机构管理")
    p.get_by_label("按地区代码筛选（可输入前几位）").fill(REGION)
    expect(p.get_by_role("table").get_by_role("caption")).to_have_text("共 4 家机构")
    for name in good:
        expect(row(p, name)).to_be_visible()
    operator.look("institutions-imported")


def account_card(page: Page, login: str) -> Locator:
    return page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=f"({login})"))


def accounts_managed(operator: Checked, browser: Browser, gateway: str, institution: str) -> str:
    """A staff account created at the edited institution and found by its login name; the staff lock themselves
    out with wrong passwords and the operator unlocks them; disabled, they cannot sign in; enabled, they can."""
    p = operator.page
    nav(p, "账户管理")
    expect(p.get_by_role("heading", level=1)).to_have_text("账户管理")
    new = p.locator("form").filter(has=p.get_by_role("heading", name="新建账户"))
    login, password = f"op{uuid.uuid4().hex[:8]}", "Review2026x"
    new.get_by_label("角色").select_option(label="机构人员")
    new.get_by_label("所属机构").select_option(label=f"{institution} ({REGION})")
    new.get_by_label("登录名").fill(login)
    new.get_by_label("初始密码").fill(password)
    new.get_by_label("姓名").fill("赵·审核")
    operator.look("account-new")
    new.get_by_role("button", name="新建账户").click()
    expect(p.get_by_role("status")).to_have_text(f"已新建账户 {login}")

    p.get_by_label("登录名或姓名").fill(login)
    p.get_by_role("button", name="筛选").click()
    card = account_card(p, login)
    expect(p.get_by_role("listitem")).to_have_count(1)
    expect(card.get_by_text("机构人员", exact=True)).to_be_visible()
    expect(card.get_by_text("正常", exact=True)).to_be_visible()
    operator.look("account-found")

    staff = context(browser, "new-staff")
    try:
        unlocked_after_wrong_passwords(operator, staff, gateway, login)

        card.get_by_role("button", name=f"停用 {login}").click()  # no reason given
        expect(card.get_by_text("请填写停用原因").first).to_be_visible()
        card.get_by_label(f"停用 {login} 的原因").fill("调离本机构（浏览器测试）")
        card.get_by_role("button", name=f"停用 {login}").click()
        expect(p.get_by_role("status")).to_have_text(f"已停用 {login}")
        expect(card.get_by_text("已停用", exact=True)).to_be_visible()
        operator.look("account-disabled")
        s = staff.page
        s.goto(f"{gateway}/sign-in")
        s.get_by_label("登录名").fill(login)
        s.get_by_label("登录密码").fill(password)
        s.get_by_role("button", name="登录", exact=True).click()
        expect(s.get_by_role("alert")).to_contain_text("此账户已被停用，请联系管理员。")
        staff.look("sign-in-disabled")

        card.get_by_role("button", name=f"启用 {login}").click()
        expect(p.get_by_role("status")).to_have_text(f"已启用 {login}")
        expect(card.get_by_text("正常", exact=True)).to_be_visible()
        sign_in_as(staff, gateway, login, password, heading="激活申请")
    finally:
        staff.context.close()
    return login


def unlocked_after_wrong_passwords(operator: Checked, staff: Checked, gateway: str, login: str) -> None:
    """Wrong passwords lock the login name; the operator sees the lock and lifts it. The test stack's lock lasts
    seconds (IDENTITY_LOCKOUT_SECONDS), so on a slow machine it may end before the operator presses the button:
    the staff then lock themselves out again, a few times at most."""
    p, s = operator.page, staff.page
    card = account_card(p, login)
    unlock = card.get_by_role("button", name=f"解锁 {login}")
    s.goto(f"{gateway}/sign-in")
    for _attempt in range(4):
        for _ in range(LOGIN_MAX_FAILURES):
            s.get_by_label("登录名").fill(login)
            s.get_by_label("登录密码").fill("Wrong-2026x")
            with s.expect_response(lambda r: r.url.endswith("/api/identity/tokens")):
                s.get_by_role("button", name="登录", exact=True).click()
        expect(s.get_by_role("alert")).to_be_visible()
        with p.expect_response(lambda r: "/api/identity/admin/accounts?" in r.url):
            p.get_by_role("button", name="筛选").click()
        p.wait_for_timeout(100)  # the answer rendered
        if unlock.is_visible():
            expect(card.get_by_text("因多次密码错误已锁定")).to_be_visible()
            unlock.click()
            expect(p.get_by_role("status")).to_have_text(f"已解锁 {login}")
            break
    else:
        raise AssertionError(f"{login} was never seen locked")
    expect(card.get_by_text("因多次密码错误已锁定")).to_have_count(0)
    operator.look("account-unlocked")


def keys_rotated(operator: Checked) -> None:
    p = operator.page
    nav(p, "密钥轮换")
    expect(p.get_by_role("heading", level=1)).to_have_text("密钥轮换")
    operator.look("keys")
    p.once("dialog", lambda dialog: dialog.dismiss())  # the operator thinks again: nothing rotates
    p.get_by_role("button", name="轮换访问令牌签名密钥").click()
    expect(p.get_by_role("status")).to_have_count(0)
    for key in ("访问令牌签名密钥", "电子证照签名密钥"):
        p.once("dialog", lambda dialog: dialog.accept())
        p.get_by_role("button", name=f"轮换{key}").click()
        expect(p.get_by_role("status")).to_contain_text(f"已轮换{key}：新密钥 ")
    operator.look("keys-rotated")
    nav(p, "运维首页")  # the session's token, signed with the old key, still works after the rotation
    expect(p.get_by_role("heading", level=1)).to_have_text("运维管理")


def audit_shows(operator: Checked, institution: str, staff_login: str) -> None:
    """Each service's trail holds what the operator did, with who and when."""
    p = operator.page
    nav(p, "审计记录")
    expect(p.get_by_role("heading", level=1)).to_have_text("审计记录")
    table = p.get_by_role("table", name="审计记录")
    for action in ("token_key.rotated", "licence_key.rotated", "account.enabled", "account.disabled",
                   "account.unlocked", "account.created", "institution.loaded", "institution.edited"):  # fmt: skip
        expect(table.get_by_text(action, exact=True).first).to_be_visible()
    operator.look("audit-all")

    def only(source: str, action: str) -> Locator:
        p.get_by_label("服务", exact=True).select_option(label=source)
        p.get_by_label("操作类型").fill(action)
        p.get_by_role("button", name="筛选").click()
        rows = table.locator("tbody tr")
        expect(rows.filter(has_not=p.get_by_text(action, exact=True))).to_have_count(0)  # the filter holds
        expect(rows.first).to_be_visible()
        return rows

    disabled = only("身份服务", "account.disabled").filter(has_text="调离本机构（浏览器测试）")
    expect(disabled).to_have_count(1)
    expect(disabled).to_contain_text("运维管理员")
    expect(only("身份服务", "account.created").filter(has_text=staff_login)).to_have_count(1)
    edited = only("机构服务", "institution.edited").filter(has_text=institution)
    expect(edited).to_have_count(1)
    operator.look("audit-institution-edited")
    imported = only("机构服务", "institution.loaded").filter(has_text="imported: true")
    expect(imported).to_have_count(3)


def test_an_operator_runs_institutions_imports_accounts_and_keys_and_reads_the_audit(
    browser: Browser, gateway: str, running_stack: Stack, admin, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:6]
    operator = context(browser, "operator")
    try:
        sign_in_as(operator, gateway, *new_staff(admin, "admin"), heading="运维管理")
        expect(operator.page.get_by_role("navigation", name="运维管理导航")).to_be_visible()
        operator.look("home")
        institution = institutions_added_and_edited(operator, tag)
        imported_with_bad_rows(operator, tmp_path, tag)
        staff_login = accounts_managed(operator, browser, gateway, institution)
        keys_rotated(operator)
        audit_shows(operator, institution, staff_login)
    finally:
        operator.context.close()
