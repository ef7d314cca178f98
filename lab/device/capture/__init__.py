"""What runs beside a device for as long as the harness holds it: logcat and the console
log, each a service with a life cycle (Mobly's BaseService: start, stop that never
throws, pause/resume around a reboot, is_alive, an excerpt since a mark)."""
