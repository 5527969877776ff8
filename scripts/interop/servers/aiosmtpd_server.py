"""aiosmtpd for the interop suite, run by Debian's /usr/bin/python3.

Listens on 127.0.0.1 on two ports: the main one (STARTTLS with the given
certificate, AUTH PLAIN/LOGIN after TLS, SMTPUTF8, a local domain whose
unknown users get 550 5.1.1, other domains accepted from loopback) and a
fault one whose third NOOP gets 421 (aiosmtpd's command_call_limit).
Accepted messages are written to the messages folder, one file each, so the
suite can check what arrived. Prints "ready" once both ports listen.
"""
import argparse
import asyncio
import hashlib
import os
import ssl
import sys

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
    print("ready", flush=True)
    async with main_server, fault_server:
        await asyncio.gather(main_server.serve_forever(), fault_server.serve_forever())


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
