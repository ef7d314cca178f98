"""The emulated Android system inside a virtual device: props, files, packages, logcat,
activities, input and display, and the shell commands that reach them."""
