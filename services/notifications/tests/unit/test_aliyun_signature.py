"""Aliyun's RPC signature, against the example in Aliyun's documentation (signature version 1.0, HMAC-SHA1)."""

import json
from types import SimpleNamespace

from notifications.adapters.aliyun_sms import AliyunSms, percent_encode, signature, string_to_sign, template_param
from notifications.bootstrap import sms_gateway
from notifications.settings import Settings

# the documented request: GET http://ecs.aliyuncs.com/?Timestamp=...&Action=DescribeRegions..., secret "testsecret"
DOCUMENTED = {
    "Timestamp": "2016-02-23T12:46:24Z",
    "Format": "XML",
    "AccessKeyId": "testid",
    "Action": "DescribeRegions",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    "Version": "2014-05-26",
    "SignatureVersion": "1.0",
}


def test_the_string_to_sign_and_the_signature_are_the_documented_ones():
    assert string_to_sign("GET", DOCUMENTED) == (
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1"
        "%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0"
        "%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
    )
    assert signature("testsecret", "GET", DOCUMENTED) == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
    assert signature("testsecret", "GET", {**DOCUMENTED, "Signature": "ignored"}) == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_percent_encoding_keeps_only_the_unreserved_characters():
    assert percent_encode("a b*c~d/e+f") == "a%20b%2Ac~d%2Fe%2Bf"
    assert percent_encode("医师") == "%E5%8C%BB%E5%B8%88"


def test_template_parameters_are_strings_within_aliyuns_limit():
    param = json.loads(template_param({"code": "604218", "reason_sentence": "原因：" + "材料不全" * 20 + "。"}))
    assert param["code"] == "604218"
    assert len(param["reason_sentence"]) == 35 and param["reason_sentence"].endswith("…")


def test_the_settings_choose_aliyun():
    settings = Settings(
        database_url="postgresql+asyncpg://n:pw-9f8a7b@127.0.0.1:5432/regsys",
        sms_provider="aliyun",
        sms_aliyun_access_key_id="LTAI5tExampleKeyId0001",
        sms_aliyun_access_key_secret="aliyun-secret-4c1d9e0b7a",
        sms_aliyun_template_codes={"code.verify_phone": "SMS_465300001"},
    )
    gateway = sms_gateway(settings, SimpleNamespace(http=object()))  # type: ignore[arg-type]
    assert isinstance(gateway, AliyunSms)
    form = gateway.signed_request(phone="13912345678", template_code="SMS_465300001", params={"code": "1"})
    assert form["SignName"] == "医师电子化注册" and form["AccessKeyId"] == "LTAI5tExampleKeyId0001"
    assert form["Signature"] == signature("aliyun-secret-4c1d9e0b7a", "POST", form)
