"""The text of an uploaded PDF, read by pypdf in a child process held to the budget.

pypdf is pure Python and cannot be stopped halfway through a page: a PDF of a few
kilobytes can unpack to megabytes of drawing instructions that take it minutes and
gigabytes to parse. So `pdfchild` reads the file in a process of its own, with its
memory and CPU time capped by the kernel and killed at the budget's deadline; it also
lowers pypdf's own limit on one decoded stream and refuses a page that unpacks to more
than a page may hold before parsing it. The server's process only waits.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .budget import Budget

CHILD = Path(__file__).with_name("pdfchild.py")
# Drawing instructions one page may unpack to: text pages hold kilobytes; pypdf spends
# about 35 bytes of memory on each byte it parses.
PAGE_CAP = 2 * 1024 * 1024
# The child's address space: Python, pypdf and a page at the cap, with room to spare.
MEMORY = 512 * 1024 * 1024


def pdf_text(data: bytes, budget: Budget, accepted) -> str:
    seconds = max(1, int(budget.deadline - time.monotonic()) + 1)
    try:
        done = subprocess.run(  # our own script, the file on its input
            [sys.executable, "-I", str(CHILD), str(budget.text), str(PAGE_CAP), str(MEMORY),
             str(seconds)],
            input=data, capture_output=True, timeout=seconds, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise budget.over_time() from None
    if done.returncode == -signal.SIGXCPU:
        raise budget.over_time()
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        answer = {"refused": "memory" if done.returncode else "unreadable", "reason": ""}
    if "text" in answer:
        return answer["text"]
    raise _refusal(answer, budget, accepted)


def _refusal(answer: dict, budget: Budget, accepted) -> ValidationError:
    why = answer.get("refused")
    if why == "encrypted":
        return ValidationError(
            _("The PDF is password-protected; upload it unprotected."), code="encrypted"
        )
    if why == "page_too_large":
        return ValidationError(
            _("The PDF's page %(page)s unpacks to more drawing instructions than a page may "
              "hold (%(max)s).")
            % {"page": answer.get("page"), "max": filesizeformat(PAGE_CAP)},
            code="too_much_data",
        )  # fmt: skip
    if why == "too_much_text":
        return budget.over_text()
    if why == "memory":
        return ValidationError(
            _("Reading the PDF needed more memory than a file of %(file)s may use.")
            % {"file": budget.file_size},
            code="too_much_memory",
        )
    return ValidationError(
        _(
            "Received a file that starts like a PDF but cannot be read as one "
            "(%(reason)s); accepted: %(accepted)s."
        )
        % {"reason": answer.get("reason") or _("no reason given"), "accepted": accepted},
        code="unreadable",
    )
