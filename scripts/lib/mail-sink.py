#!/usr/bin/python3
"""mail-sink.py: scripts/run's local mail sink, so that the double opt-in
can be completed in a browser without reading the database.

It listens for SMTP on 127.0.0.1 (python3-aiosmtpd), keeps every message it
gets as DIR/NNNN.eml, and writes beside them the pages that scripts/run's
nginx serves at /dev/mail/ (and nowhere else: a deployed site has no such
location): index.html, the list (time, recipient, subject, newest first),
and NNNN.html, one mail's headers and plain text with its links clickable.
Nothing leaves the machine; nothing is logged about the mails (recipients
are personal data).

    mail-sink.py --port PORT --dir DIR     runs until SIGTERM or SIGINT
    mail-sink.py --render DIR              only rewrites the pages
"""

import argparse
import email
import email.policy
import html
import os
import re
import signal
import sys
import threading
import time

URL = re.compile(r"https?://[^\s<>\"']+")
EML = re.compile(r"^(\d{4,})\.eml$")

CSS = """\
body { font-family: system-ui, sans-serif; line-height: 1.5; color: #1b2733;
  background: #fff; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.5rem; margin: 1rem 0 .5rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
p.note { color: #3d4a57; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { text-align: left; vertical-align: top; padding: .4rem .5rem;
  border-bottom: 1px solid #c9d2db; }
th { background: #eef2f5; }
a { color: #0b5394; }
a:focus { outline: 3px solid #f0a500; outline-offset: 2px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa;
  border: 1px solid #c9d2db; padding: 1rem; font-size: .95rem; }
"""


def esc(s):
    return html.escape(s or "", quote=True)


def page(title, body):
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)} — icommit development mail</title>\n"
        '<link rel="icon" href="/favicon.svg" type="image/svg+xml">\n'
        '<link rel="stylesheet" href="mail.css">\n'
        f"</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )


def write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def linkify(text):
    """Escaped text with every http(s) URL made a link."""
    out, last = [], 0
    for m in URL.finditer(text):
        url = m.group(0).rstrip(".,;:)»”")
        end = m.start() + len(url)
        out.append(esc(text[last:m.start()]))
        out.append(f'<a href="{esc(url)}">{esc(url)}</a>')
        last = end
    out.append(esc(text[last:]))
    return "".join(out)


def read_mail(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    body = msg.get_body(preferencelist=("plain", "html"))
    try:
        text = body.get_content() if body is not None else ""
    except (LookupError, ValueError):
        text = "(this part cannot be decoded; see the .eml file)"
    attachments = [a.get_filename() or a.get_content_type()
                   for a in msg.iter_attachments()]
    rcpt = msg.get("X-Sink-Rcpt-To") or msg.get("To") or ""
    return {
        "subject": str(msg.get("Subject", "")) or "(no subject)",
        "from": str(msg.get("From", "")),
        "to": str(rcpt),
        "date": str(msg.get("Date", "")),
        "text": text.replace("\r\n", "\n"),
        "attachments": [a for a in attachments if a],
    }


def mail_page(num, m):
    rows = [("From", m["from"]), ("To", m["to"]), ("Date", m["date"])]
    if m["attachments"]:
        rows.append(("Attachments", ", ".join(m["attachments"])))
    dl = "".join(f"<dt>{k}</dt><dd>{esc(v)}</dd>\n" for k, v in rows)
    body = (
        f'<p><a href="./">All mail</a></p>\n'
        f"<h1>{esc(m['subject'])}</h1>\n"
        f"<dl>\n{dl}</dl>\n"
        "<h2>Text</h2>\n"
        f"<pre>{linkify(m['text'])}</pre>\n"
        f'<p><a href="{num}.eml">The whole message ({num}.eml)</a></p>\n'
    )
    return page(m["subject"], body)


def render(folder):
    """Rewrites index.html, and the page of every mail that has none."""
    nums = sorted((EML.match(n).group(1) for n in os.listdir(folder)
                   if EML.match(n)), key=int, reverse=True)
    rows = []
    for num in nums:
        eml = os.path.join(folder, f"{num}.eml")
        try:
            m = read_mail(eml)
        except OSError:
            continue
        if not os.path.exists(os.path.join(folder, f"{num}.html")):
            write(os.path.join(folder, f"{num}.html"), mail_page(num, m))
        t = time.gmtime(os.stat(eml).st_mtime)
        rows.append(
            "<tr>"
            f'<td><time datetime="{time.strftime("%Y-%m-%dT%H:%M:%SZ", t)}">'
            f'{time.strftime("%Y-%m-%d %H:%M:%S", t)} UTC</time></td>'
            f"<td>{esc(m['to'])}</td>"
            f'<td><a href="{num}.html">{esc(m["subject"])}</a></td>'
            "</tr>\n"
        )
    n = len(rows)
    if rows:
        listing = (
            f"<table>\n<caption>{n} mail{'s' if n != 1 else ''}, newest first"
            "</caption>\n<thead><tr><th scope=\"col\">Received</th>"
            "<th scope=\"col\">To</th><th scope=\"col\">Subject</th></tr>"
            f"</thead>\n<tbody>\n{''.join(rows)}</tbody>\n</table>\n"
        )
    else:
        listing = "<p>No mail yet. Submit a form on the site, then reload this page.</p>\n"
    body = (
        "<h1>Mail sent by the development stack</h1>\n"
        '<p class="note">Every mail icommitd sends on this machine is caught '
        "here by scripts/run's local mail sink (also kept as .eml files in "
        "its state folder, mail/); nothing leaves the machine. Reload to see "
        "new mail. This page exists only on the scripts/run stack.</p>\n"
        + listing
    )
    write(os.path.join(folder, "index.html"), page("Mail", body))
    write(os.path.join(folder, "mail.css"), CSS)


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.lock = threading.Lock()

    def next_number(self):
        nums = [int(EML.match(n).group(1)) for n in os.listdir(self.folder)
                if EML.match(n)]
        return f"{max(nums, default=0) + 1:04d}"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            num = self.next_number()
            path = os.path.join(self.folder, f"{num}.eml")
            head = "X-Sink-Rcpt-To: " + ", ".join(envelope.rcpt_tos) + "\r\n"
            data = envelope.original_content or envelope.content
            if isinstance(data, str):
                data = data.encode("utf-8")
            tmp = path + ".tmp"
            with open(tmp, "wb") as f:
                f.write(head.encode("utf-8") + data)
            os.replace(tmp, path)
            render(self.folder)
        return "250 OK"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int)
    ap.add_argument("--dir", required=False)
    ap.add_argument("--render", metavar="DIR")
    args = ap.parse_args()
    if args.render:
        render(args.render)
        return 0
    if not args.port or not args.dir:
        ap.error("--port and --dir are needed (or --render DIR)")
    os.makedirs(args.dir, exist_ok=True)
    render(args.dir)

    from aiosmtpd.controller import Controller

    controller = Controller(Sink(args.dir), hostname="127.0.0.1", port=args.port)
    controller.start()
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
