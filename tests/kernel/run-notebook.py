#!/usr/bin/python3
"""Runs a notebook top to bottom in the real .NET Interactive kernel, through Jupyter's own client (nbclient).

    /usr/bin/python3 tests/kernel/run-notebook.py NOTEBOOK.ipynb OUTPUT.ipynb [--kernel-dir DIR] [--cell-timeout S]

The kernel is the one users run from Jupyter and VS Code: `dotnet-interactive jupyter`. With --kernel-dir, the kernel
spec is taken from DIR/kernels/<name>/kernel.json (the tests write the spec that environment/setup.sh registers,
so they do not depend on the user's registered kernels); otherwise Jupyter's usual search path is used.
Every cell runs even after an error (so one run shows every failing cell); the executed notebook, with outputs and
errors, is written to OUTPUT. Exit code: 0 when the run finished (cell errors are in OUTPUT), 3 when the kernel could
not be started or died, 2 on bad arguments.
"""
import argparse
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook")
    parser.add_argument("output")
    parser.add_argument("--kernel-dir")
    parser.add_argument("--kernel-name", default=".net-csharp")
    parser.add_argument("--cell-timeout", type=int, default=600)
    parser.add_argument("--startup-timeout", type=int, default=300)
    args = parser.parse_args()

    if args.kernel_dir:
        os.environ["JUPYTER_PATH"] = os.path.abspath(args.kernel_dir)
    notebook = nbformat.read(args.notebook, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name=args.kernel_name,
        timeout=args.cell_timeout,
        startup_timeout=args.startup_timeout,
        allow_errors=True,
        record_timing=True,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.notebook))}},
    )
    status = 0
    try:
        client.execute()
    except (CellTimeoutError, DeadKernelError, RuntimeError, TimeoutError) as error:
        print(f"kernel failure: {type(error).__name__}: {error}", file=sys.stderr)
        status = 3
    nbformat.write(notebook, args.output)
    return status


if __name__ == "__main__":
    sys.exit(main())
