"""``smotekit methods``: the samplers available, their kinds and parameters."""

from __future__ import annotations

from ._common import format_table
from ._samplers import REQUIRED, describe, kind_of, parameters_of, resolve_method, samplers

__all__ = ["cmd_methods"]


def _format_default(value) -> str:
    return "(required)" if value is REQUIRED else repr(value)


def cmd_methods(args) -> int:
    available = samplers()
    if args.name:
        name, cls = resolve_method(args.name, available)
        module = ".".join(p for p in cls.__module__.split(".") if not p.startswith("_"))
        print(f"{name} ({module}) — {kind_of(cls)}-sampler")
        print(describe(cls))
        print("\nParameters:")
        for p, d in parameters_of(cls).items():
            print(f"  {p} = {_format_default(d)}")
        return 0
    rows = []
    for name, cls in available.items():
        kind = kind_of(cls)
        if args.kind and kind != args.kind:
            continue
        rows.append([name, kind, "yes" if cls._handles_categorical else "no",
                     "yes" if getattr(cls, "_handles_multiclass", True) else "no",
                     "yes" if cls._allow_nan else "no", describe(cls)])
    print(format_table(["method", "kind", "categorical", "multiclass", "NaN", "description"], rows,
                       align=["<", "<", "<", "<", "<", "<"]))
    if args.verbose:
        print()
        for name, cls in available.items():
            if args.kind and kind_of(cls) != args.kind:
                continue
            params = ", ".join(f"{p}={_format_default(d)}" for p, d in parameters_of(cls).items())
            print(f"{name}({params})")
    else:
        print("\nParameters and defaults: smotekit methods NAME, or smotekit methods --verbose for all.")
    return 0
