"""A tiny module for the example pipeline: three functions, all tested."""


def add(a, b):
    return a + b


def neg(x):
    return -x


def is_positive(x):
    return x > 0
