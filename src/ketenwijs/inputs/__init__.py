"""Reading user input safely, the same way on every surface (web, API, CLI).

One decoding policy for text files (`decode_text`), JSON bounded in size, depth, numbers and
duplicate keys (`load_json`), size-limited reads from files and streams (`read_limited`), and a
fence for parsers of rich formats: a forked child with CPU, memory and time limits (`run_fenced`).
Every limit is checked before the work it bounds, so that no input can stall a worker or fill
its memory (issue #17). Pure Python: no Django.
"""

from ketenwijs.inputs.decoding import DecodedText, UndecodableTextError, decode_text
from ketenwijs.inputs.fence import Fence, FenceError, run_fenced
from ketenwijs.inputs.json_input import JsonInputError, JsonLimits, JsonSyntaxError, load_json
from ketenwijs.inputs.reading import (
    InputTooLargeError,
    parse_size,
    read_limited,
    read_path_limited,
)

__all__ = [
    "DecodedText",
    "Fence",
    "FenceError",
    "InputTooLargeError",
    "JsonInputError",
    "JsonLimits",
    "JsonSyntaxError",
    "UndecodableTextError",
    "decode_text",
    "load_json",
    "parse_size",
    "read_limited",
    "read_path_limited",
    "run_fenced",
]
