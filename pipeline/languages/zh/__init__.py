"""Chinese (Mandarin; Simplified and Traditional characters)."""
