"""A real SMTP server for the notice tests (aiosmtpd): prints one JSON line per message it
accepts, and refuses the first REFUSE messages with 451 so the tests see retries.

usage: smtp_sink.py PORT REFUSE
"""
import asyncio
import email
import email.header
import json
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, refuse):
        self.refuse = refuse

    async def handle_DATA(self, server, session, envelope):
        if self.refuse > 0:
            self.refuse -= 1
            print(json.dumps({"refused": True}), flush=True)
            return "451 4.3.0 try again later"
        message = email.message_from_bytes(envelope.content)
        print(json.dumps({
            "to": envelope.rcpt_tos,
            "from": envelope.mail_from,
            "message_id": message.get("Message-ID", ""),
            # decoded, as a mail reader shows them (non-ASCII subjects travel MIME-encoded)
            "subject": str(email.header.make_header(email.header.decode_header(message.get("Subject", "")))),
            "from_header": str(email.header.make_header(email.header.decode_header(message.get("From", "")))),
            "body": message.get_payload(decode=True).decode("utf-8", "replace"),
            "raw": envelope.content.decode("utf-8", "replace"),
        }), flush=True)
        return "250 OK"


def main():
    port, refuse = int(sys.argv[1]), int(sys.argv[2])
    controller = Controller(Sink(refuse), hostname="127.0.0.1", port=port)
    controller.start()
    print(json.dumps({"ready": True}), flush=True)
    try:
        sys.stdin.read()  # runs until the test closes our stdin (or dies)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
