"""The keyed-state benchmark's function: counts the rows of each key in value state."""


def count(ctx, row):
    seen = ctx.state("count")
    n = (seen.value() or 0) + 1
    seen.update(n)
    return (ctx.key, n)
