"""`?explain=true` on the sagemaker backend: a clear 501 (Clarify is not wired), sent
before anything reaches AWS."""

from __future__ import annotations


async def test_explain_is_not_implemented_on_sagemaker(api) -> None:
    health = await api.get("health")
    assert health.body["features"]["explanations"] is False  # the panel does not ask
    reply = await api.post(
        "endpoints/any-ep/invocations",
        raw="1,2\n",
        headers={"Content-Type": "text/csv"},
        params={"explain": "true"},
    )
    assert reply.code == 501, reply.body
    assert reply.error == "not_implemented"
    assert "Clarify" in reply.body["message"] and "locally" in reply.body["message"]
