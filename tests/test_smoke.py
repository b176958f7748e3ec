"""The sample site builds and a pro page is served to a real browser."""


def test_sample_site_has_pro_pages(built_site):
    assert (built_site / "pros" / "maison-soulat" / "index.html").exists()


def test_pro_page_in_browser(page, site_url):
    page.goto(f"{site_url}/pros/maison-soulat/")
    assert "Maison Soulat" in page.content()
    assert page.errors == []
    assert page.foreign_requests == []
