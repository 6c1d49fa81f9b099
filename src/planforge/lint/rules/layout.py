"""PF4xx: what the deck's layout does with the text: titles that wrap too far, content continued on more slides."""
