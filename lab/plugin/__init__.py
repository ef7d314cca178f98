"""The lab's pytest plugin (registered through the `pytest11` entry point), in the parts
labgrid's has, each a plugin module of its own:

- options:   --inventory, --device ID (repeatable), --device-class, --lab-report-dir,
             --lease-timeout, --device-timeout, goldens, shards (lab.plugin.options);
- hooks:     markers device_class(...), requires(cap, ...), devices(role=class, ...),
             parametrisation per device, xdist groups, failure reports (lab.plugin.hooks);
- fixtures:  dut, duts (lab.plugin.devices), lab_inventory, lab_report_dir, attach
             (lab.plugin.fixtures), wallet, shop, sandbox, store... (lab.plugin.scenarios);
- retry:     a test whose device was lost runs again elsewhere (lab.plugin.retry);
- reporting: goldens recorded, the devices' builds (lab.plugin.reporting).

pytest registers the modules below with this one (`pytest_plugins`), so a hook runs
because its module is a plugin, never because something happened to import it. Nothing is
re-exported here: a hook imported into two plugin modules would run twice.
"""

from lab.threads import native_threads_without_signals

native_threads_without_signals()  # before the parts below import numpy and OpenCV

pytest_plugins = [  # a part before those that import it: pytest rewrites asserts only in
    # modules it imports itself
    "lab.plugin.options",
    "lab.plugin.retry",
    "lab.plugin.devices",
    "lab.plugin.scenarios",
    "lab.plugin.fixtures",
    "lab.plugin.hooks",
    "lab.plugin.reporting",
]
