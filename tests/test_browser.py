"""What a person sees, in headless Chromium (Debian's chromium and chromium-driver, driven by
selenium): a document page, a signatory reached from it, a stock query run from the query page.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from test_server import TEXT1, TITLE1, make_project, serve_process

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
R = "/atrocity-kg/id/"

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing (apt-get install chromium)"),
    pytest.mark.skipif(not CHROMEDRIVER.exists(), reason="/usr/bin/chromedriver is missing (apt-get install chromium-driver)"),
]


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    options = Options()
    options.binary_location = str(CHROMIUM)
    for arg in ARGS + [f"--user-data-dir={profile}"]:
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("browser-project"))
    with serve_process(project.root, "--workers", "1") as url:
        yield url


def wait_for(driver, css: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, 10).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def test_document_signatory_and_stock_query(browser, site):
    from selenium.webdriver.common.by import By

    browser.get(site + R + "doc/t1")
    assert browser.find_element(By.TAG_NAME, "h1").text == TITLE1  # shown as text, not run
    assert browser.execute_script("return document.querySelectorAll('main script').length") == 0
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".source-text a.span mark")]
    assert "We call on all governments to act now." in marks and "1,000" in marks
    assert browser.find_element(By.CSS_SELECTOR, ".source-text").text.strip() == TEXT1.strip()

    browser.find_element(By.LINK_TEXT, "Jane Doe").click()
    assert wait_for(browser, "h1").text == "Jane Doe"
    assert browser.current_url.endswith(R + "person/jane-doe")
    signed = browser.find_element(By.CSS_SELECTOR, "table.signed")
    assert TITLE1 in signed.text

    browser.get(site + R + "query")
    field = browser.find_element(By.ID, "p-signatories-edition")
    field.clear()
    field.send_keys("id:doc/t2")
    browser.find_element(By.ID, "run-signatories").click()
    results = wait_for(browser, "#results table.results")
    rows = results.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) == 1 and "Aegis Trust" in rows[0].text
    assert "edition=id%3Adoc%2Ft2" in browser.current_url
