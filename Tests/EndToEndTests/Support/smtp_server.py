# SPDX-License-Identifier: Apache-2.0
"""A real SMTP server on 127.0.0.1 for the mail tests (aiosmtpd), keeping each message it takes
as a file with its envelope. With --tls it offers STARTTLS with a certificate made here by a CA
made here (written as ca.pem for the client to trust) and requires AUTH PLAIN/LOGIN.

With --silent it takes every command but answers nothing once a message's data is sent (a
relay that hangs after DATA), and keeps nothing.

usage: smtp_server.py DIR PORT [--tls USER PASSWORD] [--silent]
Prints "ready" once it listens; runs until killed.
"""
import asyncio
import datetime
import ipaddress
import json
import os
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

out, port = sys.argv[1], int(sys.argv[2])
tls = "--tls" in sys.argv
silent = "--silent" in sys.argv
os.makedirs(out, exist_ok=True)


class Keep:
    async def handle_DATA(self, server, session, envelope):
        if silent:
            await asyncio.sleep(3600)
        name = f"{time.time_ns()}"
        with open(os.path.join(out, name + ".eml"), "wb") as f:
            f.write(envelope.original_content)
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos, "auth": getattr(session, "authenticated", False)}, f)
        return "250 OK"


def make_certificates():
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ruralstat test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = {n: os.path.join(out, n) for n in ("ca.pem", "cert.pem", "key.pem")}
    open(paths["ca.pem"], "wb").write(ca.public_bytes(serialization.Encoding.PEM))
    open(paths["cert.pem"], "wb").write(cert.public_bytes(serialization.Encoding.PEM))
    open(paths["key.pem"], "wb").write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    return paths


kwargs = {}
if tls:
    user, password = sys.argv[sys.argv.index("--tls") + 1:sys.argv.index("--tls") + 3]
    paths = make_certificates()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(paths["cert.pem"], paths["key.pem"])

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login.decode() == user and auth_data.password.decode() == password
        # handled=False: aiosmtpd answers a refused login itself (535); with its default, True,
        # it sends nothing and the client waits until its timeout.
        return AuthResult(success=ok, handled=False)

    kwargs = dict(tls_context=context, require_starttls=True, authenticator=authenticate, auth_required=True)
controller = Controller(Keep(), hostname="127.0.0.1", port=port, **kwargs)
controller.start()
print("ready", flush=True)
try:
    while True:
        time.sleep(1)
finally:
    controller.stop()
