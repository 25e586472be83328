"""axe-core (WCAG 2.0/2.1 A and AA rules) on the pages citizens reach: 0 violations.

The theme's Content-Security-Policy forbids inline scripts, so axe is injected into
a browser context created with bypass_csp=True. axe-core comes from the npm package
the site checks install (../shared/checks/setup.sh); AXE_JS=/path/axe.min.js picks another.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHECKS_HOME = Path(os.environ.get("CHECKS_HOME")
                   or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "site-checks")
AXE_JS = Path(os.environ.get("AXE_JS") or CHECKS_HOME / "node/node_modules/axe-core/axe.min.js")
PAGES = ["home", "article", "category", "tag", "stats", "404", "/tin-tu-co-so/", "/xa-phuong/",
         "/tim-kiem/?q=cai+cach"]  # names or paths
WIDTHS = [1366, 390]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.skip(f"axe-core not found at {AXE_JS}: run ../shared/checks/setup.sh "
                    "(npm axe-core) or set AXE_JS")
    return AXE_JS.read_text(encoding="utf-8")


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1]}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violations(axe_source: str, site, new_context, name: str, width: int) -> None:
    phone = width < 600
    context, traffic = new_context(bypass_csp=True, viewport={"width": width, "height": 844 if phone else 900},
                                   is_mobile=phone, has_touch=phone)
    page = context.new_page()
    path = site.pages.get(name, name)
    response = page.goto(site.url(path), wait_until="load")
    assert response is not None and response.status == (404 if name == "404" else 200)
    if "tim-kiem" in path:  # the results, once shown
        page.locator(".search-result").first.wait_for()
    page.add_script_tag(content=axe_source)
    result = page.evaluate("""tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                                                         resultTypes: ["violations"]})""", TAGS)
    assert result["violations"] == [], f"{path} at {width}px:\n{describe(result['violations'])}"
    if name == "404":  # the browser logs the status of the page itself
        traffic.errors = [e for e in traffic.errors if not e.startswith(response.url + ": Failed to load resource")]
    assert traffic.errors == []
