"""The only form in which any part of a matched value may leave the process."""


def preview(text: str) -> str:
    """A few leading characters and the length: enough to find it, not to use it.

    Short values show fewer characters so that a preview never reveals more
    than a quarter of the secret.
    """
    shown = min(4, len(text) // 4)
    return f"{text[:shown]}… ({len(text)} chars)" if shown else f"({len(text)} chars)"
