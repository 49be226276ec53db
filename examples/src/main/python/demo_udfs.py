"""The demo's Python functions: plain Python, no fnharness import needed."""
import logging

log = logging.getLogger("demo_udfs")


def greet(name):
    return f"Hello, {name}!"


def shout(city):
    if city is None:
        return None
    log.info("shouting %s", city)
    return city.upper() + "!"


def celsius_to_fahrenheit(celsius):
    return None if celsius is None else celsius * 9 / 5 + 32
