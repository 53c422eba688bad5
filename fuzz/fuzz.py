"""Coverage-guided fuzzing (atheris, libFuzzer) of decoding and the HTML, PDF and Markdown readers.

    python fuzz/fuzz.py TARGET [libFuzzer options and corpus folders]
    bash fuzz/run.sh [SECONDS_PER_TARGET]      # every target, as CI runs it

TARGET is one of decode, html, pdf, markdown (see fuzz/targets.py for what each checks).  An
input that makes a check fail or raise anything but an InputError is a crash: libFuzzer writes
it to ``-artifact_prefix`` (run.sh: ``fuzz/crashes/TARGET/``), where it is kept for good;
``tests/test_fuzz.py`` replays every kept crash and corpus input on each test run.

``FUZZ_KNOWN=LimitReachedError,IndexError@_mint`` (exception class names, each optionally
``@function`` on its traceback) lets an exploratory run look past bugs already found and kept,
to find the next ones; CI never sets it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["kg", "pypdf", "targets"]):
    import kg.extract  # noqa: F401 - imported here to be instrumented
    import kg.link  # noqa: F401
    import kg.rdf  # noqa: F401
    import kg.readers  # noqa: F401
    import kg.sources  # noqa: F401
    import pypdf  # noqa: F401
    import targets


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in targets.TARGETS:
        sys.exit(f"usage: fuzz.py {{{','.join(targets.TARGETS)}}} [libFuzzer options]")
    check = targets.TARGETS[sys.argv.pop(1)]
    import logging
    import os

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # its warnings are not crashes; keep the log readable
    known = [n.split("@") for n in os.environ.get("FUZZ_KNOWN", "").split(",") if n]

    def is_known(err: Exception) -> bool:
        import traceback

        functions = {frame.name for frame in traceback.extract_tb(err.__traceback__)}
        return any(type(err).__name__ == k[0] and (len(k) == 1 or k[1] in functions) for k in known)

    def one_input(data: bytes) -> None:
        try:
            check(data)
        except Exception as err:  # noqa: BLE001 - FUZZ_KNOWN: look past a known bug for others
            if not is_known(err):
                raise

    atheris.Setup(sys.argv, one_input if known else check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
