"""The text of an article as a reader meets it: reading level, the plain-language draft and its checks."""
