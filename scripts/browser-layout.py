#!/usr/bin/env python3
"""The browser check's layout, print and accessibility part (issue #14).

For each page given, in the system's chromium driven by Playwright:
  * axe-core (the copy shipped in the axe-playwright-python package) at
    1280 px and 320 px wide: any violation fails (WCAG 2.2 AA rules and
    axe's best practices, as axe runs them by default);
  * at 320 px the page itself must not scroll sideways, and no chart text
    may render smaller than 9 px (wide tables and charts scroll in their
    own focusable boxes instead);
  * print emulation at A4's printable width (210 mm less 2 x 14 mm margins,
    688 CSS px): no visible element may reach past the page's right edge and
    no box may scroll (a printed scrollbar hides columns), checked on the DOM;
  * the page is printed to PDF (A4) and screenshotted at desktop size and at
    A4 width in print emulation;
  * nothing is written to the console and nothing but the file is requested.

usage: browser-layout.py OUT_DIR PAGE.html [PAGE.html ...]
Exit 1 on any failure, listing each.
"""
import os
import shutil
import sys

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

A4_PRINT_WIDTH = 688        # (210 - 2 * 14) mm at 96 px per inch
MIN_CHART_TEXT_PX = 9.0

OVERFLOW_JS = """(limit) => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden') continue;
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    // Inside a box that scrolls or clips, an element is that box's business.
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox === 'auto' || ox === 'scroll' || ox === 'hidden') { clipped = true; break; }
    }
    if (clipped) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const scrolls = (cs.overflowX === 'auto' || cs.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1;
    if (r.right > limit + 0.5 || scrolls) {
      let name = el.tagName.toLowerCase();
      if (el.id) name += '#' + el.id;
      if (el.className && typeof el.className === 'string') name += '.' + el.className.split(/\\s+/).join('.');
      const sec = el.closest('section');
      out.push({el: name, section: sec ? sec.id : '', right: Math.round(r.right), scrolls});
    }
  }
  return out;
}"""

SMALL_TEXT_JS = """(minPx) => {
  const out = [];
  for (const t of document.querySelectorAll('svg text')) {
    const cs = getComputedStyle(t);
    if (cs.display === 'none') continue;
    const svg = t.ownerSVGElement;
    if (!svg || svg.getBoundingClientRect().width === 0) continue;
    const m = t.getScreenCTM();
    if (!m) continue;
    const px = parseFloat(t.getAttribute('font-size') || cs.fontSize) * Math.hypot(m.a, m.b);
    if (px < minPx - 0.05) out.push({text: t.textContent.slice(0, 30), px: Math.round(px * 10) / 10});
  }
  return out;
}"""


def main():
    out_dir, pages = sys.argv[1], sys.argv[2:]
    os.makedirs(out_dir, exist_ok=True)
    browser_path = shutil.which("chromium") or shutil.which("chromium-browser")
    failures = []
    axe = Axe()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox", "--disable-gpu"])
        for path in pages:
            path = os.path.abspath(path)
            name = os.path.splitext(os.path.basename(path))[0]
            url = "file://" + path

            def fail(msg):
                failures.append(f"{name}: {msg}")

            for width in (1280, 320):
                ctx = browser.new_context(viewport={"width": width, "height": 900})
                page = ctx.new_page()
                console, requests = [], []
                page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
                page.on("request", lambda r: requests.append(r.url) if r.url != url else None)
                page.goto(url)
                result = axe.run(page)
                for v in result.response["violations"]:
                    targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
                    fail(f"axe {v['id']} ({v['impact']}) at {width} px: {len(v['nodes'])} element(s), e.g. {targets}")
                if width == 320:
                    scroll = page.evaluate("document.documentElement.scrollWidth")
                    if scroll > width:
                        wide = [o for o in page.evaluate(OVERFLOW_JS, width) if not o["scrolls"]]
                        fail(f"the page scrolls sideways at 320 px (content {scroll} px wide), e.g. "
                             + "; ".join(f"{o['el']} in #{o['section']} to {o['right']} px" for o in wide[:4]))
                    small = page.evaluate(SMALL_TEXT_JS, MIN_CHART_TEXT_PX)
                    if small:
                        fail(f"{len(small)} chart label(s) under {MIN_CHART_TEXT_PX} px at 320 px, e.g. "
                             + "; ".join(f"'{s['text']}' {s['px']} px" for s in small[:3]))
                else:
                    page.screenshot(path=os.path.join(out_dir, f"{name}-desktop.png"), full_page=True)
                # axe itself is injected as a script; only the page's own messages count.
                if console:
                    fail(f"console at {width} px: {console[:3]}")
                if requests:
                    fail(f"requested something other than the file: {requests[:3]}")
                ctx.close()

            ctx = browser.new_context(viewport={"width": A4_PRINT_WIDTH, "height": 1123})
            page = ctx.new_page()
            page.goto(url)
            page.emulate_media(media="print")
            over = page.evaluate(OVERFLOW_JS, A4_PRINT_WIDTH)
            for o in over[:6]:
                what = "scrolls (its scrollbar would be printed)" if o["scrolls"] else f"reaches {o['right']} px"
                fail(f"print (A4, {A4_PRINT_WIDTH} px): {o['el']} in #{o['section']} {what}")
            if len(over) > 6:
                fail(f"print: {len(over) - 6} more element(s) too wide")
            page.screenshot(path=os.path.join(out_dir, f"{name}-a4.png"), full_page=True)
            page.pdf(path=os.path.join(out_dir, f"{name}.pdf"), format="A4", print_background=True, prefer_css_page_size=True)
            ctx.close()
        browser.close()
    for f in failures:
        print("FAIL:", f)
    if not failures:
        print(f"layout, print and axe checks passed: {', '.join(os.path.basename(p) for p in pages)}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
