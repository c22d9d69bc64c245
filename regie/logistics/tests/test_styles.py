"""The van colours of a round plan come from the stylesheet (no style attribute: the CSP)."""

from pathlib import Path

from regie.logistics.selectors import COLOURS

ROUNDS_CSS = Path(__file__).resolve().parents[1] / "static" / "logistics" / "rounds.css"


def test_every_van_colour_has_its_rule_in_the_stylesheet():
    css = ROUNDS_CSS.read_text()
    for colour in COLOURS:
        assert f'.route-swatch[data-colour="{colour}"] {{ background: {colour}; }}' in css
