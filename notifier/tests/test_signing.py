"""The providers' request signatures against the worked examples in their own
documentation (B-4): pure functions, no I/O."""

from __future__ import annotations

from dinghuo_notifier.logs import mask
from dinghuo_notifier.providers import aliyun, tencent

# Alibaba Cloud SMS, "签名机制" (https://help.aliyun.com/document_detail/101343.htm): the
# example request, its canonical string to sign and its signature.
ALIYUN_DOC_PARAMS = {
    "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
    "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou",
    "SignName": "阿里云短信测试专用", "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466", "SignatureVersion": "1.0",
    "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}',
    "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
}
ALIYUN_DOC_STRING_TO_SIGN = (
    "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123"
    "%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF"
    "%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8"
    "%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1"
    "%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0"
    "%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A"
    "%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z"
    "%26Version%3D2017-05-25"
)


class TestAliyunSignature:
    def test_matches_the_sms_documentation_example_B4(self):
        """B-4: Alibaba's SMS example (secret testSecret) → zJDF+Lrzhj/ThnlvIToysFRq6t4=."""
        assert aliyun.string_to_sign(ALIYUN_DOC_PARAMS) == ALIYUN_DOC_STRING_TO_SIGN
        assert aliyun.rpc_signature(ALIYUN_DOC_PARAMS, "testSecret") == \
            "zJDF+Lrzhj/ThnlvIToysFRq6t4="

    def test_matches_the_rpc_documentation_example_B4(self):
        """B-4: the generic RPC example of Alibaba Cloud's "Request signatures" page
        (DescribeRegions, secret testsecret) → OLeaidS1JvxuMvnyHOwuJ+uX5qY=."""
        params = {"Format": "XML", "AccessKeyId": "testid", "Action": "DescribeRegions",
                  "SignatureMethod": "HMAC-SHA1",
                  "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
                  "SignatureVersion": "1.0", "Version": "2014-05-26",
                  "Timestamp": "2016-02-23T12:46:24Z"}
        assert aliyun.rpc_signature(params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="

    def test_percent_encoding_follows_the_pop_rules(self):
        assert aliyun.percent_encode("a b*c~d+e/f") == "a%20b%2Ac~d%2Be%2Ff"
        assert aliyun.percent_encode("-_.~") == "-_.~"
        assert aliyun.percent_encode("订") == "%E8%AE%A2"

    def test_signature_parameter_is_not_signed(self):
        with_sig = {**ALIYUN_DOC_PARAMS, "Signature": "whatever"}
        assert aliyun.rpc_signature(with_sig, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="

    def test_signed_query_puts_the_encoded_signature_first(self):
        query = aliyun.signed_query(ALIYUN_DOC_PARAMS, "testSecret")
        assert query.startswith("Signature=zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D&AccessKeyId=")


# Tencent Cloud API 3.0, "Signature v3" (https://www.tencentcloud.com/document/product/
# 382/40467): DescribeInstances on cvm at 1551113065.
TENCENT_DOC_PAYLOAD = (b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], '
                       b'"Name": "instance-name"}]}')


class TestTencentSignature:
    def test_matches_the_documentation_example_B4(self):
        """B-4: every intermediate value of Tencent's TC3-HMAC-SHA256 example."""
        canonical = tencent.canonical_request(host="cvm.tencentcloudapi.com",
                                              payload=TENCENT_DOC_PAYLOAD)
        assert canonical == (
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\n"
            "host:cvm.tencentcloudapi.com\n\ncontent-type;host\n"
            "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064")
        to_sign = tencent.string_to_sign(timestamp=1551113065, service="cvm",
                                         canonical=canonical)
        assert to_sign == (
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n"
            "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031")
        assert tencent.tc3_signature("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", timestamp=1551113065,
                                     service="cvm", to_sign=to_sign) == \
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"

    def test_authorization_header_of_the_documentation_example_B4(self):
        header = tencent.authorization(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
            host="cvm.tencentcloudapi.com", payload=TENCENT_DOC_PAYLOAD,
            timestamp=1551113065, service="cvm")
        assert header == (
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/"
            "tc3_request, SignedHeaders=content-type;host, "
            "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")

    def test_the_date_is_the_utc_date_of_the_timestamp(self):
        # 1551113065 is 2019-02-26 00:44:25 in Beijing, still the 25th in UTC.
        assert tencent.utc_date(1551113065) == "2019-02-25"

    def test_mobile_numbers_get_the_86_country_code(self):
        assert tencent.e164("13800000000") == "+8613800000000"
        assert tencent.e164("+8613800000000") == "+8613800000000"
        assert tencent.e164("008613800000000") == "+8613800000000"
        assert tencent.e164("8613800000000") == "+8613800000000"


class TestMask:
    def test_logs_show_little_of_a_recipient_N2(self):
        """N-2: a mobile keeps its first 3 and last 4 digits, an address its first
        letter and domain."""
        assert mask("13812345678") == "138****5678"
        assert mask("li.lei@example.com") == "l***@example.com"
        assert mask("oABCDEFGHIJK1234") == "oAB****1234"
        assert mask("12345") == "****"
        assert mask(None) is None
