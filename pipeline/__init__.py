"""Accessible patient handouts: large print, plain language and audio from one article."""
