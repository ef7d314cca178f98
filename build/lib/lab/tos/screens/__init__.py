"""Page objects of the TOS+ system apps, as the kit's suites drive them: `payment` (the
wallet), `store` (the app store), `settings`. A suite of a project's own imports them."""
