"""Android's binary XML (AXML), written: what aapt makes of an AndroidManifest.xml.

Written here rather than taken from a library: pyaxml (the one maintained encoder on PyPI)
is GPL-3.0 and works over protobuf messages; aapt/aapt2 need the platform's android.jar
for attribute ids, which Debian does not ship. A manifest needs only five chunk kinds
(string pool, resource map, namespace, element start and end), laid out as in AOSP's
ResourceTypes.h; androguard and the device both read the result, and tests check it.

Attributes in the android namespace carry their framework resource id (the resource map),
as aapt writes them; their values are typed (int, boolean, string) by the table below."""

from __future__ import annotations

import struct
from xml.etree import ElementTree

ANDROID_NS = "http://schemas.android.com/apk/res/android"

# Framework attribute ids (android.R.attr) of the attributes a lab manifest uses, and how
# each value is typed.
ATTRIBUTES: dict[str, tuple[int, str]] = {
    "label": (0x01010001, "string"),
    "icon": (0x01010002, "string"),
    "name": (0x01010003, "string"),
    "hasCode": (0x0101000C, "bool"),
    "exported": (0x01010010, "bool"),
    "minSdkVersion": (0x0101020C, "int"),
    "versionCode": (0x0101021B, "int"),
    "versionName": (0x0101021C, "string"),
    "targetSdkVersion": (0x01010270, "int"),
    "required": (0x0101028E, "bool"),
}

_XML, _STRING_POOL, _RESOURCE_MAP = 0x0003, 0x0001, 0x0180
_START_NS, _END_NS, _START_ELEMENT, _END_ELEMENT = 0x0100, 0x0101, 0x0102, 0x0103
_TYPE_STRING, _TYPE_INT_DEC, _TYPE_INT_BOOLEAN = 0x03, 0x10, 0x12
_UTF8 = 1 << 8
_NONE = 0xFFFFFFFF


class AxmlError(ValueError):
    """A manifest this encoder cannot write (an unknown android: attribute, say)."""


def encode(root: ElementTree.Element) -> bytes:
    """The binary form of `root`, whose android attributes are `{ANDROID_NS}name` keys."""
    pool = _Pool()
    # attribute names with resource ids come first: the resource map indexes the pool
    android_names = sorted(
        {_local(key) for node in root.iter() for key in node.attrib if key.startswith("{")},
        key=lambda name: _attribute(name)[0],
    )
    for name in android_names:
        pool.index(name)
    resource_map = [_attribute(name)[0] for name in android_names]
    prefix, uri = pool.index("android"), pool.index(ANDROID_NS)
    body = [_chunk(_START_NS, 16, struct.pack("<IIII", 1, _NONE, prefix, uri))]
    _elements(root, pool, uri, body)
    body.append(_chunk(_END_NS, 16, struct.pack("<IIII", 1, _NONE, prefix, uri)))
    head = [
        pool.chunk(),
        _chunk(_RESOURCE_MAP, 8, struct.pack(f"<{len(resource_map)}I", *resource_map)),
    ]
    payload = b"".join(head + body)
    return struct.pack("<HHI", _XML, 8, 8 + len(payload)) + payload


def _elements(node: ElementTree.Element, pool: _Pool, uri: int, out: list[bytes]) -> None:
    name = pool.index(node.tag)
    attributes = []
    for key, value in node.attrib.items():
        if key.startswith("{"):
            if not key.startswith("{" + ANDROID_NS + "}"):
                raise AxmlError(f"{node.tag}: attribute {key} is in an unknown namespace")
            local = _local(key)
            resource_id, kind = _attribute(local)
            attributes.append((resource_id, uri, pool.index(local), _typed(kind, value, pool, key)))
        else:  # `package` and the like: no namespace, no resource id, sorted after
            attributes.append((1 << 32, _NONE, pool.index(key), _typed("string", value, pool, key)))
    attributes.sort(key=lambda a: (a[0], a[2]))
    packed = b"".join(
        struct.pack("<III", ns, attr_name, raw) + struct.pack("<HBBI", 8, 0, kind, data)
        for _, ns, attr_name, (raw, kind, data) in attributes
    )
    head = struct.pack("<IIIIHHHHHH", 1, _NONE, _NONE, name, 20, 20, len(attributes), 0, 0, 0)
    out.append(_chunk(_START_ELEMENT, 16, head + packed))
    for child in node:
        _elements(child, pool, uri, out)
    out.append(_chunk(_END_ELEMENT, 16, struct.pack("<IIII", 1, _NONE, _NONE, name)))


def _typed(kind: str, value: str, pool: _Pool, key: str) -> tuple[int, int, int]:
    """(raw string index, value type, data) of one attribute value."""
    if kind == "int":
        try:
            return _NONE, _TYPE_INT_DEC, int(value) & 0xFFFFFFFF
        except ValueError:
            raise AxmlError(f"{key}: expected an integer, got {value!r}") from None
    if kind == "bool":
        if value not in ("true", "false"):
            raise AxmlError(f"{key}: expected true or false, got {value!r}")
        return _NONE, _TYPE_INT_BOOLEAN, _NONE if value == "true" else 0
    index = pool.index(value)
    return index, _TYPE_STRING, index


def _attribute(name: str) -> tuple[int, str]:
    try:
        return ATTRIBUTES[name]
    except KeyError:
        known = ", ".join(sorted(ATTRIBUTES))
        raise AxmlError(
            f"android:{name} is not an attribute this encoder knows ({known})"
        ) from None


def _local(key: str) -> str:
    return key.rsplit("}", 1)[-1]


def _chunk(kind: int, header_size: int, body: bytes) -> bytes:
    """A chunk: type, header size, total size, then `body` (its header's rest and data)."""
    return struct.pack("<HHI", kind, header_size, 8 + len(body)) + body


class _Pool:
    """The string pool, UTF-8, in first-use order."""

    def __init__(self) -> None:
        self._strings: dict[str, int] = {}

    def index(self, text: str) -> int:
        return self._strings.setdefault(text, len(self._strings))

    def chunk(self) -> bytes:
        data, offsets = bytearray(), []
        for text in self._strings:
            offsets.append(len(data))
            raw = text.encode("utf-8")
            units = len(text.encode("utf-16-le")) // 2
            data += _length(units) + _length(len(raw)) + raw + b"\0"
        data += b"\0" * (-len(data) % 4)
        count = len(offsets)
        strings_start = 28 + 4 * count
        header = struct.pack("<IIIII", count, 0, _UTF8, strings_start, 0)
        return _chunk(_STRING_POOL, 28, header + struct.pack(f"<{count}I", *offsets) + bytes(data))


def _length(n: int) -> bytes:
    if n > 0x7FFF:
        raise AxmlError(f"a string of {n} characters is too long for a manifest")
    return bytes([n]) if n < 0x80 else bytes([0x80 | (n >> 8), n & 0xFF])
