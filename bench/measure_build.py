"""Runs one `handout build` in this process and reports its peak memory and its workers'.

Used by bench/run.py: batch builds run their articles in worker processes, and
the peak resident memory of the largest worker is what the clinic's machine
must have to spare per job. A one-article build (or ``--jobs 1``) runs in this
process, so ``self_peak_mb`` is one build process with everything it loaded
(WeasyPrint, the speech voice: the Piper model is a 63 MB ONNX file, and
onnxruntime's working memory comes on top of it).
"""

from __future__ import annotations

import json
import resource
import sys

from pipeline.cli import main

if __name__ == "__main__":
    code = 0
    try:
        main(args=sys.argv[1:], prog_name="handout", standalone_mode=False)
    except SystemExit as stop:
        code = int(stop.code or 0)
    usage = {
        "self_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "exit_code": code,
    }
    sys.stderr.write("MEASURE " + json.dumps(usage) + "\n")
    sys.exit(code)
