"""BulkDelete against the simulator through the real client: each item once, a lost reply, a stop."""

from __future__ import annotations

from hfdash.api.client import HeyGenClient
from hfdash.api.retry import RetryPolicy
from hfdash.models import Render
from hfdash.services.actions import DeleteOutcome
from hfdash.services.bulk import BulkDelete
from hfdash.simulator import Simulator

RENDERS = "/v3/hyperframes/renders/"


async def _renders(client: HeyGenClient, count: int) -> list[Render]:
    page = await client.renders.list(limit=count)
    assert len(page.items) == count
    return list(page.items)


def _deletes(sim: Simulator) -> list[tuple[str, int]]:
    return [
        (str(entry["path"]).removeprefix(RENDERS), int(entry["status"]))
        for entry in sim.state.request_log
        if entry["method"] == "DELETE"
    ]


async def test_a_reply_lost_after_the_delete_is_retried_and_counts_as_already_gone(
    sim: Simulator, client: HeyGenClient
) -> None:
    renders = await _renders(client, 3)
    lost = renders[1].render_id
    sim.state.faults.add("lost_reply", count=1, method="DELETE", path_prefix=RENDERS + lost)
    steps: list[tuple[str, DeleteOutcome | None]] = []
    retrying = HeyGenClient(client.credential, base_url=sim.url, retry=RetryPolicy(base=0.05, cap=0.2))
    async with retrying:
        bulk = BulkDelete(retrying, renders, lambda key, outcome: steps.append((key, outcome)))
        await bulk.run()
    assert sorted(bulk.deleted) == sorted(r.render_id for r in renders if r.render_id != lost)
    assert bulk.gone == [lost]
    assert bulk.summary() == "deleted 2, already gone 1"
    assert sorted(steps) == sorted(
        (r.render_id, DeleteOutcome.ALREADY_GONE if r.render_id == lost else DeleteOutcome.DELETED)
        for r in renders
    )
    # The one item sent twice is the one whose answer was lost; its second try met a 404.
    assert sorted(_deletes(sim)) == sorted([(r.render_id, 200) for r in renders] + [(lost, 404)])


async def test_a_refusal_other_than_429_fails_the_item_and_keeps_the_rest_going(
    sim: Simulator, client: HeyGenClient
) -> None:
    renders = await _renders(client, 4)
    refused = renders[0].render_id
    sim.state.faults.add("403", count=1, method="DELETE", path_prefix=RENDERS + refused)
    bulk = BulkDelete(client, renders)
    await bulk.run()
    assert list(bulk.failed) == [refused]
    assert bulk.summary().startswith("deleted 3, failed 1: ")
    assert [key for key, _status in _deletes(sim)].count(refused) == 1


async def test_cancel_keeps_back_every_item_not_yet_sent(sim: Simulator, client: HeyGenClient) -> None:
    renders = await _renders(client, 20)
    sim.state.faults.add("slow", every=1, delay=0.05, method="DELETE")
    at_stop: dict[str, set[str]] = {}

    def step(_key: str, _outcome: DeleteOutcome | None) -> None:
        if bulk.done == 4:
            bulk.cancel()
            at_stop.update(answered=set(bulk.deleted), finishing=set(bulk.in_flight))

    bulk = BulkDelete(client, renders, step)
    await bulk.run()
    sent = [key for key, _status in _deletes(sim)]
    # Only what was answered or on its way when the stop came: nothing was sent after it.
    assert len(sent) == len(set(sent))
    assert set(sent) == set(bulk.deleted) == at_stop["answered"] | at_stop["finishing"]
    assert bulk.not_sent == 20 - len(sent)
    assert bulk.summary() == f"deleted {len(sent)}, stopped, {bulk.not_sent} not sent"
