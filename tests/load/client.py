"""A simulated professional: logs in, runs Delen assessments to the end and saves each decision.

Plain http.client over loopback with its own cookies, CSRF token and keep-alive connection, as a
browser behind the load balancer would send them (`X-Forwarded-Proto: https`, Origin, Referer).
Every request's outcome is kept, so a test can tell what the server confirmed and what failed.
"""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from tests.web.sharing.conftest import form_value

_FACT = re.compile(r'name="fact" value="([^"]+)"')
_SAVED = re.compile(r"/audit/(?:records/)?(\d+)/$")
MOTIVATION = "Gedeeld binnen de RIEC-casus op grond van het convenant; alleen wat nodig is."


class UnexpectedAnswerError(Exception):
    """The server answered, but not as the flow expects (status or page)."""


@dataclass
class Outcome:
    """One request: when, what, and how it ended (`status` 0 means the connection failed)."""

    started: float
    ended: float
    kind: str
    status: int
    error: str = ""


@dataclass
class UserStats:
    outcomes: list[Outcome] = field(default_factory=list)
    saved: list[int] = field(default_factory=list)  # sequences the server confirmed
    interrupted_saves: int = 0  # saves whose answer never came (connection lost)


class SimulatedUser:
    """One person with one session on one keep-alive connection (reopened when it breaks)."""

    def __init__(self, port: int, username: str, password: str, seed: int) -> None:
        self.port = port
        self.username = username
        self.password = password
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        self.stats = UserStats()
        self.random = random.Random(seed)

    # -- HTTP ------------------------------------------------------------------------------
    def _request(
        self, kind: str, method: str, path: str, form: Mapping[str, object] | None = None
    ) -> tuple[int, str, str]:
        origin = f"https://127.0.0.1:{self.port}"
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "127.0.0.1",
            "Accept-Language": "nl",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            data = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = origin
            headers["Referer"] = origin + path
        started = time.monotonic()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            self._drop_connection()
            self.stats.outcomes.append(
                Outcome(started, time.monotonic(), kind, 0, type(exc).__name__)
            )
            raise
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        location = urlsplit(response.getheader("Location") or "").path
        self.stats.outcomes.append(Outcome(started, time.monotonic(), kind, response.status))
        if response.getheader("Connection", "").lower() == "close":
            self._drop_connection()
        return response.status, location, text

    def _drop_connection(self) -> None:
        if self.connection is not None:
            self.connection.close()
        self.connection = None

    def _expect(self, status: int, wanted: int, kind: str, location: str = "") -> None:
        if status != wanted:
            raise UnexpectedAnswerError(f"{kind}: HTTP {status} (expected {wanted}) {location}")

    # -- Flow ------------------------------------------------------------------------------
    def login(self) -> None:
        status, _, _ = self._request("login_form", "GET", "/accounts/login/")
        self._expect(status, 200, "login_form")
        status, location, _ = self._request(
            "login",
            "POST",
            "/accounts/login/",
            {"username": self.username, "password": self.password},
        )
        self._expect(status, 302, "login", location=location)

    def assess_and_save(
        self, answers: Mapping[str, object], on_save: threading.Event | None
    ) -> None:
        """Start an assessment, answer until the result, open it and save the decision."""
        status, question, _ = self._request("start", "POST", "/sharing/", {"entry": "normal"})
        self._expect(status, 302, "start", location=question)
        for _ in range(40):
            status, location, page = self._request("question", "GET", question)
            if status == 302 and location.endswith(("/check/", "/result/")):
                break
            self._expect(status, 200, "question")
            match = _FACT.search(page)
            if match is None:
                raise UnexpectedAnswerError("question page without a question")
            fact = match.group(1)
            status, location, _ = self._request(
                "answer",
                "POST",
                question,
                {"action": "answer", "fact": fact, "value": form_value(answers[fact])},
            )
            self._expect(status, 302, "answer", location=location)
        else:
            raise UnexpectedAnswerError("the wizard did not finish in 40 questions")
        result = question + "result/"
        status, _, page = self._request("result", "GET", result)
        self._expect(status, 200, "result")
        if on_save is not None:
            on_save.set()
        try:
            status, location, _ = self._request(
                "save", "POST", question + "save/", {"motivation": MOTIVATION}
            )
        except (OSError, http.client.HTTPException):
            self.stats.interrupted_saves += 1
            raise
        self._expect(status, 302, "save", location=location)
        saved = _SAVED.search(location)
        if saved is None:
            raise UnexpectedAnswerError(f"save redirected to {location!r}, not to a record")
        self.stats.saved.append(int(saved.group(1)))

    def run(
        self,
        until: float,
        answer_sets: list[Mapping[str, object]],
        think: tuple[float, float] = (0.0, 0.0),
        on_save: threading.Event | None = None,
        keep_going: bool = False,
    ) -> None:
        """Log in, then assess and save until `until`; with keep_going, start over after errors."""
        logged_in = False
        while time.monotonic() < until:
            try:
                if not logged_in:
                    self.login()
                    logged_in = True
                self.assess_and_save(self.random.choice(answer_sets), on_save)
            except (OSError, http.client.HTTPException, UnexpectedAnswerError) as exc:
                if not keep_going:
                    self.stats.outcomes.append(
                        Outcome(time.monotonic(), time.monotonic(), "flow", -1, str(exc))
                    )
                    return
                time.sleep(0.2)
            if think[1]:
                time.sleep(self.random.uniform(*think))
