"""Everything handout knows about a language, one folder a language.

Each folder (``en``, ``es``, ``zh``, ``fr``, ``pt``) holds its labels catalog,
sentence splitting and word counting, reading measure and target, default
voice and accents, braille table and grade, fonts, and the fact guard's
number words, units, negations and drug names. Adding a language is a folder
and a translated catalog.
"""
