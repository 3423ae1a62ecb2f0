"""The transcript viewer: the text with coding highlights, the coding stripes and layer margins,
the coder filter, and the one conversion between Qt positions and model offsets.
"""
