"""What one virtual device process is told at start: its identity, display and ports."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from lab.inventory import Device, parse_host_port


@dataclass(frozen=True)
class DeviceSpec:
    id: str
    device_class: str
    model: str
    platform: str
    host: str
    port: int
    width: int
    height: int
    density: int
    shape: str
    capabilities: tuple[str, ...] = ()
    auth_required: bool = False
    authorized_keys: tuple[str, ...] = ()
    console: bool = True
    boot_seconds: float = 1.0
    serialno: str = ""
    system_image: str = ""  # the read-only /system every device mounts (userland/image.py)
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_device(
        cls, device: Device, boot_seconds: float = 1.0, system_image: str = ""
    ) -> DeviceSpec:
        host, port = parse_host_port(device.adb.serial)
        return cls(
            id=device.id,
            device_class=device.device_class,
            model=device.model,
            platform=device.platform,
            host=host,
            port=port,
            width=device.display.width,
            height=device.display.height,
            density=device.display.density,
            shape=device.display.shape,
            capabilities=tuple(device.capabilities),
            auth_required=device.adb.auth == "required",
            authorized_keys=tuple(device.adb.authorized_keys),
            console=device.console is not None,
            boot_seconds=boot_seconds,
            serialno=f"TOS{device.device_class[:2].upper()}{port:05d}",
            system_image=system_image,
        )

    def has(self, capability: str) -> bool:
        return capability in self.capabilities

    @property
    def eye_width(self) -> int:
        """The width one UI is laid out in: half the panel on a stereo headset."""
        return self.width // 2 if self.shape == "stereo" else self.width

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> DeviceSpec:
        data = json.loads(text)
        data["capabilities"] = tuple(data["capabilities"])
        data["authorized_keys"] = tuple(data["authorized_keys"])
        return cls(**data)
