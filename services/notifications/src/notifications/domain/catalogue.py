"""The words of every message, per kind and language (Chinese first, English available). Data only.

Each template has a subject (an e-mail's subject, an inbox message's title) and a text with ``{facts}``.
Codes and links stand apart from the words around them, so a person (or a test) can pick them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MessageKind(StrEnum):
    CODE_VERIFY_PHONE = "code.verify_phone"
    CODE_VERIFY_EMAIL = "code.verify_email"
    CODE_RESET_PASSWORD = "code.reset_password"  # noqa: S105 - a message kind, not a password
    CODE_CHANGE_PHONE_OLD = "code.change_phone_old"
    CODE_CHANGE_PHONE_NEW = "code.change_phone_new"
    CODE_ACTIVATION = "code.activation"
    EMAIL_VERIFICATION_LINK = "email.verification_link"
    ACCOUNT_REGISTERED = "account.registered"
    QUALIFICATION_MATCHED = "account.qualification_matched"
    QUALIFICATION_UNMATCHED = "account.qualification_unmatched"
    ACTIVATION_REQUESTED = "account.activation_requested"
    ACTIVATION_DECLINED = "account.activation_declined"
    ACCOUNT_ACTIVATED = "account.activated"
    PHONE_VERIFIED = "account.phone_verified"
    PHONE_CHANGED = "account.phone_changed"
    EMAIL_CHANGED = "account.email_changed"
    PASSWORD_CHANGED = "account.password_changed"  # noqa: S105 - a message kind, not a password
    ACCOUNT_DISABLED = "account.disabled"
    APPLICATION_STATUS_CHANGED = "application.status_changed"
    REVIEW_TASK_ARRIVED = "institution.review_task_arrived"
    REVIEW_TASK_WITHDRAWN = "institution.review_task_withdrawn"
    AUTHORITY_TASK_ARRIVED = "authority.task_arrived"
    LICENCE_ISSUED = "licence.issued"
    LICENCE_SUSPENDED = "licence.suspended"
    LICENCE_REINSTATED = "licence.reinstated"
    LICENCE_REVOKED = "licence.revoked"
    ROSTER_LICENCE_CHANGED = "roster.licence_changed"


# the kinds that go by SMS (a provider such as Aliyun needs an approved template for each); the rest go by
# e-mail and the inbox only. A code to verify an e-mail address goes by e-mail.
SMS_KINDS = frozenset(
    {
        MessageKind.CODE_VERIFY_PHONE,
        MessageKind.CODE_RESET_PASSWORD,
        MessageKind.CODE_CHANGE_PHONE_OLD,
        MessageKind.CODE_CHANGE_PHONE_NEW,
        MessageKind.CODE_ACTIVATION,
        MessageKind.ACCOUNT_ACTIVATED,
        MessageKind.ACTIVATION_DECLINED,
        MessageKind.PHONE_CHANGED,
        MessageKind.EMAIL_CHANGED,
        MessageKind.PASSWORD_CHANGED,
        MessageKind.ACCOUNT_DISABLED,
        MessageKind.APPLICATION_STATUS_CHANGED,
        MessageKind.LICENCE_SUSPENDED,
        MessageKind.LICENCE_REVOKED,
    }
)


@dataclass(frozen=True)
class Template:
    subject: str
    text: str


SIGNATURE = {"zh": "医师电子化注册", "en": "Physician e-Registration"}

_CODE_ZH = "验证码：{code}，{minutes}分钟内有效。请勿将验证码告诉他人；如非本人操作，请忽略。"
_CODE_EN = "Code: {code}. It is valid for {minutes} minutes. Never share it; if this was not you, ignore it."

ZH: dict[MessageKind, Template] = {
    MessageKind.CODE_VERIFY_PHONE: Template("手机验证码", "您正在验证手机号。" + _CODE_ZH),
    MessageKind.CODE_VERIFY_EMAIL: Template("邮箱验证码", "您正在验证电子邮箱。" + _CODE_ZH),
    MessageKind.CODE_RESET_PASSWORD: Template("找回密码验证码", "您正在找回登录密码。" + _CODE_ZH),
    MessageKind.CODE_CHANGE_PHONE_OLD: Template(
        "更换手机号：验证原手机", "您正在更换手机号，需验证原手机号。" + _CODE_ZH
    ),
    MessageKind.CODE_CHANGE_PHONE_NEW: Template("更换手机号：验证新手机", "您正在绑定新手机号。" + _CODE_ZH),
    MessageKind.CODE_ACTIVATION: Template(
        "账户激活码",
        "您的执业机构已为您发送账户激活码：{code}，{minutes}分钟内有效。请登录个人端输入激活码完成激活，勿告诉他人。",
    ),
    MessageKind.EMAIL_VERIFICATION_LINK: Template(
        "请验证您的电子邮箱",
        "您好，\n\n请在{minutes}分钟内打开以下链接，验证您的电子邮箱：\n\n{link}\n\n如非本人操作，请忽略本邮件。",
    ),
    MessageKind.ACCOUNT_REGISTERED: Template(
        "注册成功", "{name}，您的账户{login_name}已注册成功。请完成医师资格校验、手机验证和账户激活。"
    ),
    MessageKind.QUALIFICATION_MATCHED: Template(
        "医师资格校验通过", "您的医师资格信息校验通过（类别：{category}）。请验证手机号后申请账户激活。"
    ),
    MessageKind.QUALIFICATION_UNMATCHED: Template(
        "医师资格校验未通过",
        "未能匹配到您的医师资格信息。原因：{reason}。请核对姓名和身份证号，或联系卫生健康行政部门。",
    ),
    MessageKind.ACTIVATION_REQUESTED: Template(
        "新的账户激活申请", "医师{physician_name}（身份证号{id_number_masked}）申请在本机构激活账户，请及时处理。"
    ),
    MessageKind.ACTIVATION_DECLINED: Template("账户激活未通过", "执业机构未同意您的激活申请。原因：{reason}。"),
    MessageKind.ACCOUNT_ACTIVATED: Template("账户已激活", "您的账户已激活，现在可以办理执业注册等业务。"),
    MessageKind.PHONE_VERIFIED: Template("手机号已验证", "您的手机号{contact}已验证，此后的短信将发送到该号码。"),
    MessageKind.PHONE_CHANGED: Template(
        "手机号已更换", "您账户绑定的手机号已更换为{new_contact}。如非本人操作，请立即联系客服。"
    ),
    MessageKind.EMAIL_CHANGED: Template(
        "电子邮箱已更换", "您账户绑定的电子邮箱已更换为{new_contact}。如非本人操作，请立即联系客服。"
    ),
    MessageKind.PASSWORD_CHANGED: Template(
        "登录密码已修改", "您账户的登录密码已{how}。如非本人操作，请立即找回密码并联系客服。"
    ),
    MessageKind.ACCOUNT_DISABLED: Template("账户已停用", "您的账户已停用。原因：{reason}。"),
    MessageKind.APPLICATION_STATUS_CHANGED: Template(
        "您的{application_type}申请{status}", "您的{application_type}申请{status}。{reason_sentence}"
    ),
    MessageKind.REVIEW_TASK_ARRIVED: Template(
        "新的{application_type}审核任务",
        "医师{physician_name}（身份证号{id_number_masked}）提交了{application_type}申请，请在机构版审核。",
    ),
    MessageKind.REVIEW_TASK_WITHDRAWN: Template(
        "{application_type}申请已撤回", "一份{application_type}申请已由医师撤回，对应的审核任务已关闭。"
    ),
    MessageKind.AUTHORITY_TASK_ARRIVED: Template(
        "新的{application_type}审批任务", "一份{application_type}申请已通过机构审核，待您所在卫生健康行政部门审批。"
    ),
    MessageKind.LICENCE_ISSUED: Template(
        "电子证照已签发", "您的电子证照已签发（医师执业证书编码 {certificate_number}），可在个人端申领·亮照。"
    ),
    MessageKind.LICENCE_SUSPENDED: Template("电子证照已暂停", "您的电子证照已暂停。原因：{reason}。"),
    MessageKind.LICENCE_REINSTATED: Template("电子证照已恢复", "您的电子证照已恢复有效。原因：{reason}。"),
    MessageKind.LICENCE_REVOKED: Template("电子证照已注销", "您的电子证照已注销。原因：{reason}。"),
    MessageKind.ROSTER_LICENCE_CHANGED: Template(
        "本机构医师电子证照{licence_status}", "本机构执业医师{physician_name}的电子证照{licence_status}。"
    ),
}

EN: dict[MessageKind, Template] = {
    MessageKind.CODE_VERIFY_PHONE: Template("Phone verification code", "You are verifying your phone. " + _CODE_EN),
    MessageKind.CODE_VERIFY_EMAIL: Template("E-mail verification code", "You are verifying your e-mail. " + _CODE_EN),
    MessageKind.CODE_RESET_PASSWORD: Template(
        "Password recovery code", "You are recovering your password. " + _CODE_EN
    ),
    MessageKind.CODE_CHANGE_PHONE_OLD: Template(
        "Changing your phone: confirm the old one", "You are changing your phone; confirm the old number. " + _CODE_EN
    ),
    MessageKind.CODE_CHANGE_PHONE_NEW: Template(
        "Changing your phone: confirm the new one", "You are binding a new phone number. " + _CODE_EN
    ),
    MessageKind.CODE_ACTIVATION: Template(
        "Account activation code",
        "Your institution sent you an activation code: {code}. It is valid for {minutes} minutes. "
        "Enter it in your personal portal to activate your account; never share it.",
    ),
    MessageKind.EMAIL_VERIFICATION_LINK: Template(
        "Please verify your e-mail address",
        "Hello,\n\nOpen this link within {minutes} minutes to verify your e-mail address:\n\n{link}\n\n"
        "If this was not you, ignore this e-mail.",
    ),
    MessageKind.ACCOUNT_REGISTERED: Template(
        "Registration complete",
        "{name}, your account {login_name} is registered. Next: qualification check, phone verification, activation.",
    ),
    MessageKind.QUALIFICATION_MATCHED: Template(
        "Qualification confirmed",
        "Your physician qualification was confirmed (category: {category}). "
        "Verify your phone, then ask for activation.",
    ),
    MessageKind.QUALIFICATION_UNMATCHED: Template(
        "Qualification not found",
        "No physician qualification matched your record. Reason: {reason}. Check your name and ID number, "
        "or contact the health administration.",
    ),
    MessageKind.ACTIVATION_REQUESTED: Template(
        "New activation request",
        "Physician {physician_name} (ID {id_number_masked}) asks to be activated at your institution.",
    ),
    MessageKind.ACTIVATION_DECLINED: Template(
        "Activation declined", "Your institution declined your activation request. Reason: {reason}."
    ),
    MessageKind.ACCOUNT_ACTIVATED: Template(
        "Account activated", "Your account is active; you can now file practice registration and other applications."
    ),
    MessageKind.PHONE_VERIFIED: Template(
        "Phone number verified", "Your phone number {contact} is verified; texts will go to it from now on."
    ),
    MessageKind.PHONE_CHANGED: Template(
        "Phone number changed",
        "The phone number of your account was changed to {new_contact}. If this was not you, contact support now.",
    ),
    MessageKind.EMAIL_CHANGED: Template(
        "E-mail address changed",
        "The e-mail address of your account was changed to {new_contact}. If this was not you, contact support now.",
    ),
    MessageKind.PASSWORD_CHANGED: Template(
        "Password changed",
        "The password of your account was {how}. If this was not you, recover your password and contact support.",
    ),
    MessageKind.ACCOUNT_DISABLED: Template("Account disabled", "Your account was disabled. Reason: {reason}."),
    MessageKind.APPLICATION_STATUS_CHANGED: Template(
        "Your {application_type} application: {status}",
        "Your {application_type} application is now {status}. {reason_sentence}",
    ),
    MessageKind.REVIEW_TASK_ARRIVED: Template(
        "New {application_type} to review",
        "Physician {physician_name} (ID {id_number_masked}) filed a {application_type} application; "
        "review it in the institution portal.",
    ),
    MessageKind.REVIEW_TASK_WITHDRAWN: Template(
        "{application_type} application withdrawn",
        "A {application_type} application was withdrawn by the physician; its review task is closed.",
    ),
    MessageKind.AUTHORITY_TASK_ARRIVED: Template(
        "New {application_type} to approve",
        "A {application_type} application passed institution review and awaits approval by your administration.",
    ),
    MessageKind.LICENCE_ISSUED: Template(
        "E-licence issued",
        "Your e-licence was issued (practice certificate {certificate_number}); claim and show it in your portal.",
    ),
    MessageKind.LICENCE_SUSPENDED: Template("E-licence suspended", "Your e-licence was suspended. Reason: {reason}."),
    MessageKind.LICENCE_REINSTATED: Template(
        "E-licence reinstated", "Your e-licence is valid again. Reason: {reason}."
    ),
    MessageKind.LICENCE_REVOKED: Template("E-licence revoked", "Your e-licence was revoked. Reason: {reason}."),
    MessageKind.ROSTER_LICENCE_CHANGED: Template(
        "A physician's e-licence: {licence_status}",
        "The e-licence of {physician_name}, who practises at your institution, is now {licence_status}.",
    ),
}

CATALOGUE: dict[str, dict[MessageKind, Template]] = {"zh": ZH, "en": EN}
