"""What the browser tests (and benchmarks/page.py) share: headless Chromium, a phone's screen, and WCAG AA
contrast measured in the page."""
import os


def chromium(binary: str, driver_path: str, width: int, height: int):
    """Headless Debian Chromium through its chromedriver, offline."""
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager look for drivers on the network
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", f"--window-size={width},{height}"):
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service(driver_path), options=opts)


def phone(browser) -> None:
    """A 390 px phone (a headless window cannot be narrower than 500 px); the `browser` fixture undoes it."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})


# every visible text against the first opaque background behind it (SVG text by its fill): run as
# driver.execute_script(CONTRAST, large), `large` the ratio allowed for large text (WCAG AA: 3; 4.5 holds it to the
# normal bar); it returns the texts below the bar

CONTRAST = """
function lum(c) { var m = c.match(/[\\d.]+/g).map(Number); return m.slice(0, 3).map(function (v) { v /= 255;
  return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }).reduce(function (s, v, i) { return s + v * [0.2126, 0.7152, 0.0722][i]; }, 0); }
function back(e) { for (; e; e = e.parentElement) { var b = getComputedStyle(e).backgroundColor, m = b.match(/[\\d.]+/g);
  if (m && (m.length < 4 || +m[3] > 0.5)) { return b; } } return "rgb(255, 255, 255)"; }
var out = [];
document.querySelectorAll("body *").forEach(function (e) {
  var own = Array.from(e.childNodes).some(function (n) { return n.nodeType === 3 && n.textContent.trim(); });
  if (!own || !e.getClientRects().length) { return; }
  var s = getComputedStyle(e), fg = e instanceof SVGElement ? s.fill : s.color;
  if (!/^rgb/.test(fg) || s.visibility === "hidden") { return; }
  var a = lum(fg), b = lum(back(e)), ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  var large = parseFloat(s.fontSize) >= 24 || parseFloat(s.fontSize) >= 18.66 && +s.fontWeight >= 700;
  if (ratio < (large ? arguments[0] : 4.5)) { out.push([e.tagName, e.className.baseVal !== undefined ? e.className.baseVal : e.className,
                                            e.textContent.trim().slice(0, 30), ratio.toFixed(2)]); }
});
return out;
"""
