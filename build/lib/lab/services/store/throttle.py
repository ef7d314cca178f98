"""Downloads at a set rate: the lab's fault for a slow network between a device and the
store (POST /v1/admin/faults {"download_bytes_per_second": N}), so a test can act in the
middle of a download (reboot, cut the network) on a real device as on a virtual one.
Range requests are honoured as FileResponse does (one range, `bytes=N-` or `bytes=N-M`)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi.responses import Response, StreamingResponse

CHUNK = 64 << 10
_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")


def throttled_file(
    path: Path, range_header: str | None, rate: int, media_type: str, headers: dict[str, str]
) -> Response:
    size = path.stat().st_size
    start, end, status = 0, size - 1, 200
    found = _RANGE.match(range_header or "")
    if found:
        start = int(found.group(1))
        end = min(int(found.group(2)), size - 1) if found.group(2) else size - 1
        if start >= size or start > end:
            return Response(status_code=416, headers={"Content-Range": f"bytes */{size}"})
        status = 206
        headers = {**headers, "Content-Range": f"bytes {start}-{end}/{size}"}
    headers = {**headers, "Content-Length": str(end - start + 1), "Accept-Ranges": "bytes"}
    return StreamingResponse(_send(path, start, end, rate), status, headers, media_type=media_type)


async def _send(path: Path, start: int, end: int, rate: int) -> AsyncIterator[bytes]:
    with path.open("rb") as source:
        source.seek(start)
        left = end - start + 1
        while left > 0:
            chunk = source.read(min(CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk
            await asyncio.sleep(len(chunk) / rate)
