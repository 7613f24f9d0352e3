#!/usr/bin/env python3
"""A local email sink and webhook receiver for trying FinSight's alerts (standard library only).

    tools/alert-sink.py [--smtp-port 2525] [--http-port 5099] [--secret whsec_...]

SMTP on 127.0.0.1:<smtp-port> accepts every message and prints its headers and text; HTTP on
127.0.0.1:<http-port> accepts POSTs on any path, prints the body and, with --secret, whether
X-FinSight-Signature matches. Start FinSight with Alerts__Smtp__Host=127.0.0.1
Alerts__Smtp__Port=<smtp-port> Alerts__Smtp__Security=None and set the webhook URL to
http://127.0.0.1:<http-port>/hook (Development allows local webhook addresses).
"""
import argparse, email, email.policy, hashlib, hmac, http.server, json, socketserver, sys, threading


def log(*parts):
    print(*parts, flush=True)


class Smtp(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        self.reply("220 alert-sink ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode(errors="replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 alert-sink")
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = bytearray()
                while True:
                    chunk = self.rfile.readline()
                    if chunk in (b".\r\n", b".\n", b""):
                        break
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                message = email.message_from_bytes(bytes(data), policy=email.policy.default)
                body = message.get_body(preferencelist=("plain",))
                log(f"[email] to={message['To']} subject={message['Subject']!r}\n{body.get_content() if body else ''}")
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


def make_webhook(secret):
    class Webhook(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
            timestamp = self.headers.get("X-FinSight-Timestamp", "")
            signature = self.headers.get("X-FinSight-Signature", "")
            verdict = "not checked (no --secret)"
            if secret:
                expected = "sha256=" + hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
                verdict = "valid" if hmac.compare_digest(expected, signature) else "INVALID"
            log(f"[webhook] {self.path} delivery={self.headers.get('X-FinSight-Delivery')} signature {verdict}\n"
                + json.dumps(json.loads(body), indent=2))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    return Webhook


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smtp-port", type=int, default=2525)
    parser.add_argument("--http-port", type=int, default=5099)
    parser.add_argument("--secret", default=None)
    args = parser.parse_args()
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    smtp = socketserver.ThreadingTCPServer(("127.0.0.1", args.smtp_port), Smtp)
    web = http.server.ThreadingHTTPServer(("127.0.0.1", args.http_port), make_webhook(args.secret))
    threading.Thread(target=smtp.serve_forever, daemon=True).start()
    log(f"SMTP on 127.0.0.1:{args.smtp_port}, webhooks on http://127.0.0.1:{args.http_port}/hook")
    try:
        web.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
