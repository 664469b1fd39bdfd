"""Reading user input safely, the same way on every surface (web, API, CLI).

One decoding policy for text files (`decode_text`), JSON bounded in size, depth, numbers and
duplicate keys (`load_json`), and size-limited reads from files and streams (`read_limited`).
Every limit is checked before the work it bounds, so that no input can stall a worker or fill
its memory (issue #17). Pure Python: no Django.
"""

from ketenwijs.inputs.decoding import DecodedText, UndecodableTextError, decode_text
from ketenwijs.inputs.json_input import JsonInputError, JsonLimits, JsonSyntaxError, load_json
from ketenwijs.inputs.reading import InputTooLargeError, parse_size, read_limited

__all__ = [
    "DecodedText",
    "InputTooLargeError",
    "JsonInputError",
    "JsonLimits",
    "JsonSyntaxError",
    "UndecodableTextError",
    "decode_text",
    "load_json",
    "parse_size",
    "read_limited",
]
