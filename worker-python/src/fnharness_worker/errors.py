"""The two ways an instruction fails: its message is the InstructionResponse.error text."""


class RegisterError(Exception):
    """A descriptor cannot be used (a function that cannot be loaded or opened, a bad payload)."""


class BundleError(Exception):
    """A bundle failed (a function raised or returned what its column cannot hold, bad input)."""
