"""Service pages of Ketenwijs: the user glossary, the statements' defaults and site search.

Pure Python, no Django: the web layer (`ketenwijs.web.core`) renders what these return.
"""
