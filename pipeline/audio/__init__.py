"""The audio edition: listening script, pronunciation, speech engines, recording, MP3, listening checks."""
