"""The REST API's spine: health, OpenAPI, auth on every route, error shapes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support.openapi_check import validate_against
from tornado.httpclient import HTTPClientError

from jupyter_autopilot import __version__
from jupyter_autopilot.engine.metrics import MINIMIZED
from jupyter_autopilot.handlers import ROUTES
from jupyter_autopilot.openapi import openapi_document

REPO = Path(__file__).resolve().parents[2]
VERBS = ("get", "post", "put", "patch", "delete")


def concrete(template: str) -> str:
    """A URL for a route template, with placeholder parameter values."""
    return re.sub(r"\{(\w+)\}", "does-not-exist", template)


async def test_health_reports_backend_version_and_work_dir(api, jp_root_dir):
    reply = await api.get("health")
    assert reply.code == 200
    assert reply.body["backend"] == "local"
    assert reply.body["version"] == __version__
    assert reply.body["work_dir"] == "autopilot"
    assert reply.body["features"]["s3"] is False
    assert "binary" in reply.body["defaults"]["metrics_by_problem_type"]
    # The minimised metrics the UI sorts by: the engine's own list, not a copy.
    assert reply.body["defaults"]["minimized_metrics"] == sorted(MINIMIZED)
    validate_against(openapi_document(), "get", "/health", 200, reply.body)


async def test_openapi_served_and_describes_every_route(api):
    reply = await api.get("openapi.json")
    assert reply.code == 200
    document = reply.body
    assert document["openapi"].startswith("3.")
    for route in ROUTES:
        assert route.openapi_path in document["paths"], route.template
        declared = {
            v
            for v in VERBS
            if getattr(route.handler, v).__qualname__.startswith(route.handler.__name__)
        }
        assert set(document["paths"][route.openapi_path]) == declared


def test_committed_openapi_document_is_current():
    committed = json.loads((REPO / "docs" / "openapi.json").read_text())
    assert committed == json.loads(json.dumps(openapi_document())), (
        "docs/openapi.json is stale: run `python -m jupyter_autopilot.openapi > docs/openapi.json` "
        "and `jlpm build:schema`"
    )


def registered_routes(serverapp):
    """Every (handler, pattern) of ours actually registered in the tornado app."""
    found = []
    for rule in serverapp.web_app.default_router.rules:
        for sub in getattr(rule.target, "rules", []):
            pattern = sub.matcher.regex.pattern
            if "/autopilot/" in pattern:
                found.append((sub.target, pattern))
    return found


async def test_every_registered_route_rejects_unauthenticated_requests(jp_serverapp, jp_fetch):
    routes = registered_routes(jp_serverapp)
    assert len(routes) == len(ROUTES)
    by_handler = {r.handler: r for r in ROUTES}
    checked = 0
    for handler, _pattern in routes:
        route = by_handler[handler]
        for verb in VERBS:
            method = getattr(handler, verb)
            if method is getattr(handler.__mro__[-2], verb, None) or not hasattr(
                method, "openapi_operation"
            ):
                continue
            parts = concrete(route.template).strip("/").split("/")
            kwargs = {"method": verb.upper(), "headers": {"Authorization": ""}}
            if verb in ("post", "put", "patch"):
                kwargs["body"] = "{}"
            with pytest.raises(HTTPClientError) as error:
                await jp_fetch("autopilot", "api", *parts, **kwargs)
            assert error.value.code == 403, f"{verb.upper()} {route.template}"
            body = json.loads(error.value.response.body)
            assert body["error"] == "forbidden"
            checked += 1
    assert checked >= 20


async def test_wrong_token_is_rejected(jp_fetch):
    with pytest.raises(HTTPClientError) as error:
        await jp_fetch("autopilot", "api", "health", headers={"Authorization": "token nope"})
    assert error.value.code == 403


async def browser_login(jp_fetch, jp_serverapp) -> tuple[str, str]:
    """Log in like a browser (token in the login form); return (cookie header, xsrf)."""
    import http.cookies
    import urllib.parse

    first = await jp_fetch("login", method="GET", headers={"Authorization": ""})
    jar = http.cookies.SimpleCookie()
    for header in first.headers.get_list("Set-Cookie"):
        jar.load(header)
    xsrf = jar["_xsrf"].value
    token = jp_serverapp.identity_provider.token
    form = urllib.parse.urlencode({"password": token, "_xsrf": xsrf})
    with pytest.raises(HTTPClientError) as redirect:
        await jp_fetch(
            "login",
            method="POST",
            body=form,
            headers={"Authorization": "", "Cookie": f"_xsrf={xsrf}"},
            follow_redirects=False,
        )
    assert redirect.value.code == 302
    for header in redirect.value.response.headers.get_list("Set-Cookie"):
        jar.load(header)
    cookie = "; ".join(f"{k}={v.value}" for k, v in jar.items())
    return cookie, xsrf


async def test_browser_session_needs_the_xsrf_token_for_writes(jp_fetch, jp_serverapp):
    cookie, xsrf = await browser_login(jp_fetch, jp_serverapp)
    # Reads with the session cookie alone are allowed...
    ok = await jp_fetch(
        "autopilot", "api", "health", headers={"Authorization": "", "Cookie": cookie}
    )
    assert ok.code == 200
    # ...writes without the XSRF header are refused (a cross-site form cannot send it)...
    with pytest.raises(HTTPClientError) as error:
        await jp_fetch(
            "autopilot",
            "api",
            "experiments",
            method="POST",
            body="{}",
            headers={"Authorization": "", "Cookie": cookie},
        )
    assert error.value.code == 403
    # ...and pass the auth layer with it (the empty spec is then a validation error).
    with pytest.raises(HTTPClientError) as error:
        await jp_fetch(
            "autopilot",
            "api",
            "experiments",
            method="POST",
            body="{}",
            headers={"Authorization": "", "Cookie": cookie, "X-XSRFToken": xsrf},
        )
    assert error.value.code == 400


def test_jupyter_server_finds_no_unauthenticated_handler_of_ours(tmp_path):
    """The extension-template's check: a server that forbids unauthenticated access
    warns about every handler verb lacking @web.authenticated."""
    import warnings

    from jupyter_server.serverapp import ServerApp
    from jupyter_server.utils import JupyterServerAuthWarning

    app = ServerApp(
        allow_unauthenticated_access=False,
        root_dir=str(tmp_path),
        jpserver_extensions={"jupyter_autopilot": True},
        reraise_server_extension_failures=True,
    )
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        app.initialize(argv=[], find_extensions=False, new_httpserver=False)
    problems = [
        str(r.message)
        for r in records
        if issubclass(r.category, JupyterServerAuthWarning) and "autopilot" in str(r.message)
    ]
    assert problems == []
    assert any(
        "/autopilot/api/health" in r.matcher.regex.pattern
        for rule in app.web_app.default_router.rules
        for r in getattr(rule.target, "rules", [])
    )
    ServerApp.clear_instance()


async def test_malformed_json_is_a_400_with_a_message(api):
    reply = await api.post(
        "experiments", raw=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert reply.code == 400
    assert reply.error == "invalid_request"
    assert "not valid JSON" in reply.body["message"]


async def test_unknown_fields_and_wrong_types_name_the_field(api):
    reply = await api.post(
        "experiments",
        {"name": "ok", "input_uri": "x.csv", "target": "y", "max_candidates": "many", "colour": 1},
    )
    assert reply.code == 400
    assert reply.error == "validation_error"
    fields = {d["field"] for d in reply.body["details"]}
    assert {"max_candidates", "colour"} <= fields


@pytest.mark.parametrize(
    "name", ["-starts-with-hyphen", "has_underscore", "x" * 33, "ünïcode", "a--", ""]
)
async def test_names_breaking_sagemakers_rule_are_refused(api, name):
    reply = await api.post("experiments", {"name": name, "input_uri": "x.csv", "target": "y"})
    assert reply.code == 400
    assert any(d["field"] == "name" for d in reply.body["details"])


async def test_unknown_experiment_is_a_404_json_error(api):
    reply = await api.get("experiments/nope")
    assert reply.code == 404
    assert reply.body == {
        "error": "not_found",
        "message": "There is no experiment named 'nope'.",
    }
    validate_against(openapi_document(), "get", "/experiments/{name}", 404, reply.body)


async def test_empty_experiment_list_matches_schema(api):
    reply = await api.get("experiments")
    assert reply.code == 200
    assert reply.body == {"experiments": [], "total": 0}
    validate_against(openapi_document(), "get", "/experiments", 200, reply.body)


async def test_bad_query_parameter_is_a_400(api):
    reply = await api.get("experiments", params={"limit": "0"})
    assert reply.code == 400
    assert reply.body["details"][0]["field"] == "limit"


@pytest.mark.parametrize("path", ["experiments", "trials"])
async def test_an_offset_too_large_for_sqlite_is_a_400_naming_it(api, path):
    # Found by fuzzing: 655033803851618135171722641408 overflowed SQLite's integer (a 500).
    reply = await api.get(path, params={"offset": str(2**100)})
    assert reply.code == 400, reply.body
    assert reply.body["details"][0]["field"] == "offset"
    assert (await api.get(path, params={"offset": str(2**31 - 1)})).code == 200
