"""A real SMTP server on loopback (aiosmtpd) for tests where delivery itself is the point."""

from __future__ import annotations

import email
import socket
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Collector:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.sessions = 0  # connections that greeted the server (one EHLO each)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802 - aiosmtpd's hook
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"


class SmtpServer:
    """Start, stop and restart a collecting SMTP server on 127.0.0.1."""

    def __init__(self) -> None:
        self.port = free_port()
        self.collector = _Collector()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[Message]:
        return self.collector.messages

    @property
    def sessions(self) -> int:
        return self.collector.sessions

    def start(self) -> None:
        self._controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller:
            self._controller.stop()
            self._controller = None
