"""A small POSIX-like sh: what adb clients actually send (`;`, `&&`, `||`, `|`, redirects,
quoting, `VAR=x` prefixes, `$?`, `export`, `exec`)."""
