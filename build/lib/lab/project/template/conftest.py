"""This project's pytest setup. The lab's plugin (fixtures `dut`, `duts`, `attach`,
`wallet`, `shop`, `sandbox`, `store`, `shelf`, `member`, `rig`, ...; markers
`device_class`, `requires`, `devices`, `requirement`) is loaded by itself when the lab is
installed: put only this project's own fixtures here."""
