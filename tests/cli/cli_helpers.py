"""What the command-line test files share: running ``smotekit`` in-process."""

from smotekit.cli import main


def run(capsys, *argv):
    """``(exit code, stdout, stderr)`` of ``smotekit ARGV`` run in this process (arguments made strings)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err
