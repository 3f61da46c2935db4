from pathlib import Path

import linli


def test_api_modules_do_not_postpone_annotations():
    """ninja resolves parameter annotations at import; postponed ones turned a body into a 500."""
    offenders = [
        str(path.relative_to(Path(linli.__file__).parent))
        for path in Path(linli.__file__).parent.glob("*/api.py")
        if "from __future__ import annotations" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
    assert len(list(Path(linli.__file__).parent.glob("*/api.py"))) >= 3  # the glob really finds them
