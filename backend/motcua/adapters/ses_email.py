"""E-mail through Amazon SES (the AWS runtime's ``EmailSender``).

Subject and bodies are sent as UTF-8 (Vietnamese with full diacritics, NFC); the sender's display name
("Dịch vụ công Đồng Nai") is RFC 2047-encoded in the From header. The sending address must be a verified SES
identity (moto refuses unverified senders too). A configuration set, when given, lets SES report bounces and
complaints. The dedupe key is honoured through :class:`motcua.adapters.send_ledger.S3SendLedger`.
"""

from __future__ import annotations

import unicodedata
from email.utils import formataddr
from typing import Any

from motcua.adapters.aws_clients import AwsClients
from motcua.adapters.send_ledger import S3SendLedger


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class SesEmailSender:
    def __init__(self, clients: AwsClients, ledger: S3SendLedger, *, sender: str,
                 sender_name: str = "Dịch vụ công Đồng Nai", configuration_set: str = "") -> None:
        if "@" not in sender:
            raise ValueError("the SES sender must be an e-mail address")
        self._clients = clients
        self._ledger = ledger
        self._source = formataddr((sender_name, sender), charset="utf-8")
        self._configuration_set = configuration_set

    def send_email(self, to: str, subject: str, text: str, html: str | None = None, *, key: str | None = None) -> None:
        to = to.strip()
        if not to or "@" not in to or any(ch in to for ch in "\r\n,;<>"):
            raise ValueError(f"not a single e-mail address: {to!r}")
        body: dict[str, Any] = {"Text": {"Data": _nfc(text), "Charset": "UTF-8"}}
        if html is not None:
            body["Html"] = {"Data": _nfc(html), "Charset": "UTF-8"}
        request: dict[str, Any] = {
            "Source": self._source,
            "Destination": {"ToAddresses": [to]},
            "Message": {"Subject": {"Data": _nfc(" ".join(subject.split())), "Charset": "UTF-8"}, "Body": body},
        }
        if self._configuration_set:
            request["ConfigurationSetName"] = self._configuration_set
        self._ledger.once(key, lambda: self._clients.client("ses").send_email(**request))
