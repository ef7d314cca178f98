"""No client, known or not, makes a service hold more than its routes take: a body over its
cap is refused (413) before the caller is known, whether it says its length or streams;
many wallets long-polling at once hold no worker thread, so the other routes still answer."""

from __future__ import annotations

import asyncio
import json
import socket
from urllib.parse import urlsplit

import httpx
import psutil
import pytest

from tests.payment_data import CARD, PIN

MiB = 1 << 20


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    return socket.create_connection((parts.hostname, parts.port), timeout=10)


def _answer(conn: socket.socket) -> str:
    """The status line and body the server sent (it may close before we stop sending)."""
    data = b""
    try:
        while b"\r\n\r\n" not in data or len(data) < 200:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
    except (TimeoutError, ConnectionError):
        pass
    return data.decode(errors="replace")


@pytest.fixture
def service_process(home, sandbox_url) -> psutil.Process:
    done = home.lab("services", "status", "--json", "--inventory", str(home.inventory))
    [payment] = [s for s in json.loads(done.stdout)["services"] if s["name"] == "payment"]
    return psutil.Process(payment["pid"])


def test_a_declared_length_over_the_cap_is_refused_before_the_body(sandbox_url):
    """64 MiB announced, no key, no body sent: the answer comes at once (it used to wait
    for the body, then hold all of it before saying 401)."""
    with _connect(sandbox_url) as conn:
        conn.sendall(
            b"POST /v1/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % (64 * MiB)
        )
        answer = _answer(conn)
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert '"param":"body"' in answer


def test_a_streamed_body_is_cut_at_the_cap_and_never_held(sandbox_url, service_process):
    before = service_process.memory_info().rss
    with _connect(sandbox_url) as conn:
        conn.sendall(
            b"POST /v1/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"%x\r\n%s\r\n" % (MiB, b" " * MiB)
        try:
            for _ in range(64):
                conn.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed: what we want
        answer = _answer(conn)
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    grown = service_process.memory_info().rss - before
    assert grown < 16 * MiB, f"the service grew by {grown / MiB:.0f} MiB"


def test_long_polls_hold_no_worker_thread(sandbox):
    """60 wallets wait for events (more than the 40 worker threads); a merchant's GET is
    answered while every one of them is still waiting."""
    shop = sandbox.merchant("Poll Shop")
    order = shop.order(100, "tea")
    wallets = [sandbox.wallet(f"poll-{n}", PIN, CARD, balance=0) for n in range(6)]

    async def scenario() -> tuple[list[bool], int]:
        async with httpx.AsyncClient(base_url=sandbox.url, timeout=30) as http:

            async def poll(n: int) -> None:
                key = wallets[n % len(wallets)].api_key
                await http.get("/v1/wallet/events", params={"wait": 8, "after": 10**9},
                               headers={"Authorization": f"Bearer {key}"})  # fmt: skip

            polls = [asyncio.create_task(poll(n)) for n in range(60)]
            await asyncio.sleep(1.0)  # every poll has reached the service
            answer = await http.get(
                f"/v1/orders/{order['id']}", headers={"Authorization": f"Bearer {shop.key}"}
            )
            still_waiting = [not task.done() for task in polls]
            await asyncio.gather(*polls)
            return still_waiting, answer.status_code

    still_waiting, status = asyncio.run(scenario())
    assert status == 200
    assert all(still_waiting), f"{still_waiting.count(False)} polls ended before the GET"
