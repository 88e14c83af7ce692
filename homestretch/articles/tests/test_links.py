from homestretch.lib.markdown import count_links, find_links


def test_links_are_found_bare_or_in_markdown() -> None:
    text = "See https://a.example/x?y=1, [b](http://b.example/p) and www.c.example or http://www.d.example"
    assert find_links(text) == [
        "https://a.example/x?y=1",
        "http://b.example/p",
        "www.c.example",
        "http://www.d.example",
    ]
    assert count_links("no links here, just www") == 0
