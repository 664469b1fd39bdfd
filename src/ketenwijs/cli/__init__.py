"""The `ketenwijs` command line: the same domain core as the web application, from a terminal."""
