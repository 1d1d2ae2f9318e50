"""The portal's API types are generated from the services' OpenAPI documents; a service change must regenerate them."""

from devstack.portal import api_type_drift


def test_generated_api_types_match_the_services():
    drift = api_type_drift()
    assert drift == [], f"portal/src/api/generated/ drifted from the services: {drift}; run `make api-types`"
