"""TOS+ Remote: the phone app that plays a TV game as its game pad."""
