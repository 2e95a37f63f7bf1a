#!/usr/bin/env python3
"""Checks that a YAML 1.1 parser (PyYAML) reads a workflow exactly as a YAML
1.2 parser (ruamel.yaml) does: no value may change type or text between them.
The one known difference, the key `on` read as the boolean true by YAML 1.1,
is how every Actions workflow is written and is mapped back before comparing.

Usage: yaml-1.1-agrees.py FILE...   (exit 1 when any file differs)
"""
import sys

import yaml
from ruamel.yaml import YAML


def normalize(value, path="$"):
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key is True and path == "$":
                key = "on"
            out[str(key) if not isinstance(key, str) else key] = normalize(item, f"{path}.{key}")
            if not isinstance(key, str):
                raise ValueError(f"{path}: key {key!r} is not a string")
        return out
    if isinstance(value, list):
        return [normalize(item, f"{path}[{i}]") for i, item in enumerate(value)]
    return value


def differences(a, b, path="$"):
    if type(a) is not type(b):
        yield f"{path}: {a!r} (YAML 1.1) vs {b!r} (YAML 1.2)"
    elif isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                yield f"{path}.{key}: only in one reading"
            else:
                yield from differences(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        if len(a) != len(b):
            yield f"{path}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            yield from differences(x, y, f"{path}[{i}]")
    elif a != b:
        yield f"{path}: {a!r} (YAML 1.1) vs {b!r} (YAML 1.2)"


def plain(value):
    """ruamel's types as the plain Python ones PyYAML gives."""
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return kind(value)
    return value


def main(files):
    failed = 0
    reader = YAML(typ="safe", pure=True)
    for name in files:
        with open(name, encoding="utf-8") as handle:
            text = handle.read()
        try:
            old = normalize(yaml.safe_load(text))
            new = normalize(plain(reader.load(text)))
        except Exception as error:  # a file either parser refuses fails
            print(f"{name}: {error}")
            failed += 1
            continue
        found = list(differences(old, new))
        for line in found:
            print(f"{name}: {line}")
        failed += bool(found)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
