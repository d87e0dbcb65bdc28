from fastapi.testclient import TestClient

from tests.web.conftest import World, login


def test_pages_render(client: TestClient, world: World) -> None:
    assert login(client, world.coordinator).status_code == 303
    for path in (
        "/review",
        f"/calls/{world.call_id}",
        "/indicators",
        "/sources",
        "/members",
        "/users",
    ):
        r = client.get(path)
        assert r.status_code == 200, (path, r.text[:3000])
    client.cookies.clear()
    assert login(client, world.member_a).status_code == 303
    for path in (
        "/my/calls",
        "/my/profile",
        "/my/packs",
        "/my/calendar",
        f"/calls/{world.call_id}",
    ):
        r = client.get(path)
        assert r.status_code == 200, (path, r.text[:3000])
