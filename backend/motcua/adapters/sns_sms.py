"""SMS through Amazon SNS (the AWS runtime's ``SmsSender``): a direct publish to the phone number.

Numbers are sent in E.164 (``+84912345678``); anything that is not a Vietnamese mobile number is refused
with ValueError before SNS is called. Every message is ``Transactional`` (sign-in codes and dossier notices:
delivered with priority, even to numbers that opted out of promotional SMS) and carries the sender id when one
is configured (Vietnamese carriers require a registered brand name). The dedupe key is honoured through
:class:`motcua.adapters.send_ledger.S3SendLedger`: the same key twice is one SMS.
"""

from __future__ import annotations

from typing import Any

from motcua.adapters.aws_clients import AwsClients
from motcua.adapters.send_ledger import S3SendLedger
from motcua.domain.phones import normalise_phone


def e164(phone: str) -> str:
    """``0912345678`` / ``+84 912 345 678`` → ``+84912345678``; ValueError for anything else."""
    national = normalise_phone(phone)
    if national is None:
        raise ValueError(f"not a Vietnamese mobile number: {phone!r}")
    return "+84" + national[1:]


class SnsSmsSender:
    def __init__(self, clients: AwsClients, ledger: S3SendLedger, *, sender_id: str = "",
                 sms_type: str = "Transactional") -> None:
        self._clients = clients
        self._ledger = ledger
        self._attributes: dict[str, Any] = {
            "AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": sms_type},
        }
        if sender_id:
            self._attributes["AWS.SNS.SMS.SenderID"] = {"DataType": "String", "StringValue": sender_id}

    def send_sms(self, to: str, body: str, *, key: str | None = None) -> None:
        number = e164(to)
        self._ledger.once(key, lambda: self._clients.client("sns").publish(
            PhoneNumber=number, Message=body, MessageAttributes=self._attributes))
