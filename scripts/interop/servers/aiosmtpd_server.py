"""aiosmtpd for the interop suite, run by Debian's /usr/bin/python3.

Listens on 127.0.0.1 on two ports: the main one (STARTTLS with the given
certificate, AUTH PLAIN/LOGIN after TLS, SMTPUTF8, a local domain whose
unknown users get 550 5.1.1, other domains accepted from loopback) and a
fault one whose third NOOP gets 421 (aiosmtpd's command_call_limit).
Accepted messages are written to the messages folder, one file each, so the
suite can check what arrived.

With --lmtp-port and --lmtp-socket it also runs aiosmtpd's LMTP server
(aiosmtpd.lmtp.LMTP, RFC 2033) on a TCP port and on a Unix socket: the same
local domain, and after the data one reply per recipient accepted at RCPT
(RFC 2033 §4.2), a 452 for the users named by --lmtp-over-quota and a 550
for those named by --lmtp-refuse-delivery. Prints "ready" once every
listener listens.
"""
import argparse
import asyncio
import hashlib
import os
import ssl
import sys

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def parse_arguments():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--fault-port", type=int, required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--domain", required=True, help="the local domain")
    parser.add_argument("--users", required=True, help="its users, comma-separated")
    parser.add_argument("--messages", required=True, help="folder for accepted messages")
    parser.add_argument("--lmtp-port", type=int, help="LMTP on this TCP port")
    parser.add_argument("--lmtp-socket", help="LMTP on a Unix socket at this path")
    parser.add_argument("--lmtp-over-quota", default="", help="users whose delivery gets 452, comma-separated")
    parser.add_argument("--lmtp-refuse-delivery", default="", help="users whose delivery gets 550, comma-separated")
    return parser.parse_args()


class Handler:
    def __init__(self, domain, users, messages):
        self.domain = domain.lower()
        self.users = {user.lower() for user in users}
        self.messages = messages
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local, _, domain = address.rpartition("@")
        if domain.lower() == self.domain and local.lower() not in self.users:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        content = envelope.original_content or envelope.content
        with open(os.path.join(self.messages, f"{self.count:04d}.eml"), "wb") as output:
            output.write(content)
        # An id from the content, not the arrival order, so recordings stay
        # the same when the suite gains or reorders sessions.
        return f"250 2.0.0 OK: queued as {hashlib.sha256(content).hexdigest()[:10].upper()}"


def users_of(text):
    return {user.lower() for user in text.split(",") if user}


class LmtpHandler(Handler):
    """The same recipients as SMTP's Handler. aiosmtpd's LMTP server answers
    the end of the data with whatever handle_DATA returns, so the handler
    gives the per-recipient replies itself: one line per recipient accepted
    at RCPT, in RCPT order."""

    def __init__(self, domain, users, messages, over_quota, refuse_delivery):
        super().__init__(domain, users, messages)
        self.over_quota = over_quota
        self.refuse_delivery = refuse_delivery

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        # LMTP's LHLO is answered by aiosmtpd's EHLO, which offers no
        # PIPELINING although RFC 2033 §5 requires LMTP servers to implement
        # it. aiosmtpd reads commands one after another from the stream, so
        # pipelined ones are answered in order: the keyword is added before
        # the last line. (ENHANCEDSTATUSCODES, also required, is not: its own
        # replies to MAIL and DATA carry none.) A hook that sees the
        # responses must also remember the client's name itself.
        session.host_name = hostname
        return responses[:-1] + ["250-PIPELINING", responses[-1]]

    async def handle_DATA(self, server, session, envelope):
        replies = []
        for address in envelope.rcpt_tos:
            local = address.rpartition("@")[0].lower()
            if local in self.over_quota:
                replies.append(f"452 4.2.2 <{address}>: mailbox over quota, try again later")
            elif local in self.refuse_delivery:
                replies.append(f"550 5.2.1 <{address}>: mailbox disabled, not accepting messages")
            else:
                replies.append(f"250 2.0.0 <{address}> delivered")
        # aiosmtpd ends what is returned with CRLF: the lines are joined by one.
        return "\r\n".join(replies)


class Authenticator:
    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == self.user and auth_data.password == self.password
        return AuthResult(success=ok, handled=False)


async def main():
    arguments = parse_arguments()
    user = os.environ["INTEROP_USER"]
    password = os.environ["INTEROP_PASSWORD"]
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(arguments.cert, arguments.key)
    handler = Handler(arguments.domain, arguments.users.split(","), arguments.messages)
    authenticator = Authenticator(user, password)
    common = dict(hostname="aiosmtpd.interop.test", enable_SMTPUTF8=True, decode_data=False)
    loop = asyncio.get_running_loop()
    main_server = await loop.create_server(
        lambda: SMTP(handler, tls_context=tls, authenticator=authenticator, auth_require_tls=True, **common),
        "127.0.0.1", arguments.port)
    fault_server = await loop.create_server(
        lambda: SMTP(handler, command_call_limit={"NOOP": 2}, **common),
        "127.0.0.1", arguments.fault_port)
    servers = [main_server, fault_server]
    if arguments.lmtp_port or arguments.lmtp_socket:
        lmtp_handler = LmtpHandler(arguments.domain, arguments.users.split(","), arguments.messages, users_of(arguments.lmtp_over_quota), users_of(arguments.lmtp_refuse_delivery))
        lmtp = lambda: LMTP(lmtp_handler, hostname="lmtp.interop.test", decode_data=False)
        # The socket first: once the LMTP port greets, both listen.
        if arguments.lmtp_socket:
            servers.append(await loop.create_unix_server(lmtp, arguments.lmtp_socket))
        if arguments.lmtp_port:
            servers.append(await loop.create_server(lmtp, "127.0.0.1", arguments.lmtp_port))
    print("ready", flush=True)
    await asyncio.gather(*(server.serve_forever() for server in servers))


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
