"""Read an APK's package name, version and launcher activity from its binary
AndroidManifest.xml (Android's compiled XML: a string pool, then element chunks)."""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass

_XML, _STRING_POOL, _RESOURCE_MAP = 0x0003, 0x0001, 0x0180
_START_ELEMENT, _END_ELEMENT = 0x0102, 0x0103
_UTF8 = 0x100
_NO_STRING = 0xFFFFFFFF
# attribute resource ids, for manifests whose attribute names were stripped
_RES_NAMES = {
    0x0101021B: "versionCode",
    0x0101021C: "versionName",
    0x01010001: "label",
    0x01010003: "name",
    0x01010006: "permission",
    0x0101020C: "minSdkVersion",
    0x0101028E: "required",
}
BIND_INPUT_METHOD = "android.permission.BIND_INPUT_METHOD"


class ApkError(Exception):
    """Not an APK we can install; the message is Android's failure code."""


@dataclass(frozen=True)
class ApkInfo:
    package: str
    version_code: int
    version_name: str
    label: str
    launcher_activity: str | None
    activities: tuple[str, ...] = ()  # full class names
    input_methods: tuple[str, ...] = ()  # services that are input methods (full names)
    min_sdk: int = 1
    features: tuple[str, ...] = ()  # uses-feature it requires


MAX_MANIFEST = 4 << 20  # inflated: a zip bomb of a manifest is refused, not expanded


def read_apk(data: bytes) -> ApkInfo:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entry = archive.getinfo("AndroidManifest.xml")
            if entry.file_size > MAX_MANIFEST:
                raise ApkError("INSTALL_PARSE_FAILED_MANIFEST_MALFORMED")
            with archive.open(entry) as handle:
                manifest = handle.read(MAX_MANIFEST + 1)
            if len(manifest) > MAX_MANIFEST:  # the header lied about the size
                raise ApkError("INSTALL_PARSE_FAILED_MANIFEST_MALFORMED")
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, NotImplementedError):
        raise ApkError("INSTALL_PARSE_FAILED_NOT_APK") from None
    try:
        return _parse_manifest(manifest)
    except (struct.error, IndexError, UnicodeDecodeError, KeyError, ValueError):
        raise ApkError("INSTALL_PARSE_FAILED_UNEXPECTED_EXCEPTION") from None


def _parse_manifest(blob: bytes) -> ApkInfo:
    kind, header_size, _size = struct.unpack_from("<HHI", blob, 0)
    if kind != _XML:
        raise ApkError("INSTALL_PARSE_FAILED_BAD_MANIFEST")
    strings: list[str] = []
    resource_ids: list[int] = []
    info: dict[str, str] = {}
    stack: list[str] = []
    activity: dict[str, object] = {}
    launcher: str | None = None
    activities: list[str] = []
    input_methods: list[str] = []
    features: list[str] = []
    min_sdk = 1
    offset = header_size
    while offset + 8 <= len(blob):
        kind, chunk_header, size = struct.unpack_from("<HHI", blob, offset)
        if size < 8:
            raise ApkError("INSTALL_PARSE_FAILED_BAD_MANIFEST")
        if kind == _STRING_POOL:
            strings = _string_pool(blob, offset)
        elif kind == _RESOURCE_MAP:
            count = (size - chunk_header) // 4
            resource_ids = list(struct.unpack_from(f"<{count}I", blob, offset + chunk_header))
        elif kind == _START_ELEMENT:
            name, attrs = _element(blob, offset, chunk_header, strings, resource_ids)
            stack.append(name)
            if name == "manifest":
                info = attrs
            elif name == "uses-sdk":
                min_sdk = int(attrs.get("minSdkVersion", "1") or 1)
            elif name == "uses-feature" and attrs.get("required", "true") != "false":
                if attrs.get("name"):
                    features.append(attrs["name"])
            elif name == "application" and "label" in attrs:
                info["label"] = attrs["label"]
            elif name in ("activity", "activity-alias"):
                activity = {"name": attrs.get("name", ""), "main": False, "launcher": False}
                activities.append(attrs.get("name", ""))
            elif name == "service" and attrs.get("permission") == BIND_INPUT_METHOD:
                input_methods.append(attrs.get("name", ""))
            elif name == "action" and attrs.get("name") == "android.intent.action.MAIN":
                activity["main"] = True
            elif name == "category" and attrs.get("name") == "android.intent.category.LAUNCHER":
                activity["launcher"] = True
        elif kind == _END_ELEMENT and stack:
            name = stack.pop()
            if (
                name in ("activity", "activity-alias")
                and activity.get("main")
                and activity.get("launcher")
                and launcher is None
            ):
                launcher = str(activity["name"])
        offset += size
    if not info.get("package"):
        raise ApkError("INSTALL_PARSE_FAILED_BAD_MANIFEST")
    package = info["package"]
    if launcher and launcher.startswith("."):
        launcher = package + launcher
    full = tuple(package + a if a.startswith(".") else a for a in activities if a)
    imes = tuple(package + a if a.startswith(".") else a for a in input_methods if a)
    return ApkInfo(
        package=package,
        version_code=int(info.get("versionCode", "0") or 0),
        version_name=info.get("versionName", ""),
        # a label that is a resource reference would need resources.arsc: use the name
        label=label
        if (label := info.get("label", "")) and not label.startswith("@")
        else package.rsplit(".", 1)[-1],
        launcher_activity=launcher,
        activities=full,
        input_methods=imes,
        min_sdk=min_sdk,
        features=tuple(features),
    )


def _string_pool(blob: bytes, start: int) -> list[str]:
    _, header, _size, count, _styles, flags, strings_start, _ = struct.unpack_from(
        "<HHIIIIII", blob, start
    )
    offsets = struct.unpack_from(f"<{count}I", blob, start + header)
    base = start + strings_start
    utf8 = bool(flags & _UTF8)
    return [_string_at(blob, base + off, utf8) for off in offsets]


def _string_at(blob: bytes, at: int, utf8: bool) -> str:
    if utf8:
        at += 2 if blob[at] & 0x80 else 1  # length in UTF-16 units, skipped
        length = blob[at]
        if length & 0x80:
            length = ((length & 0x7F) << 8) | blob[at + 1]
            at += 1
        return blob[at + 1 : at + 1 + length].decode("utf-8", "replace")
    (length,) = struct.unpack_from("<H", blob, at)
    at += 2
    if length & 0x8000:
        (low,) = struct.unpack_from("<H", blob, at)
        length = ((length & 0x7FFF) << 16) | low
        at += 2
    return blob[at : at + length * 2].decode("utf-16-le", "replace")


def _element(
    blob: bytes, start: int, header: int, strings: list[str], resource_ids: list[int]
) -> tuple[str, dict[str, str]]:
    _ns, name_index, attr_start, attr_size, attr_count = struct.unpack_from(
        "<IIHHH", blob, start + header
    )
    attrs: dict[str, str] = {}
    base = start + header + attr_start
    for n in range(attr_count):
        _a_ns, a_name, raw, _sz, _res0, data_type, data = struct.unpack_from(
            "<IIIHBBI", blob, base + n * attr_size
        )
        key = strings[a_name] if a_name < len(strings) else ""
        if a_name < len(resource_ids) and resource_ids[a_name] in _RES_NAMES:
            key = _RES_NAMES[resource_ids[a_name]]
        if raw != _NO_STRING:
            value = strings[raw]
        elif data_type == 0x12:
            value = "true" if data else "false"
        elif data_type == 0x03:
            value = strings[data]
        elif data_type == 0x01:
            value = f"@0x{data:08x}"
        else:
            value = str(data)
        attrs[key] = value
    return strings[name_index], attrs
