import pytest

from backend.places import postcode_coordinates


def test_a_new_york_zip_resolves_to_its_centre():
    found = postcode_coordinates("10003")
    assert found is not None
    latitude, longitude = found
    assert latitude == pytest.approx(40.73, abs=0.01)
    assert longitude == pytest.approx(-73.99, abs=0.01)


@pytest.mark.parametrize(
    "postcode",
    ["", "SW1A 1AA", "1000", "100031", "\U000fa2ba1000", "\uff11\uff10\uff10\uff10\uff13"],
)
def test_anything_that_is_not_a_us_zip_resolves_to_nothing(postcode):
    assert postcode_coordinates(postcode) is None
