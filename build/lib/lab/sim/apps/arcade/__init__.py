"""TOS+ Arcade: the TV game a phone plays as its game pad."""
