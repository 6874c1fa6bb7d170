"""References: secret references in each dialect, parsed into ``Reference`` values.

Each module is a check (``make(rules) -> list[Check]``) that reports malformed
references (YSL2xx, YSL3xx) and records the well-formed ones, which the online
verifier checks next.
"""
